package mailreply

import (
	"regexp"
	"strings"
)

// isBounce says whether the message is a failed-delivery notification: an
// RFC 3464 report whose recipients failed, or the classic shape of a bounce
// from a mailer daemon that predates RFC 3464.
func (env *envelope) isBounce() bool {
	if env.reportType == "delivery-status" {
		if len(env.dsn) == 0 {
			return true
		}
		for _, d := range env.dsn {
			if failedAction.MatchString(d) {
				return true
			}
		}
		return false // only delayed/delivered/relayed notices
	}
	from := strings.ToLower(env.h.Get("From"))
	if !strings.Contains(from, "mailer-daemon") && !strings.Contains(from, "postmaster") {
		return false
	}
	subject, _ := env.h.Subject()
	s := strings.ToLower(subject)
	for _, p := range bounceSubjects {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

var failedAction = regexp.MustCompile(`(?im)^action:\s*failed`)

var bounceSubjects = []string{
	"undelivered mail", "undeliverable", "delivery status notification (failure)",
	"mail delivery failed", "delivery failure", "returned mail", "failure notice",
	"nondeliverable", "non-delivery",
}

var headerMsgID = regexp.MustCompile(`(?im)^(?:message-id|references):[ \t]*((?:.*)(?:\r?\n[ \t].*)*)`)
var angleID = regexp.MustCompile(`<([^<>\s]+@[^<>\s]+)>`)

// bouncedIDs returns the Message-ID and References ids in the returned
// headers of a bounce, or in the body of one that returns none.
func (env *envelope) bouncedIDs() []string {
	sources := env.returned
	if len(sources) == 0 {
		if env.plain != nil {
			sources = append(sources, env.plain.text)
		}
		if env.html != nil {
			sources = append(sources, env.html.text)
		}
	}
	var ids []string
	seen := map[string]bool{}
	for _, s := range sources {
		for _, m := range headerMsgID.FindAllStringSubmatch(s, -1) {
			for _, id := range angleID.FindAllStringSubmatch(m[1], -1) {
				if !seen[id[1]] {
					seen[id[1]] = true
					ids = append(ids, id[1])
				}
			}
		}
	}
	return ids
}

// autoReply returns why the message is an automatic reply, or "".
func (env *envelope) autoReply() string {
	h := env.h
	if v := strings.ToLower(strings.TrimSpace(h.Get("Auto-Submitted"))); v != "" && v != "no" {
		return "Auto-Submitted: " + v
	}
	if h.Has("X-Autoreply") {
		return "X-Autoreply"
	}
	if h.Has("X-Autorespond") {
		return "X-Autorespond"
	}
	switch p := strings.ToLower(strings.TrimSpace(h.Get("Precedence"))); p {
	case "auto_reply", "bulk", "junk", "list":
		return "Precedence: " + p
	}
	if h.Has("List-Id") && !h.Has("In-Reply-To") {
		return "mailing list mail"
	}
	subject, _ := h.Subject()
	s := strings.ToLower(strings.TrimSpace(subject))
	for _, p := range autoSubjects {
		if strings.HasPrefix(s, p) || strings.Contains(s, "out of office") || strings.Contains(s, "out of the office") {
			return "out-of-office subject"
		}
	}
	return ""
}

// autoSubjects are subject prefixes of out-of-office replies in the
// languages of the attributions Strip knows.
var autoSubjects = []string{
	"auto:", "automatic reply", "autoreply", "auto-reply", "auto reply", "autosvar",
	"abwesenheitsnotiz", "automatische antwort", "réponse automatique", "reponse automatique",
	"absence", "respuesta automática", "respuesta automatica", "fuera de la oficina",
	"risposta automatica", "fuori sede", "resposta automática", "resposta automatica",
	"ausente", "out of office", "vacation", "on vacation", "away from",
}
