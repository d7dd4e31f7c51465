package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/inbox"
	"github.com/steadyapp/steady/mailhook"
)

// minWebhookSecret is the shortest webhook password or signing key
// accepted, in characters, as for STEADY_PREVIEW_PASSWORD.
const minWebhookSecret = 12

// mailhookSettings configure the inbound mail webhooks. The user names are
// flags and environment; the secrets come from the environment (or, for
// the Mailgun key, a file) only. A route is mounted only when its secret
// is set.
type mailhookSettings struct {
	PostmarkUser, SendGridUser string

	mailgunKey, postmarkPassword, sendgridPassword string
}

func mailhookSettingsList(s *mailhookSettings) []setting {
	return []setting{
		{"postmark-inbound-user", "STEADY_POSTMARK_INBOUND_USER", "", "user name in Postmark's inbound webhook URL (unset: any; the password is STEADY_POSTMARK_INBOUND_PASSWORD, environment only)", &s.PostmarkUser},
		{"sendgrid-inbound-user", "STEADY_SENDGRID_INBOUND_USER", "", "user name in SendGrid's Inbound Parse URL (unset: any; the password is STEADY_SENDGRID_INBOUND_PASSWORD, environment only)", &s.SendGridUser},
	}
}

// finish reads the secrets and checks them once.
func (s *mailhookSettings) finish(getenv func(string) string) error {
	key, file := getenv("STEADY_MAILGUN_SIGNING_KEY"), getenv("STEADY_MAILGUN_SIGNING_KEY_FILE")
	switch {
	case key != "" && file != "":
		return fmt.Errorf("set STEADY_MAILGUN_SIGNING_KEY or STEADY_MAILGUN_SIGNING_KEY_FILE, not both")
	case file != "":
		data, err := os.ReadFile(file)
		if err != nil {
			return fmt.Errorf("STEADY_MAILGUN_SIGNING_KEY_FILE: %w", err)
		}
		key = strings.TrimSpace(string(data))
		if key == "" {
			return fmt.Errorf("STEADY_MAILGUN_SIGNING_KEY_FILE %s is empty", file)
		}
	}
	if key != "" && (len(key) < minWebhookSecret || strings.ContainsAny(key, " \t\r\n\"'")) {
		return fmt.Errorf("the Mailgun signing key must be at least %d characters with no spaces or quotes: copy the HTTP webhook signing key from Mailgun's Webhooks page", minWebhookSecret)
	}
	s.mailgunKey = key
	s.postmarkPassword = getenv("STEADY_POSTMARK_INBOUND_PASSWORD")
	s.sendgridPassword = getenv("STEADY_SENDGRID_INBOUND_PASSWORD")
	for _, c := range []struct{ name, user, password, userEnv string }{
		{"STEADY_POSTMARK_INBOUND_PASSWORD", s.PostmarkUser, s.postmarkPassword, "--postmark-inbound-user (STEADY_POSTMARK_INBOUND_USER)"},
		{"STEADY_SENDGRID_INBOUND_PASSWORD", s.SendGridUser, s.sendgridPassword, "--sendgrid-inbound-user (STEADY_SENDGRID_INBOUND_USER)"},
	} {
		if c.user != "" && c.password == "" {
			return fmt.Errorf("%s is set but %s is not: the webhook needs a password", c.userEnv, c.name)
		}
		if strings.Contains(c.user, ":") {
			return fmt.Errorf("%s must not contain a colon (HTTP Basic auth ends the user name at the first one)", c.userEnv)
		}
		if c.password != "" && len([]rune(c.password)) < minWebhookSecret {
			return fmt.Errorf("%s must be at least %d characters (it is the only thing that keeps others from posting mail)", c.name, minWebhookSecret)
		}
	}
	return nil
}

// any says whether a webhook is configured: then emailed replies are read.
func (s mailhookSettings) any() bool {
	return s.mailgunKey != "" || s.postmarkPassword != "" || s.sendgridPassword != ""
}

var _ mailhook.Receiver = (*inbox.Intake)(nil)

// mailhookRoutes are the webhook routes whose secrets are set.
func (a *app) mailhookRoutes(recv mailhook.Receiver, clock steady.Clock) (map[string]http.Handler, error) {
	s := a.cfg.Mailhook
	routes := map[string]http.Handler{}
	if s.mailgunKey != "" {
		h, err := mailhook.NewMailgun(mailhook.MailgunConfig{Receiver: recv, Ledger: a.db, Clock: clock, Logger: a.logger, SigningKey: s.mailgunKey})
		if err != nil {
			return nil, err
		}
		// A route URL ending in "mime" makes Mailgun post the raw message.
		routes["POST /inbound/mailgun"] = h
		routes["POST /inbound/mailgun/mime"] = h
	}
	if s.postmarkPassword != "" {
		h, err := mailhook.NewPostmark(mailhook.PostmarkConfig{Receiver: recv, Logger: a.logger,
			Auth: mailhook.BasicAuth{User: s.PostmarkUser, Password: s.postmarkPassword}})
		if err != nil {
			return nil, err
		}
		routes["POST /inbound/postmark"] = h
	}
	if s.sendgridPassword != "" {
		h, err := mailhook.NewSendGrid(mailhook.SendGridConfig{Receiver: recv, Logger: a.logger,
			Auth: mailhook.BasicAuth{User: s.SendGridUser, Password: s.sendgridPassword}})
		if err != nil {
			return nil, err
		}
		routes["POST /inbound/sendgrid"] = h
	}
	for pattern := range routes {
		a.logger.Info("inbound mail webhook mounted", "route", pattern)
	}
	return routes, nil
}

// outboxInbound files a reply written in the preview outbox.
func outboxInbound(recv mailhook.Receiver) func(ctx context.Context, raw []byte) (string, error) {
	return func(ctx context.Context, raw []byte) (string, error) {
		res, err := recv.Receive(ctx, raw, mailhook.SourceOutbox)
		if err != nil {
			return "", err
		}
		return mailhook.Phrase(res), nil
	}
}
