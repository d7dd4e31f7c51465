package main

import (
	"cmp"
	"flag"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/steadyapp/steady/links"
	"github.com/steadyapp/steady/messages"
	"github.com/steadyapp/steady/scheduler"
	"github.com/steadyapp/steady/web"
)

// Config is everything `steady serve` reads from flags and the environment.
// A flag wins over its environment variable, which wins over the default.
type Config struct {
	Addr        string
	DatabaseURL string
	BaseURL     string
	SMTPURL     string
	From        string
	Secret      string
	// SecretFile is --secret-file (STEADY_SECRET_FILE); finishServe reads
	// it into Secret.
	SecretFile string
	// EncryptionKeyFile is --encryption-key-file (STEADY_ENCRYPTION_KEY_FILE);
	// see loadKeyring.
	EncryptionKeyFile string
	TemplatesDir      string
	TrustProxy        bool
	LogLevel          string
	// LogFormat is --log-format: text or json.
	LogFormat string
	// MetricsAddr, when set, is the separate listener /metrics is served
	// on, without authentication; unset, /metrics is on Addr behind an
	// API key.
	MetricsAddr string
	// SendTimeoutText and ShutdownTimeoutText are the raw settings;
	// finishServe parses them into SendTimeout and ShutdownTimeout.
	SendTimeoutText     string
	ShutdownTimeoutText string
	SendTimeout         time.Duration
	ShutdownTimeout     time.Duration
	// SMTPConnectionsText is --smtp-connections as given; finishServe
	// parses it into SMTPConnections.
	SMTPConnectionsText string
	SMTPConnections     int
	// SendWindowText is --send-window as given; finishServe parses it
	// into SendWindow.
	SendWindowText string
	SendWindow     int
	// Support resources for safety notes and summaries.
	SupportCountry   string
	SupportResources string
	// SummaryLinkDaysText is --summary-link-days as given; finishServe
	// parses it into SummaryLinkTTL.
	SummaryLinkDaysText string
	SummaryLinkTTL      time.Duration
	SMS                 SMSConfig
	Limits              limitSettings
	IMAP                imapSettings
	Mailhook            mailhookSettings
	SMTPIn              smtpInSettings
	// PreviewText is --preview (STEADY_PREVIEW) as given; finishServe
	// parses it into Preview, reads STEADY_PREVIEW_PASSWORD (environment
	// only) and decides Mail (see finishPreview).
	PreviewText     string
	Preview         bool
	PreviewPassword string
	Mail            mailMode
	// ProgramName names the programme in every message and page, and is
	// the From display name unless --from has one.
	ProgramName string
	// LeaveURL is where every page's Leave quickly button goes.
	LeaveURL string
	// Admin is the operator console's settings (admin.go).
	Admin adminSettings

	// DBConnectionsText and SQLiteSynchronous are --db-connections and
	// --sqlite-synchronous (see dbpool.go).
	DBConnectionsText, SQLiteSynchronous string

	// ticksByHand is set only by tests that move a manual clock and call
	// RunOnce themselves: the scheduler and the summary job make their
	// first pass at start and then wait for the test, so a real minute
	// boundary cannot claim a slot between two of its steps.
	ticksByHand bool
}

// Defaults. The database default is a SQLite file in the working directory,
// so `go run ./cmd/steady serve` needs nothing else.
const (
	defaultAddr = "127.0.0.1:8080"
	defaultDB   = "./steady.db"
	// defaultFrom is used only with the preview sender (or with no email
	// at all); a real SMTP server needs --from.
	defaultFrom = "steady@localhost"
	// defaultProgramName is --program-name's default.
	defaultProgramName = "Steady"
)

// setting is one flag and its environment variable.
type setting struct {
	flag, env, def, usage string
	dst                   *string
}

// bareFlags are the settings whose flag may be given without a value
// (--preview means --preview=true); their text is parsed in finishServe,
// like the environment's.
var bareFlags = map[string]bool{"preview": true}

// dbSetting is shared by every subcommand that opens the database.
func dbSetting(c *Config) setting {
	return setting{"db", "STEADY_DATABASE_URL", defaultDB,
		"database: a file path means SQLite, postgres://… means PostgreSQL", &c.DatabaseURL}
}

