package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"maps"
	"mime"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/steadyapp/steady"
)

// outboxLimit is how many preview messages the list shows.
const outboxLimit = 200

// outbox lists the messages the preview sender kept, newest first (the
// store's order).
func (s *Server) outbox(w http.ResponseWriter, r *http.Request) {
	list, err := s.store.Previews(r.Context(), outboxLimit)
	if err != nil {
		s.fail(w, r, err, failure{})
		return
	}
	s.render(w, r, http.StatusOK, "outbox", "Outbox (preview)", list)
}

// textPart is a run of message text, a link when URL is set.
type textPart struct {
	Text string
	URL  string
}

type outboxMessageData struct {
	steady.PreviewMessage
	Parts []textPart
	Links []string
	// SrcDoc is the message's HTML for a sandboxed iframe; links in it
	// open in a new tab.
	SrcDoc string
	// CanReply offers the reply box (a prompt email, with InboundMail set);
	// Outcome says what became of the reply just sent, Problem what was
	// wrong with the form. Neither repeats what was written.
	CanReply         bool
	Outcome, Problem string
	// KeptText and KeptRaw put back what was written when the form was
	// refused, so nothing is lost.
	KeptText, KeptRaw string
}

// outboxMessage shows one kept message: its text with working links and
// its HTML in a sandboxed frame that runs no scripts.
func (s *Server) outboxMessage(w http.ResponseWriter, r *http.Request) {
	m, ok := s.previewFor(w, r)
	if !ok {
		return
	}
	s.showOutboxMessage(w, r, http.StatusOK, m, "", "")
}

// previewFor loads the kept message named by the path, or answers.
func (s *Server) previewFor(w http.ResponseWriter, r *http.Request) (steady.PreviewMessage, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.fail(w, r, steady.ErrNotFound, failure{})
		return steady.PreviewMessage{}, false
	}
	m, err := s.store.Preview(r.Context(), id)
	if err != nil {
		s.fail(w, r, err, failure{})
		return steady.PreviewMessage{}, false
	}
	return m, true
}

func (s *Server) showOutboxMessage(w http.ResponseWriter, r *http.Request, status int, m steady.PreviewMessage, outcome, problem string) {
	s.render(w, r, status, "outbox_message", m.Subject, s.outboxMessageData(m, outcome, problem))
}

func (s *Server) outboxMessageData(m steady.PreviewMessage, outcome, problem string) outboxMessageData {
	d := outboxMessageData{PreviewMessage: m, Parts: linkify(m.Text), CanReply: s.canReply(m), Outcome: outcome, Problem: problem}
	for _, p := range d.Parts {
		if p.URL != "" && !slices.Contains(d.Links, p.URL) {
			d.Links = append(d.Links, p.URL)
		}
	}
	more := []string{m.ReplyURL}
	for _, k := range slices.Sorted(maps.Keys(m.Headers)) {
		more = append(more, urlPattern.FindAllString(m.Headers[k], -1)...)
	}
	for _, u := range more {
		if u != "" && !slices.Contains(d.Links, u) {
			d.Links = append(d.Links, u)
		}
	}
	if m.HTML != "" {
		d.SrcDoc = `<base target="_blank">` + m.HTML
	}
	return d
}

// canReply says whether the reply box is offered under m: a prompt email,
// which has a reply address, while something files replies.
func (s *Server) canReply(m steady.PreviewMessage) bool {
	return s.inboundMail != nil && m.Channel == steady.ChannelEmail && m.ReplyTo != "" && m.MessageID != ""
}

// maxOutboxReply bounds a reply typed or pasted into the outbox.
const maxOutboxReply = 1 << 20

