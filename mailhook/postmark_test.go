package mailhook_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// postmarkPayload is Postmark's inbound JSON for a reply (see Postmark's
// "Inbound webhook" example), with RawEmail when raw is set ("Include raw
// email content in JSON payload").
func (b *bundle) postmarkPayload(r reply, raw bool) []byte {
	to := cmpOr(r.to, b.links.ReplyAddress(b.prompt))
	mid := "<" + b.links.MessageID(b.prompt) + ">"
	p := map[string]any{
		"FromName":          "Alex Example",
		"MessageStream":     "inbound",
		"From":              subAddress,
		"FromFull":          map[string]string{"Email": cmpOr(r.from, subAddress), "Name": "Alex Example", "MailboxHash": ""},
		"To":                "\"Steady\" <" + to + ">",
		"ToFull":            []map[string]string{{"Email": to, "Name": "Steady", "MailboxHash": "r-token"}},
		"Cc":                "",
		"CcFull":            []map[string]string{},
		"Bcc":               "",
		"BccFull":           []map[string]string{},
		"OriginalRecipient": to,
		"Subject":           "Re: Today's reflection",
		"MessageID":         "73e6d360-66eb-11e1-8e72-a8904824019b",
		"ReplyTo":           "",
		"MailboxHash":       "r-token",
		"Date":              "Mon, 2 Mar 2026 10:00:00 +0000",
		"TextBody":          r.body + "\n\nOn Mon, 2 Mar 2026 at 09:00, Steady <steady@example.org> wrote:\n> Do you feel heard?\n",
		"HtmlBody":          "<p>" + r.body + "</p>",
		"StrippedTextReply": r.body,
		"Tag":               "",
		"Headers": []map[string]string{
			{"Name": "X-Spam-Checker-Version", "Value": "SpamAssassin 3.3.1 (2010-03-16) onrs-ord-pm-inbound1.wildbit.com"},
			{"Name": "X-Spam-Status", "Value": "No"},
			{"Name": "X-Spam-Score", "Value": "-0.1"},
			{"Name": "Received-SPF", "Value": "Pass (sender SPF authorized) identity=mailfrom; client-ip=209.85.160.180"},
			{"Name": "MIME-Version", "Value": "1.0"},
			{"Name": "Message-ID", "Value": "<reply-1@mail.example.net>"},
			{"Name": "In-Reply-To", "Value": mid},
			{"Name": "References", "Value": mid},
		},
		"Attachments": []any{},
	}
	if raw {
		p["RawEmail"] = b.raw(r)
	}
	data, err := json.Marshal(p)
	if err != nil {
		b.t.Fatal(err)
	}
	return data
}

func TestPostmarkStoresAReplyOnce(t *testing.T) {
	for _, raw := range []bool{false, true} {
		name := map[bool]string{false: "parsed", true: "RawEmail"}[raw]
		t.Run(name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				b := setup(t, db)
				body := b.postmarkPayload(reply{body: "Heard and held " + secretWords}, raw)
				for i, want := range []string{"stored", "duplicate"} {
					res := b.post("/inbound/postmark", "application/json", body, postmarkUser, postmarkPassword)
					if res.status != http.StatusOK || strings.TrimSpace(res.body) != want {
						t.Fatalf("post %d: got %d %q, want 200 %s", i+1, res.status, res.body, want)
					}
				}
				rs := b.wantReplies(1)
				if want := "Heard and held " + secretWords; rs[0].Body != want {
					t.Errorf("stored %q, want %q", rs[0].Body, want)
				}
			})
		})
	}
}

func TestPostmarkRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		good := b.postmarkPayload(reply{body: "Yes " + secretWords}, false)
		for _, tc := range []struct {
			name, user, password, contentType string
			body                              []byte
			status                            int
		}{
			{"no credentials", "", "", "application/json", good, http.StatusUnauthorized},
			{"wrong password", postmarkUser, "guessed-password-000", "application/json", good, http.StatusUnauthorized},
			{"wrong user", "someone", postmarkPassword, "application/json", good, http.StatusUnauthorized},
			{"SendGrid's password", sendgridUser, sendgridPassword, "application/json", good, http.StatusUnauthorized},
			{"not JSON", postmarkUser, postmarkPassword, "application/json", []byte("From: a@b\r\n\r\nhi"), http.StatusBadRequest},
			{"JSON of another shape", postmarkUser, postmarkPassword, "application/json", []byte(`{"FromFull": "x"}`), http.StatusBadRequest},
			{"empty message", postmarkUser, postmarkPassword, "application/json", []byte(`{}`), http.StatusBadRequest},
			{"a form", postmarkUser, postmarkPassword, "application/x-www-form-urlencoded", []byte("a=b"), http.StatusUnsupportedMediaType},
			{"too large", postmarkUser, postmarkPassword, "application/json", []byte(`{"TextBody":"` + strings.Repeat("x", 2<<20) + `"}`), http.StatusRequestEntityTooLarge},
		} {
			t.Run(tc.name, func(t *testing.T) {
				res := b.post("/inbound/postmark", tc.contentType, tc.body, tc.user, tc.password)
				if res.status != tc.status {
					t.Errorf("got %d %q, want %d", res.status, res.body, tc.status)
				}
				b.wantReplies(0)
			})
		}
	})
}

func TestPostmarkForgedFromIsNotStored(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		forged := reply{to: "steady@example.org", body: "Forged " + secretWords,
			extra: "Authentication-Results: " + trustedAuthServ + "; dkim=pass header.d=example.net; dmarc=pass header.from=example.net\r\n"}
		res := b.post("/inbound/postmark", "application/json", b.postmarkPayload(forged, true), postmarkUser, postmarkPassword)
		if res.status != http.StatusOK || strings.TrimSpace(res.body) == "stored" {
			t.Errorf("got %d %q, want 200 and not stored", res.status, res.body)
		}
		b.wantReplies(0)
	})
}