func serveSettings(c *Config) []setting {
	return append([]setting{
		{"addr", "STEADY_ADDR", defaultAddr, "address to listen on", &c.Addr},
		dbSetting(c),
		keyFileSetting(c),
		{"secret-file", "STEADY_SECRET_FILE", "", "file holding the secret that signs links (instead of STEADY_SECRET); one of them is required unless the base URL is loopback", &c.SecretFile},
		{"base-url", "STEADY_BASE_URL", "", "public URL used in links (default http://ADDR)", &c.BaseURL},
		{"smtp", "STEADY_SMTP_URL", "", "SMTP server, smtp://user:pass@host:port?tls=starttls|tls|none (unset: nothing is sent and every message is kept in a preview outbox at /outbox, which serve allows only with --addr and --base-url on loopback, or with --preview; with Twilio, sign-up by phone number only and no outbox)", &c.SMTPURL},
		{"smtp-connections", "STEADY_SMTP_CONNECTIONS", strconv.Itoa(messages.DefaultSMTPConnections), "how many SMTP sessions are kept open, each sending many messages, so how many messages are sent at once (1 to 64)", &c.SMTPConnectionsText},
		{"send-window", "STEADY_SEND_WINDOW", strconv.Itoa(scheduler.DefaultWindow), "how many sent messages each SMTP session may have whose outcomes are not yet written (1 to 64): more sends while outcomes commit, and more messages a killed worker may send twice", &c.SendWindowText},
		{"preview", "STEADY_PREVIEW", "false", "with no SMTP server, serve the preview outbox although this server is not for this machine alone (a trial); needs STEADY_PREVIEW_PASSWORD (12+ characters, environment only), which /outbox then asks for", &c.PreviewText},
		{"from", "STEADY_FROM", "", "From address of every email, e.g. 'Steady <steady@example.org>' (required with --smtp); without a display name it gets the programme name", &c.From},
		{"program-name", "STEADY_PROGRAM_NAME", defaultProgramName, "the programme's name in every message and page, and the From display name unless --from has one (at most 30 plain characters)", &c.ProgramName},
		{"leave-url", "STEADY_LEAVE_URL", web.DefaultLeaveURL, "the neutral site every page's Leave quickly button opens instead of the page", &c.LeaveURL},
		{"templates", "STEADY_TEMPLATES_DIR", "", "directory whose templates and prompts.json override the built-in ones", &c.TemplatesDir},
		{"log-level", "STEADY_LOG_LEVEL", "info", "debug, info, warn or error", &c.LogLevel},
		{"log-format", "STEADY_LOG_FORMAT", "text", "log lines as text (key=value) or json (one object a line)", &c.LogFormat},
		{"metrics-addr", "STEADY_METRICS_ADDR", "", "serve Prometheus metrics at /metrics on this separate address, WITHOUT authentication: bind it to a private interface (127.0.0.1:9090, an internal network); unset: /metrics is served on --addr to callers with an API key (Authorization: Bearer stdy_…)", &c.MetricsAddr},
		{"send-timeout", "STEADY_SEND_TIMEOUT", "25s", "longest an SMTP conversation or a Twilio request may take (1s to 10m); connecting gets as long again; a message claimed by a worker that died is taken back twice this plus 10s after its claim", &c.SendTimeoutText},
		{"shutdown-timeout", "STEADY_SHUTDOWN_TIMEOUT", "8s", "on SIGTERM or Ctrl-C, how long the send in flight may take to finish before it is cut short (1s to 10m; keep it under your container's stop grace period, 10s in Docker)", &c.ShutdownTimeoutText},
		{"support-country", "STEADY_SUPPORT_COUNTRY", "us", "country of the support resources in safety notes and summaries: us, uk, au or nz", &c.SupportCountry},
		{"support-resources", "STEADY_SUPPORT_RESOURCES", "", "support resources instead of the country's, as 'Name: contact; Name: contact'", &c.SupportResources},
		{"summary-link-days", "STEADY_SUMMARY_LINK_DAYS", "30", "how many days the web link in a monthly summary works (1 to 400); it stops working sooner if the subscriber unsubscribes", &c.SummaryLinkDaysText},
	}, slices.Concat(dbPoolSettings(c), smsSettings(&c.SMS), limitSettingsOf(&c.Limits), inboxSettings(&c.IMAP), mailhookSettingsList(&c.Mailhook), smtpInSettingsOf(&c.SMTPIn), adminSettingsOf(&c.Admin))...)
}

// bind registers settings on fs with their environment values as defaults.
func bind(fs *flag.FlagSet, getenv func(string) string, settings []setting) {
	for _, s := range settings {
		def := s.def
		if v := getenv(s.env); v != "" {
			def = v
		}
		usage := fmt.Sprintf("%s [$%s]", s.usage, s.env)
		if bareFlags[s.flag] {
			*s.dst = def
			fs.Var(boolText{s.dst}, s.flag, usage)
			continue
		}
		fs.StringVar(s.dst, s.flag, def, usage)
	}
}

