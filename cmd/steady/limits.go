package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/steadyapp/steady/abuse"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/web"
)

// limitSettings are the sign-up abuse limits (package abuse), as given.
type limitSettings struct {
	PerIP, PerMailbox, PerPhone, EmailHour, SMSHour, SMSDay string

	policy abuse.Policy // parsed by finish
}

func limitSettingsOf(c *limitSettings) []setting {
	d := abuse.Defaults
	return []setting{
		{"limit-per-ip", "STEADY_LIMIT_PER_IP", strconv.Itoa(d.PerIP), "sign-ups per client IP (IPv6: per /64) per hour, every sign-up path; 0: no limit", &c.PerIP},
		{"limit-per-mailbox", "STEADY_LIMIT_PER_MAILBOX", strconv.Itoa(d.PerMailbox), "confirmation emails per mailbox per UTC day (case, +tags and Gmail dots ignored); 0: no limit", &c.PerMailbox},
		{"limit-per-phone", "STEADY_LIMIT_PER_PHONE", strconv.Itoa(d.PerPhone), "confirmation texts per phone number per UTC day; 0: no limit", &c.PerPhone},
		{"limit-email-hour", "STEADY_LIMIT_EMAIL_HOUR", strconv.Itoa(d.EmailHour), "confirmation emails per hour, all sign-ups together; 0: no limit", &c.EmailHour},
		{"limit-sms-hour", "STEADY_LIMIT_SMS_HOUR", strconv.Itoa(d.SMSHour), "confirmation texts per hour, all sign-ups together; 0: no limit", &c.SMSHour},
		{"sms-daily-cap", "STEADY_SMS_DAILY_CAP", strconv.Itoa(d.SMSDay), "sign-up (confirmation) texts per UTC day, after which sign-up by text stops until midnight UTC; prompts to subscribers are never capped; 0: no cap", &c.SMSDay},
	}
}

// finish parses the limits: each a whole number, 0 for off; an empty one
// takes its default.
func (c *limitSettings) finish() error {
	d := abuse.Defaults
	for _, f := range []struct {
		flag, text string
		def        int
		dst        *int
	}{
		{"limit-per-ip", c.PerIP, d.PerIP, &c.policy.PerIP},
		{"limit-per-mailbox", c.PerMailbox, d.PerMailbox, &c.policy.PerMailbox},
		{"limit-per-phone", c.PerPhone, d.PerPhone, &c.policy.PerPhone},
		{"limit-email-hour", c.EmailHour, d.EmailHour, &c.policy.EmailHour},
		{"limit-sms-hour", c.SMSHour, d.SMSHour, &c.policy.SMSHour},
		{"sms-daily-cap", c.SMSDay, d.SMSDay, &c.policy.SMSDay},
	} {
		if strings.TrimSpace(f.text) == "" {
			*f.dst = f.def
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(f.text))
		if err != nil || n < 0 {
			return fmt.Errorf("--%s %q: want a whole number, 0 or more (0 turns the limit off)", f.flag, f.text)
		}
		*f.dst = n
	}
	return c.policy.Check()
}

// webLimits are the limits web applies, counted under hashes keyed with a
// key derived from the signing secret (never the secret itself).
func webLimits(c limitSettings, db *store.DB, secret []byte) (*web.Limits, error) {
	k, err := abuse.NewKeyer(abuse.DeriveKey(secret))
	if err != nil {
		return nil, err
	}
	return &web.Limits{Store: db, Keyer: k, Policy: c.policy}, nil
}
