package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/links"
	"github.com/steadyapp/steady/themes"
)

// maxReplyBody bounds a posted reply form. It is far above
// steady.MaxReplyLength (form encoding can triple a text's size) so that a
// reply that is too long still comes back to its writer, not lost.
const maxReplyBody = 1 << 20

type replyData struct {
	Token  string
	Nonce  string
	Prompt string
	Body   string // what they wrote, kept on an error
	Error  string
	// Answer is the quick answer the prompt asks for: themes.AnswerYesNo,
	// themes.AnswerScale, or "" (words only) when the prompt is unknown.
	Answer string
	// Quick is the quick answer chosen ("yes", "no", "1"…"5"), kept on an error.
	Quick string
	// Earlier are the answers already given to this prompt, oldest first.
	Earlier []earlierReply
}

// Scale is the 1-to-5 answers, for the page's row of choices.
func (replyData) Scale() []string { return []string{"1", "2", "3", "4", "5"} }

// earlierReply is one answer already given, as the reply page shows it.
type earlierReply struct {
	When string
	Body string
}

// PromptCatalog finds a prompt by id, to know which quick answer it asks
// for; *themes.Catalog satisfies it.
type PromptCatalog interface {
	Prompt(id string) (steady.Prompt, bool)
}

// answerKind is the quick answer prompt id asks for, "" when unknown.
func (s *Server) answerKind(id string) string {
	if s.prompts == nil {
		return ""
	}
	p, ok := s.prompts.Prompt(id)
	if !ok || (p.Answer != themes.AnswerYesNo && p.Answer != themes.AnswerScale) {
		return ""
	}
	return p.Answer
}

// validQuick reports whether q is a quick answer of kind ("" is none).
func validQuick(kind, q string) bool {
	switch kind {
	case themes.AnswerYesNo:
		return q == "" || q == "yes" || q == "no"
	case themes.AnswerScale:
		return q == "" || (len(q) == 1 && q[0] >= '1' && q[0] <= '5')
	}
	return q == ""
}

// earlier is what sub already answered to delivery d.
func (s *Server) earlier(ctx context.Context, sub steady.Subscriber, d steady.Delivery) ([]earlierReply, error) {
	rs, err := s.store.Replies(ctx, sub.ID)
	if err != nil {
		return nil, fmt.Errorf("web: replies to delivery %d: %w", d.ID, err)
	}
	loc, err := sub.Location()
	if err != nil {
		loc = time.UTC
	}
	var out []earlierReply
	for _, r := range rs {
		if r.DeliveryID == d.ID {
			out = append(out, earlierReply{When: localTime(r.ReceivedAt, loc), Body: r.Body})
		}
	}
	return out, nil
}

// newNonce names one showing of the reply form; a second submit of the
// same form carries the same nonce and stores nothing new.
func newNonce() string {
	b := make([]byte, 16)
	rand.Read(b) // never fails
	return hex.EncodeToString(b)
}

func validNonce(n string) bool {
	if len(n) != 32 {
		return false
	}
	_, err := hex.DecodeString(n)
	return err == nil
}

// replyTarget checks a reply token and finds the prompt and its
// subscriber. An unsubscribed subscriber's links answer 410, and so do
// links to prompts sent before their last unsubscribe.
func (s *Server) replyTarget(ctx context.Context, token string) (steady.Delivery, steady.Subscriber, failure, error) {
	id, err := s.links.Verify(links.PurposeReply, token)
	if errors.Is(err, links.ErrTokenExpired) {
		return steady.Delivery{}, steady.Subscriber{}, failure{hint: "Reply links last a while, but not for ever. You're welcome to answer the next prompt when it arrives."}, err
	}
	if err != nil {
		return steady.Delivery{}, steady.Subscriber{}, failure{}, err
	}
	d, err := s.store.Delivery(ctx, id)
	if err != nil {
		return steady.Delivery{}, steady.Subscriber{}, failure{}, err
	}
	if d.Kind != steady.KindPrompt {
		return steady.Delivery{}, steady.Subscriber{}, failure{}, links.ErrTokenInvalid
	}
	sub, err := s.store.Subscriber(ctx, d.SubscriberID)
	if err != nil {
		return steady.Delivery{}, steady.Subscriber{}, failure{}, err
	}
	if sub.Status == steady.StatusUnsubscribed {
		return steady.Delivery{}, steady.Subscriber{}, failure{
			status:  http.StatusGone,
			heading: "You're unsubscribed",
			message: "This address no longer receives prompts, so replies aren't being collected.",
			hint:    "Nothing was saved. If you'd like prompts again, you're welcome to sign up again.",
			again:   true,
		}, steady.ErrConflict
	}
	// A prompt sent before the subscriber's last unsubscribe stays closed,
	// even after a new sign-up.
	revoked, err := s.store.LinksRevokedAt(ctx, sub.ID)
	if err != nil {
		return steady.Delivery{}, steady.Subscriber{}, failure{}, err
	}
	if !revoked.IsZero() && !d.CreatedAt.After(revoked) {
		return steady.Delivery{}, steady.Subscriber{}, failure{
			status:  http.StatusGone,
			message: "Links in emails sent before an unsubscribe no longer work.",
			hint:    "Nothing was saved. You're welcome to answer the next prompt when it arrives.",
		}, links.ErrTokenExpired
	}
	return d, sub, failure{}, nil
}