// outboxReply files a reply typed (or a raw message pasted) under a prompt
// in the outbox through the same inbox as a real emailed reply, and shows
// the message again with what became of it.
func (s *Server) outboxReply(w http.ResponseWriter, r *http.Request) {
	m, ok := s.previewFor(w, r)
	if !ok {
		return
	}
	if !s.canReply(m) {
		s.fail(w, r, nil, failure{status: http.StatusBadRequest, message: "Only a prompt email can be replied to from the outbox."})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxOutboxReply)
	if err := r.ParseForm(); err != nil {
		s.showOutboxMessage(w, r, http.StatusRequestEntityTooLarge, m, "", "The reply is too long or the form did not arrive whole; nothing was filed.")
		return
	}
	text, raw := r.PostForm.Get("text"), r.PostForm.Get("raw")
	var msg []byte
	switch {
	case strings.TrimSpace(text) != "" && strings.TrimSpace(raw) != "":
		d := s.outboxMessageData(m, "", "Type a reply or paste a raw message, not both; nothing was filed.")
		d.KeptText, d.KeptRaw = text, raw
		s.render(w, r, http.StatusBadRequest, "outbox_message", m.Subject, d)
		return
	case strings.TrimSpace(raw) != "":
		msg = []byte(raw)
	case strings.TrimSpace(text) != "":
		msg = outboxReplyMessage(m, text, s.program, s.clock.Now())
	default:
		s.showOutboxMessage(w, r, http.StatusBadRequest, m, "", "The reply is empty; type something or paste a raw message.")
		return
	}
	outcome, err := s.inboundMail(r.Context(), msg)
	if err != nil {
		s.fail(w, r, err, failure{})
		return
	}
	s.showOutboxMessage(w, r, http.StatusOK, m, outcome, "")
}

// outboxReplyMessage is text written as a reply to prompt m by a mail
// program: from the subscriber to the prompt's Reply-To, in its thread,
// with the prompt quoted beneath an "On … wrote:" line. Its Message-ID is
// a hash of the prompt and the text, so sending the same reply twice is
// one reply.
func outboxReplyMessage(m steady.PreviewMessage, text, program string, now time.Time) []byte {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	sum := sha256.Sum256([]byte(strconv.FormatInt(m.ID, 10) + "\x00" + text))
	_, domain, _ := strings.Cut(m.ReplyTo, "@")
	domain = strings.Trim(domain, "<> ")
	var body strings.Builder
	body.WriteString(strings.TrimRight(text, "\n") + "\n\n")
	body.WriteString("On " + m.CreatedAt.UTC().Format("Mon, 2 Jan 2006 at 15:04") + ", " + program + " wrote:\n")
	for _, line := range strings.Split(strings.TrimRight(m.Text, "\n"), "\n") {
		body.WriteString(strings.TrimRight("> "+line, " ") + "\n")
	}
	subject := "Re: " + m.Subject
	var b bytes.Buffer
	b.WriteString("From: <" + m.To + ">\r\n")
	b.WriteString("To: <" + m.ReplyTo + ">\r\n")
	b.WriteString("Subject: " + mime.QEncoding.Encode("utf-8", subject) + "\r\n")
	b.WriteString("Date: " + now.UTC().Format(time.RFC1123Z) + "\r\n")
	b.WriteString("Message-ID: <outbox-" + hex.EncodeToString(sum[:16]) + "@" + domain + ">\r\n")
	b.WriteString("In-Reply-To: <" + m.MessageID + ">\r\n")
	b.WriteString("References: <" + m.MessageID + ">\r\n")
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	enc := base64.StdEncoding.EncodeToString([]byte(strings.ReplaceAll(body.String(), "\n", "\r\n")))
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	return b.Bytes()
}

// urlPattern finds http(s) links in text and in headers such as
// List-Unsubscribe ("<https://…>, <mailto:…>").
var urlPattern = regexp.MustCompile(`https?://[^\s<>"]+`)

// linkify splits text into plain runs and http(s) links.
func linkify(text string) []textPart {
	var parts []textPart
	last := 0
	for _, loc := range urlPattern.FindAllStringIndex(text, -1) {
		u := strings.TrimRight(text[loc[0]:loc[1]], ".,;:!?)]'")
		end := loc[0] + len(u)
		if loc[0] > last {
			parts = append(parts, textPart{Text: text[last:loc[0]]})
		}
		parts = append(parts, textPart{Text: u, URL: u})
		last = end
	}
	if last < len(text) {
		parts = append(parts, textPart{Text: text[last:]})
	}
	return parts
}
