package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/inbox"
	"github.com/steadyapp/steady/links"
)

// imapSettings configure reading emailed replies from a mailbox; all are
// optional, and nothing is read unless URL is set.
type imapSettings struct {
	URL, MoveTo, Poll, BounceThreshold string
	TrustedAuthServ                    string

	imap      inbox.IMAPConfig
	interval  time.Duration
	threshold int
}

func inboxSettings(s *imapSettings) []setting {
	return []setting{
		{"imap", "STEADY_IMAP_URL", "", "mailbox that replies arrive in, imaps://user:pass@host:993/INBOX (imap://…?tls=starttls|none also work; unset: emailed replies are not read)", &s.URL},
		{"imap-move-to", "STEADY_IMAP_MOVE_TO", "", "folder processed replies are moved to (unset: they stay, flagged \\Seen and $SteadyDone)", &s.MoveTo},
		{"imap-poll", "STEADY_IMAP_POLL", inbox.DefaultPollInterval.String(), "how often the mailbox is checked when the server has no IDLE (and the longest IDLE)", &s.Poll},
		{"bounce-threshold", "STEADY_BOUNCE_THRESHOLD", strconv.Itoa(inbox.DefaultBounceThreshold), "bounces after which an address is marked bouncing and gets no more prompts", &s.BounceThreshold},
		{"inbound-trusted-authserv", "STEADY_INBOUND_TRUSTED_AUTHSERV", "", "comma-separated authserv-ids of the servers whose Authentication-Results headers are believed (your mailbox provider's, e.g. mx.google.com); only with them is a reply without its token address filed by thread headers or sender", &s.TrustedAuthServ},
	}
}

// finish checks the settings once; empty ones take their defaults.
func (s *imapSettings) finish() error {
	if s.BounceThreshold == "" {
		s.BounceThreshold = strconv.Itoa(inbox.DefaultBounceThreshold)
	}
	if s.Poll == "" {
		s.Poll = inbox.DefaultPollInterval.String()
	}
	n, err := strconv.Atoi(s.BounceThreshold)
	if err != nil || n < 1 {
		return fmt.Errorf("--bounce-threshold %q: want a whole number of at least 1", s.BounceThreshold)
	}
	s.threshold = n
	if s.URL == "" {
		return nil
	}
	if s.imap, err = inbox.ParseIMAPURL(s.URL); err != nil {
		return err
	}
	if s.interval, err = time.ParseDuration(s.Poll); err != nil || s.interval < time.Second {
		return fmt.Errorf("--imap-poll %q: want a duration of at least 1s, e.g. 1m", s.Poll)
	}
	return nil
}

// buildInbox makes the processor that files emailed replies when anything
// delivers them (the IMAP mailbox, a webhook, the preview outbox's reply
// box), and the IMAP poller when a mailbox is configured.
func (a *app) buildInbox(lk *links.Links, clock steady.Clock, compose func(steady.Delivery, steady.Subscriber) (steady.Message, error)) error {
	s := a.cfg.IMAP
	if s.URL == "" && !a.cfg.Mailhook.any() && !a.preview {
		return nil
	}
	var trusted []string
	for _, id := range strings.Split(s.TrustedAuthServ, ",") {
		if id = strings.TrimSpace(id); id != "" {
			trusted = append(trusted, id)
		}
	}
	proc, err := inbox.NewProcessor(inbox.ProcessorConfig{
		Store: a.db, Links: lk, Clock: clock, Logger: a.logger, BounceThreshold: s.threshold, TrustedAuthServ: trusted,
		Compose: compose, From: a.cfg.From, Metrics: a.metrics,
	})
	if err != nil {
		return err
	}
	a.processor = proc
	if s.URL == "" {
		return nil
	}
	a.poller, err = inbox.NewPoller(inbox.PollerConfig{
		IMAP: s.imap, Processor: proc, Logger: a.logger, Interval: s.interval, MoveTo: s.MoveTo, Clock: clock,
	})
	return err
}