// replyPage shows the prompt and a form to answer it. It is opened from
// the link's session (session.go).
func (s *Server) replyPage(w http.ResponseWriter, r *http.Request) {
	o, ok := s.open(w, r, replyLink)
	if !ok {
		return
	}
	d, sub, f, err := s.replyTarget(r.Context(), o.Token)
	if err != nil {
		s.fail(w, r, err, f)
		return
	}
	earlier, err := s.earlier(r.Context(), sub, d)
	if err != nil {
		s.fail(w, r, err, failure{})
		return
	}
	s.render(w, r, http.StatusOK, "reply", "Your reflection", replyData{
		Token: o.Session, Nonce: newNonce(), Prompt: d.PromptText, Answer: s.answerKind(d.PromptID), Earlier: earlier,
	})
}

// reply records an answer. Whatever goes wrong, the text they wrote is
// shown back to them.
func (s *Server) reply(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxReplyBody)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err, failure{
			status: statusOrBadRequest(err),
			hint:   fmt.Sprintf("Replies can be up to about %d characters. If you wrote more, please go back, copy your text somewhere safe and send it in parts.", steady.MaxReplyLength),
		})
		return
	}
	t, body := tokenFrom(r), r.PostFormValue("reply")
	token, err := s.posted(r, replyLink)
	if err != nil {
		s.sessionFailed(w, r, err, body)
		return
	}
	d, sub, f, err := s.replyTarget(r.Context(), token)
	if err != nil {
		f.kept = body
		s.fail(w, r, err, f)
		return
	}
	quick := strings.ToLower(strings.TrimSpace(r.PostFormValue("quick")))
	again := replyData{Token: t, Nonce: r.PostFormValue("nonce"), Prompt: d.PromptText, Body: body,
		Answer: s.answerKind(d.PromptID), Quick: quick}
	// Checked as it will be stored: NUL bytes removed, invalid UTF-8
	// replaced (the store cleans it the same way). A quick answer comes
	// first, on its own line, as a texted "YES, and…" would.
	words := strings.TrimSpace(steady.CleanText(body))
	trimmed := words
	if quick != "" && validQuick(again.Answer, quick) {
		trimmed = strings.TrimSpace(quick + "\n" + words)
	}
	switch {
	case !validQuick(again.Answer, quick):
		again.Quick = ""
		again.Error = "That quick answer is not one this question offers. Your words are still here; please choose again."
		s.render(w, r, http.StatusBadRequest, "reply", "Your reflection", again)
		return
	case !validNonce(again.Nonce):
		again.Nonce = newNonce()
		again.Error = "This form was missing a piece we need. Your text is still here; please send it again."
		s.render(w, r, http.StatusBadRequest, "reply", "Your reflection", again)
		return
	case trimmed == "":
		again.Error = emptyReply(again.Answer)
		s.render(w, r, http.StatusBadRequest, "reply", "Your reflection", again)
		return
	case len(trimmed) > steady.MaxReplyLength:
		again.Error = fmt.Sprintf("Your reply is longer than we can save (about %d characters). It's all still here; please shorten it a little and send it again.", steady.MaxReplyLength)
		s.render(w, r, http.StatusRequestEntityTooLarge, "reply", "Your reflection", again)
		return
	}
	_, created, err := s.store.RecordReply(r.Context(), steady.Reply{
		SubscriberID: sub.ID,
		DeliveryID:   d.ID,
		Channel:      steady.ChannelWeb,
		Body:         trimmed,
		ReceivedAt:   s.clock.Now(),
		SourceID:     "web:" + again.Nonce,
	})
	if err != nil && !errors.Is(err, steady.ErrDuplicate) {
		if steady.IsInvalid(err) {
			again.Error = capitalize(err.Error())
			s.render(w, r, http.StatusBadRequest, "reply", "Your reflection", again)
			return
		}
		s.fail(w, r, fmt.Errorf("web: record reply to delivery %d: %w", d.ID, err), failure{kept: body})
		return
	}
	if created {
		s.metrics.Reply(steady.ChannelWeb)
		s.log.InfoContext(r.Context(), "reply recorded", "subscriber", sub.ID, "delivery", d.ID)
	}
	var support []SupportLine
	if s.support != nil {
		support = s.support(sub, trimmed, d.Theme)
	}
	s.render(w, r, http.StatusOK, "replied", "Thank you", support)
}

// emptyReply is the error for a reply with neither a quick answer nor words.
func emptyReply(kind string) string {
	switch kind {
	case themes.AnswerYesNo:
		return "Your reply is empty. Choose Yes or No, or write a few words."
	case themes.AnswerScale:
		return "Your reply is empty. Choose a number from 1 to 5, or write a few words."
	}
	return "Your reply is empty. Write a few words, or just YES, NO or a number from 1 to 5."
}