// finishServe fills derived values and checks the config once.
func (c *Config) finishServe(getenv func(string) string, listenAddr string) error {
	secret, err := readSecret(getenv("STEADY_SECRET"), c.SecretFile)
	if err != nil {
		return err
	}
	c.Secret = secret
	if v := getenv("STEADY_TRUST_PROXY"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("STEADY_TRUST_PROXY=%q: want true or false", v)
		}
		c.TrustProxy = b
	}
	if err := checkSecret(c.Secret); err != nil {
		return err
	}
	if c.SMTPURL != "" && c.From == "" {
		return fmt.Errorf("--from (STEADY_FROM) is required with --smtp: it is the From address of every email")
	}
	if c.From == "" {
		c.From = defaultFrom
	}
	// Empty is unset (as an empty environment variable is).
	c.ProgramName = cmp.Or(c.ProgramName, defaultProgramName)
	c.LeaveURL = cmp.Or(c.LeaveURL, web.DefaultLeaveURL)
	if err := checkProgramName(c.ProgramName); err != nil {
		return err
	}
	from, err := fromWithName(c.From, c.ProgramName)
	if err != nil {
		return err
	}
	c.From = from
	if err := checkLeaveURL(c.LeaveURL); err != nil {
		return err
	}
	if c.BaseURL == "" {
		c.BaseURL = baseURLFor(listenAddr)
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if err := c.SMS.finishSMS(getenv); err != nil {
		return err
	}
	if err := c.Limits.finish(); err != nil {
		return err
	}
	if err := c.finishPreview(getenv, listenAddr); err != nil {
		return err
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("--log-level %q: want debug, info, warn or error", c.LogLevel)
	}
	c.LogFormat = cmp.Or(c.LogFormat, "text") // empty is unset
	switch c.LogFormat {
	case "text", "json":
	default:
		return fmt.Errorf("--log-format %q: want text or json", c.LogFormat)
	}
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			return fmt.Errorf("--metrics-addr %q: want host:port, like 127.0.0.1:9090", c.MetricsAddr)
		}
	}
	if c.SendTimeout, err = time.ParseDuration(c.SendTimeoutText); err != nil || c.SendTimeout < time.Second || c.SendTimeout > 10*time.Minute {
		return fmt.Errorf("--send-timeout %q: want a duration from 1s to 10m, like 30s", c.SendTimeoutText)
	}
	if c.ShutdownTimeout, err = time.ParseDuration(c.ShutdownTimeoutText); err != nil || c.ShutdownTimeout < time.Second || c.ShutdownTimeout > 10*time.Minute {
		return fmt.Errorf("--shutdown-timeout %q: want a duration from 1s to 10m, like 8s", c.ShutdownTimeoutText)
	}
	conns := cmp.Or(strings.TrimSpace(c.SMTPConnectionsText), strconv.Itoa(messages.DefaultSMTPConnections)) // empty is unset
	if c.SMTPConnections, err = strconv.Atoi(conns); err != nil || c.SMTPConnections < 1 || c.SMTPConnections > 64 {
		return fmt.Errorf("--smtp-connections %q: want a whole number from 1 to 64, like 4", c.SMTPConnectionsText)
	}
	window := cmp.Or(strings.TrimSpace(c.SendWindowText), strconv.Itoa(scheduler.DefaultWindow)) // empty is unset
	if c.SendWindow, err = strconv.Atoi(window); err != nil || c.SendWindow < 1 || c.SendWindow > 64 {
		return fmt.Errorf("--send-window %q: want a whole number from 1 to 64, like %d", c.SendWindowText, scheduler.DefaultWindow)
	}
	days, err := strconv.Atoi(strings.TrimSpace(c.SummaryLinkDaysText))
	if err != nil || days < 1 || days > int(links.MaxSummaryTTL/(24*time.Hour)) {
		return fmt.Errorf("--summary-link-days %q: want a whole number of days from 1 to %d, like 30", c.SummaryLinkDaysText, links.MaxSummaryTTL/(24*time.Hour))
	}
	c.SummaryLinkTTL = time.Duration(days) * 24 * time.Hour
	if err := c.Mailhook.finish(getenv); err != nil {
		return err
	}
	if err := c.IMAP.finish(); err != nil {
		return err
	}
	if err := c.Admin.finish(getenv); err != nil {
		return err
	}
	return c.SMTPIn.finish()
}

// baseURLFor turns a listen address into a URL a browser on this machine
// can open: ":8080" and "0.0.0.0:8080" become "http://localhost:8080".
func baseURLFor(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// neverAgain is a tick interval no test outlives (see Config.ticksByHand).
const neverAgain = 24 * 365 * time.Hour

// tickSpec is the scheduler's cron spec: every minute, or, for a test
// that ticks by hand, one that never comes round.
func (c Config) tickSpec() string {
	if c.ticksByHand {
		return "@every " + neverAgain.String()
	}
	return "" // the scheduler's default, every minute on the minute
}
