package main

import (
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/messages"
	"github.com/steadyapp/steady/phones"
	"github.com/steadyapp/steady/scheduler"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/templates"
	"github.com/steadyapp/steady/web"
)

// SMSConfig is the SMS channel's part of Config. The channel is on when
// TWILIO_ACCOUNT_SID is set.
type SMSConfig struct {
	AccountSID, AuthToken string // TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN (environment only)
	From                  string
	MessagingServiceSID   string
	APIURL                string
	MPS                   string
	Countries             string
	Region                string
	HelpText              string
	JoinKeyword           string
	PauseFor              string
	ReplyWindow           string

	// Parsed by finishSMS.
	mps         float64
	countries   []string
	pauseFor    time.Duration
	replyWindow time.Duration
}

func smsSettings(c *SMSConfig) []setting {
	return []setting{
		{"twilio-from", "STEADY_TWILIO_FROM", "", "Twilio number prompts are sent from, E.164 (or use --twilio-messaging-service)", &c.From},
		{"twilio-messaging-service", "STEADY_TWILIO_MESSAGING_SERVICE_SID", "", "Twilio Messaging Service SID to send through instead of a number", &c.MessagingServiceSID},
		{"twilio-api-url", "STEADY_TWILIO_API_URL", messages.DefaultTwilioAPIURL, "Twilio REST API base URL (a test server or Twilio-compatible gateway)", &c.APIURL},
		{"sms-mps", "STEADY_SMS_MPS", "1", "SMS messages per second the sender allows (1 for a long code)", &c.MPS},
		{"sms-countries", "STEADY_SMS_COUNTRIES", "", "countries whose numbers may sign up, e.g. US,CA,GB; * for any (default: the --sms-region country)", &c.Countries},
		{"sms-region", "STEADY_SMS_REGION", "US", "country assumed for a number typed without +country code", &c.Region},
		{"sms-help", "STEADY_SMS_HELP", "", "help and contact text sent on HELP, e.g. 'Questions? help@example.org'", &c.HelpText},
		{"sms-join-keyword", "STEADY_SMS_JOIN_KEYWORD", "", "a word that, like START, signs a new number up by text", &c.JoinKeyword},
		{"sms-pause", "STEADY_SMS_PAUSE", "336h", "how long PAUSE stops prompts", &c.PauseFor},
		{"sms-reply-window", "STEADY_SMS_REPLY_WINDOW", "168h", "a text this soon after a prompt answers it; later it is an unprompted reflection", &c.ReplyWindow},
	}
}

func (c *SMSConfig) enabled() bool { return c.AccountSID != "" }

// finishSMS reads the Twilio credentials and checks the SMS settings.
func (c *SMSConfig) finishSMS(getenv func(string) string) error {
	c.AccountSID, c.AuthToken = getenv("TWILIO_ACCOUNT_SID"), getenv("TWILIO_AUTH_TOKEN")
	if !c.enabled() {
		if c.AuthToken != "" || c.From != "" || c.MessagingServiceSID != "" {
			return fmt.Errorf("TWILIO_ACCOUNT_SID is required to send SMS")
		}
		return nil
	}
	if c.AuthToken == "" {
		return fmt.Errorf("TWILIO_AUTH_TOKEN is required with TWILIO_ACCOUNT_SID")
	}
	if (c.From == "") == (c.MessagingServiceSID == "") {
		return fmt.Errorf("set exactly one of --twilio-from (STEADY_TWILIO_FROM) and --twilio-messaging-service (STEADY_TWILIO_MESSAGING_SERVICE_SID)")
	}
	var err error
	if c.mps, err = strconv.ParseFloat(c.MPS, 64); err != nil || !(c.mps > 0) || c.mps > 1000 {
		return fmt.Errorf("--sms-mps %q: want a number of messages per second above 0", c.MPS)
	}
	c.Region = strings.ToUpper(strings.TrimSpace(c.Region))
	if err := (phones.Rules{DefaultRegion: c.Region}).Check(); err != nil {
		return fmt.Errorf("--sms-region: %w", err)
	}
	// SMS pumping: by default only the region's own numbers may sign up.
	switch list := strings.TrimSpace(c.Countries); list {
	case "*":
		c.countries = nil
	case "":
		if c.Region == "" {
			return fmt.Errorf("--sms-countries is needed when --sms-region is empty: name the countries whose numbers may sign up, e.g. US,CA, or * for any")
		}
		c.countries = []string{c.Region}
	default:
		if c.countries, err = phones.ParseCountries(list); err != nil {
			return fmt.Errorf("--sms-countries: %w (or * for any country)", err)
		}
		if len(c.countries) == 0 {
			return fmt.Errorf("--sms-countries %q: name at least one country, e.g. US,CA, or * for any", c.Countries)
		}
	}
	if c.pauseFor, err = time.ParseDuration(c.PauseFor); err != nil || c.pauseFor <= 0 {
		return fmt.Errorf("--sms-pause %q: want a duration such as 336h", c.PauseFor)
	}
	if c.replyWindow, err = time.ParseDuration(c.ReplyWindow); err != nil || c.replyWindow <= 0 {
		return fmt.Errorf("--sms-reply-window %q: want a duration such as 168h", c.ReplyWindow)
	}
	return nil
}

// smsParts builds the SMS sender (rate limited) and the web side's SMS
// config. Without Twilio, SMS goes to the preview outbox in preview mode.
func (a *app) smsParts(clock steady.Clock, composer *templates.Composer) (scheduler.Sender, *web.SMSConfig, error) {
	c := a.cfg.SMS
	if !c.enabled() {
		if a.preview {
			return messages.NewPreviewSender(a.db, clock), nil, nil
		}
		return nil, nil, nil
	}
	tw, err := messages.NewTwilioSender(messages.TwilioConfig{
		AccountSID: c.AccountSID, AuthToken: c.AuthToken,
		From: c.From, MessagingServiceSID: c.MessagingServiceSID,
		APIURL: c.APIURL, StatusCallback: a.cfg.BaseURL + "/twilio/status", Clock: clock, Metrics: a.metrics,
	})
	if err != nil {
		return nil, nil, err
	}
	limited, err := messages.NewRateLimited(tw, c.mps, clock, nil)
	if err != nil {
		return nil, nil, err
	}
	if strings.HasPrefix(a.cfg.BaseURL, "http://127.") || strings.HasPrefix(a.cfg.BaseURL, "http://localhost") {
		a.logger.Warn("Twilio cannot reach a local base URL: set STEADY_BASE_URL to the public URL Twilio calls, or its webhooks are refused")
	}
	a.logger.Info("sending SMS through Twilio", slog.String("api", c.APIURL), slog.Float64("mps", c.mps))
	return limited, &web.SMSConfig{
		Store:       a.db,
		AuthToken:   c.AuthToken,
		BaseURL:     a.cfg.BaseURL,
		Phones:      phones.Rules{DefaultRegion: c.Region, Countries: c.countries},
		HelpText:    c.HelpText,
		JoinKeyword: c.JoinKeyword,
		PauseFor:    c.pauseFor,
		ReplyWindow: c.replyWindow,
		ConfirmText: func(sub steady.Subscriber) (string, error) {
			m, err := composer.Compose(steady.Delivery{SubscriberID: sub.ID, Kind: steady.KindConfirm, Channel: steady.ChannelSMS, Slot: clock.Now()}, sub)
			return m.Text, err
		},
	}, nil
}

var _ scheduler.Suppressor = (*store.DB)(nil)
