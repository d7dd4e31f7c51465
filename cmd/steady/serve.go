package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/analysis"
	"github.com/steadyapp/steady/apikeys"
	"github.com/steadyapp/steady/compliance"
	"github.com/steadyapp/steady/health"
	"github.com/steadyapp/steady/inbox"
	"github.com/steadyapp/steady/links"
	"github.com/steadyapp/steady/messages"
	"github.com/steadyapp/steady/metrics"
	"github.com/steadyapp/steady/resurface"
	"github.com/steadyapp/steady/scheduler"
	"github.com/steadyapp/steady/smtpin"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/summary"
	"github.com/steadyapp/steady/templates"
	"github.com/steadyapp/steady/themes"
	"github.com/steadyapp/steady/web"
)

func runServe(ctx context.Context, e env, args []string) error {
	var c Config
	fs := newFlagSet(e, "serve", "serve [flags]")
	bind(fs, e.getenv, serveSettings(&c))
	if err := parseFlags(e, fs, args, 0); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", c.Addr, err)
	}
	defer ln.Close()
	if err := c.finishServe(e.getenv, ln.Addr().String()); err != nil {
		return usageError{err.Error()}
	}
	var metricsLn net.Listener
	if c.MetricsAddr != "" {
		if metricsLn, err = net.Listen("tcp", c.MetricsAddr); err != nil {
			return fmt.Errorf("listen on %s (--metrics-addr): %w", c.MetricsAddr, err)
		}
		defer metricsLn.Close()
	}
	logger := newLogger(e.stderr, c.LogLevel, c.LogFormat)
	tuneCollector(e.getenv)
	if w := secretWarning(c.Secret); w != "" {
		logger.Warn(w)
	}
	// Both refusals at once, so a server's operator fixes both in one go.
	secretErr := checkSecretSource(c.Secret, c.exposure())
	keys, err := loadKeyring(e.getenv, c.EncryptionKeyFile, c.DatabaseURL, c.exposure(), keysServe, e.clock.Now(), logger)
	if err := errors.Join(secretErr, err); err != nil {
		return err
	}
	dbOpts, err := c.dbOptions()
	if err != nil {
		return err
	}
	db, err := store.Open(ctx, c.DatabaseURL, append(dbOpts, store.WithKeyring(keys))...)
	if err != nil {
		return err
	}
	defer func() {
		if err := db.Close(); err != nil {
			logger.Warn("close database", "err", err)
		}
	}()
	release, err := db.LockWorker()
	if err != nil {
		return err
	}
	defer release()
	a, err := newApp(ctx, c, db, e.clock, logger)
	if err != nil {
		return err
	}
	warnLooseFiles(db, logger)
	a.metricsLn = metricsLn
	return a.serve(ctx, ln, e.stdout)
}

// warnLooseFiles warns about each SQLite file (the database, its -wal and
// -shm) that others than its owner may open. New files are created 0600;
// an older one is not changed behind its owner's back.
func warnLooseFiles(db *store.DB, logger *slog.Logger) {
	loose, err := db.LooseFiles()
	if err != nil {
		logger.Warn("could not check who may read the SQLite files", "err", err)
		return
	}
	for _, f := range loose {
		logger.Warn("a SQLite file holding subscribers' replies can be opened by others than its owner; "+
			"unless that is on purpose, run chmod 600 on the database file and its -wal and -shm",
			"path", f.Path, "mode", fmt.Sprintf("%#o", uint32(f.Mode)))
	}
}

// newLogger logs at level as text (key=value) or, with format "json", one
// JSON object a line; both are checked in finishServe.
func newLogger(w io.Writer, level, format string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	opts := &slog.HandlerOptions{Level: l}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// app is one running Steady: every part built once, wired by hand.
type app struct {
	cfg        Config
	logger     *slog.Logger
	db         *store.DB
	web        *web.Server
	scheduler  *scheduler.Scheduler
	dispatcher *scheduler.Dispatcher
	summaries  *summary.Service
	poller     *inbox.Poller  // nil unless STEADY_IMAP_URL is set
	smtpIn     *smtpin.Server // nil unless STEADY_SMTP_INBOUND_ADDR is set
	smtpInAddr string         // where it listens, once started
	// processor files emailed replies from the mailbox, the webhooks and
	// the outbox's reply box; nil when none of them is in use.
	processor *inbox.Processor
	preview   bool // the preview outbox is in use (Config.Mail is mailOutbox)
	// routes are the routes mounted beside web's own (web.Config.Extra):
	// webhooks, the settings pages, the console, the API, /metrics.
	routes map[string]http.Handler
	// metrics counts what every part does; health answers /readyz.
	metrics *metrics.Recorder
	health  *health.Checker
	// smtp is the SMTP sender, nil unless Config.Mail is mailSMTP.
	smtp *messages.SMTPSender
	// metricsLn, when set (--metrics-addr), serves /metrics alone.
	metricsLn net.Listener
}

// newApp migrates the database and builds every part. It starts nothing;
// serve does. The caller owns db.
func newApp(ctx context.Context, c Config, db *store.DB, clock steady.Clock, logger *slog.Logger) (*app, error) {
	a := &app{cfg: c, logger: logger, db: db}
	if err := db.Migrate(ctx); err != nil {
		return nil, err
	}
	secret, err := signingSecret(ctx, db, c.Secret, c.exposure(), logger)
	if err != nil {
		return nil, err
	}
	if c.Mail == mailNone {
		warnEmailSubscribersWithoutSMTP(ctx, db, logger)
	}
	return a, a.build(clock, secret)
}

// warnEmailSubscribersWithoutSMTP says, at start-up, how many email
// subscribers are still receiving when no email can be sent (Twilio
// without SMTP): their prompts will fail until STEADY_SMTP_URL is set.
func warnEmailSubscribersWithoutSMTP(ctx context.Context, db *store.DB, logger *slog.Logger) {
	counts, err := db.CountSubscribers(ctx)
	if err != nil {
		logger.Warn("count email subscribers", "err", err)
		return
	}
	n := 0
	for _, c := range counts {
		if c.Channel == steady.ChannelEmail && c.Status == steady.StatusActive {
			n += c.N
		}
	}
	if n > 0 {
		logger.Warn("email subscribers are active but no SMTP server is configured: their prompts will fail until STEADY_SMTP_URL is set",
			slog.Int("email_subscribers", n))
	}
}

func (a *app) build(clock steady.Clock, secret []byte) error {
	c := a.cfg
	a.metrics = metrics.New()
	if err := a.metrics.WatchQueue(a.db, clock, 0); err != nil {
		return err
	}
	lk, err := links.New(c.BaseURL, c.From, secret, clock)
	if err != nil {
		return err
	}
	hasher, err := compliance.NewHasher(secret)
	if err != nil {
		return err
	}
	if lk, err = lk.WithSummaryTTL(c.SummaryLinkTTL); err != nil {
		return err
	}
	if !c.inboundConfigured() {
		// Nothing reads the From mailbox: offer no mailto unsubscribe.
		lk = lk.WithoutMailbox()
	}
	set, err := templates.Load(c.TemplatesDir)
	if err != nil {
		return err
	}
	// Email goes to SMTP, to the preview outbox, or nowhere (Twilio with
	// no SMTP server: then the router refuses email and web refuses email
	// sign-ups). finishPreview chose which.
	var sender scheduler.Sender
	switch c.Mail {
	case mailOutbox:
		a.preview = true
		sender = messages.NewPreviewSender(a.db, clock)
	case mailNone:
		a.logger.Info("no SMTP server is configured (STEADY_SMTP_URL) and Twilio is: sign-up is by phone number only, email sign-ups are refused, and there is no outbox")
	case mailSMTP:
		smtpCfg, err := messages.ParseSMTPURL(c.SMTPURL)
		if err != nil {
			return err
		}
		// Dialling and the conversation are each bounded by the send
		// timeout; the claim's lease outlasts both (see DispatcherConfig).
		if a.smtp, err = messages.NewSMTPSender(smtpCfg, c.From, messages.WithSMTPTimeout(c.SendTimeout),
			messages.WithSMTPMetrics(a.metrics), messages.WithSMTPConnections(c.SMTPConnections)); err != nil {
			return err
		}
		sender = a.smtp
		a.logger.Info("sending email through SMTP", "server", smtpCfg.String())
		if u, err := url.Parse(c.BaseURL); err == nil && web.LoopbackHost(u.Hostname()) {
			a.logger.Warn("emails are sent for real but their links point at this machine (" + c.BaseURL + "): set STEADY_BASE_URL to the public URL subscribers open")
		}
	}
	// Prompts invite an emailed reply only when something reads them.
	emailReplies := c.inboundConfigured()
	composer := &templates.Composer{Set: set, Links: lk, ProgramName: c.ProgramName, EmailReplies: emailReplies,
		Past: &resurface.Picker{Store: a.db, Links: lk}, Logger: a.logger}
	if !emailReplies {
		a.logger.Info("emailed replies are off: prompt emails ask subscribers to answer on the web page and say replies are not read; set STEADY_IMAP_URL, STEADY_SMTP_INBOUND_ADDR or an inbound webhook to read replies")
	}
	smsSender, smsWeb, err := a.smsParts(clock, composer)
	if err != nil {
		return err
	}
	router := messages.Router{}
	if sender != nil {
		router[steady.ChannelEmail] = sender
	}
	if smsSender != nil {
		router[steady.ChannelSMS] = smsSender
	}
	a.dispatcher, err = scheduler.NewDispatcher(scheduler.DispatcherConfig{
		Store:       a.db,
		Sender:      router,
		Composer:    composer,
		Suppress:    a.db,
		Clock:       clock,
		Logger:      a.logger,
		SendTimeout: c.SendTimeout,
		Metrics:     a.metrics,
		// One worker per SMTP session; SMS sends share them, up to the
		// MPS limit.
		Workers: max(c.SMTPConnections, 1),
		Window:  max(c.SendWindow, 1),
	})
	if err != nil {
		return err
	}
	a.scheduler, err = scheduler.New(scheduler.Config{
		Store:    a.db,
		Catalog:  set.Catalog(),
		Clock:    clock,
		Logger:   a.logger,
		Wake:     a.dispatcher.Wake,
		Metrics:  a.metrics,
		Claimers: a.db.Claimers(),
		Every:    c.tickSpec(),
	})
	if err != nil {
		return err
	}
	summaries, pages, err := newSummaries(c, a.db, router, lk, clock, a.logger, a.metrics)
	if err != nil {
		return err
	}
	a.summaries = summaries
	if err := a.buildInbox(lk, clock, composer.Compose); err != nil {
		return err
	}
	if err := a.buildSMTPIn(lk, clock, composer.Compose, hasher); err != nil {
		return err
	}
	limits, err := webLimits(c.Limits, a.db, secret)
	if err != nil {
		return err
	}
	var extra map[string]http.Handler
	var outboxReply func(ctx context.Context, raw []byte) (string, error)
	if a.processor != nil {
		recv, err := inbox.NewIntake(inbox.IntakeConfig{Processor: a.processor, Holder: a.db, Clock: clock, Logger: a.logger, Hasher: hasher, Metrics: a.metrics})
		if err != nil {
			return err
		}
		if extra, err = a.mailhookRoutes(recv, clock); err != nil {
			return err
		}
		if a.preview {
			outboxReply = outboxInbound(recv)
		}
	}
	// A move to a new address from the settings page follows sign-up's
	// rules and limits.
	addresses := web.NewAddressRules(web.Config{SMS: smsWeb, SMSOnly: c.Mail == mailNone, Limits: limits})
	apiKeys := &apikeys.Keys{Store: a.db, Clock: clock}
	if extra, err = a.opsRoutes(extra, apiKeys, clock); err != nil {
		return err
	}
	if extra, err = accountRoutes(extra, a.db, lk, clock, a.logger, hasher, c.ProgramName, c.LeaveURL, addresses, a.dispatcher.Wake); err != nil {
		return err
	}
	if extra, err = adminRoutes(extra, c, a.db, clock, a, hasher, secret, addresses, a.dispatcher.Wake); err != nil {
		return err
	}
	if extra, err = apiRoutes(extra, a.db, clock, a.logger, hasher, addresses, a.dispatcher.Wake, a.metrics); err != nil {
		return err
	}
	a.routes = extra
	a.web, err = web.New(web.Config{
		Store:           a.db,
		Links:           lk,
		Clock:           clock,
		Logger:          a.logger,
		PagesDir:        c.TemplatesDir,
		Prompts:         set.Catalog(),
		Wake:            a.dispatcher.Wake,
		Preview:         a.preview,
		PreviewPassword: c.PreviewPassword,
		SMSOnly:         c.Mail == mailNone,
		TrustProxy:      c.TrustProxy,
		ProgramName:     c.ProgramName,
		LeaveURL:        c.LeaveURL,
		SafetyResources: safetyLines(summaries.SupportFor(steady.Subscriber{})),
		SMS:             smsWeb,
		Limits:          limits,
		SummaryPage:     pages.ServePage,
		SummaryChart:    pages.ServeChart,
		Support: func(sub steady.Subscriber, reply, promptTheme string) []web.SupportLine {
			return supportLines(a.summaries, sub, reply, promptTheme)
		},
		Extra:         extra,
		InboundMail:   outboxReply,
		APIKeys:       apiKeys,
		AddressHasher: hasher,
		Metrics:       a.metrics,
	})
	return err
}

// supportLines is what the reply page shows at once when a reply speaks of
// danger or self-harm: the subscriber's support resources, or nothing.
func supportLines(svc *summary.Service, sub steady.Subscriber, reply, promptTheme string) []web.SupportLine {
	if !themes.Known(promptTheme) {
		promptTheme = ""
	}
	for _, f := range analysis.Analyze(reply, promptTheme) {
		if f.Theme != themes.Safety {
			continue
		}
		var lines []web.SupportLine
		for _, r := range svc.SupportFor(sub) {
			lines = append(lines, web.SupportLine{Name: r.Name, Contact: r.Contact})
		}
		return lines
	}
	return nil
}

// signingSecretSetting keeps the generated signing secret.
const signingSecretSetting = "signing_secret"

// checkSecretSource refuses to run without STEADY_SECRET (or _FILE) on a
// base URL that is not loopback: the secret generated into the database
// is for trying Steady on one machine, since anyone with a copy of the
// database could then sign links.
func checkSecretSource(configured, exposure string) error {
	if configured != "" || exposure == "" {
		return nil
	}
	return usageError{fmt.Sprintf("STEADY_SECRET is not set and %s is not this machine's alone: set STEADY_SECRET, "+
		"or STEADY_SECRET_FILE to a file holding it, to a random value (%s), kept apart from the database. "+
		"If an earlier Steady generated one into the database, use that value (settings table, key signing_secret) so links already sent keep working",
		exposure, makeSecret)}
}

// signingSecret is STEADY_SECRET (or STEADY_SECRET_FILE's), or else, on a
// loopback base URL only, a random key generated once and kept in the
// database, so links keep working across restarts and workers.
func signingSecret(ctx context.Context, db *store.DB, configured, exposure string, logger *slog.Logger) ([]byte, error) {
	if err := checkSecretSource(configured, exposure); err != nil {
		return nil, err
	}
	if configured != "" {
		return []byte(configured), nil
	}
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		return nil, err
	}
	stored, created, err := db.EnsureSetting(ctx, signingSecretSetting, hex.EncodeToString(buf))
	if err != nil {
		return nil, fmt.Errorf("signing secret: %w", err)
	}
	if created {
		logger.Warn("STEADY_SECRET is not set: generated a signing secret and stored it in the database, so links survive restarts; " +
			"that is only for this machine (a loopback base URL): a server needs STEADY_SECRET or STEADY_SECRET_FILE")
	} else {
		logger.Info("STEADY_SECRET is not set: using the signing secret stored in the database")
	}
	return []byte(stored), nil
}

// serve runs the web server, the scheduler and the sender until ctx ends,
// then shuts down within ShutdownTimeout: the sender starts no new send and
// its send in flight finishes or is cut short (and settled by its lease) at
// the deadline, while requests stop and scheduling stops; the caller then
// closes the database.
func (a *app) serve(ctx context.Context, ln net.Listener, stdout io.Writer) error {
	srv := &http.Server{
		Handler:           a.web.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(a.logger.Handler(), slog.LevelWarn),
	}
	if err := a.startSMTPIn(); err != nil {
		return err
	}
	defer a.stopSMTPInWithin(ctx) // when a later part fails to start; a no-op after the shutdown below
	if err := a.dispatcher.Start(ctx); err != nil {
		return err
	}
	if err := a.scheduler.Start(ctx); err != nil {
		_ = a.dispatcher.Stop(ctx)
		return err
	}
	if err := a.summaries.Start(ctx); err != nil {
		_ = a.scheduler.Stop(ctx)
		_ = a.dispatcher.Stop(ctx)
		return err
	}
	if a.poller != nil {
		if err := a.poller.Start(ctx); err != nil {
			_ = a.summaries.Stop(ctx)
			_ = a.scheduler.Stop(ctx)
			_ = a.dispatcher.Stop(ctx)
			return err
		}
	}

	stopMetrics := a.startMetrics()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	fmt.Fprintf(stdout, "Steady is running. Open %s/ in your browser.\n", a.cfg.BaseURL)
	switch {
	case a.preview && a.cfg.PreviewPassword != "":
		fmt.Fprintf(stdout, "No SMTP server is configured (--smtp), so nothing is sent: every email is kept at %s/outbox, behind the password in STEADY_PREVIEW_PASSWORD (any user name)\n", a.cfg.BaseURL)
	case a.preview:
		fmt.Fprintf(stdout, "No SMTP server is configured (--smtp), so nothing is sent: every email is kept at %s/outbox, open to this machine only\n", a.cfg.BaseURL)
	case a.cfg.Mail == mailNone:
		fmt.Fprintln(stdout, "No SMTP server is configured (--smtp): sign-up is by phone number only, and email addresses are refused.")
	}
	fmt.Fprintf(stdout, "Database: %s. Press Ctrl-C to stop.\n", a.db.Dialect())

	var err error
	select {
	case err = <-served:
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), a.cfg.ShutdownTimeout)
	defer cancel()
	// The sender is told first, so it starts no new send while the rest
	// stops; the send in flight has until the deadline.
	sent := make(chan error, 1)
	go func() { sent <- a.dispatcher.Stop(shutdownCtx) }()
	if serr := srv.Shutdown(shutdownCtx); serr != nil {
		a.logger.Warn("http shutdown", "err", serr)
	}
	stopMetrics(shutdownCtx)
	a.stopSMTPIn(shutdownCtx)
	if serr := a.scheduler.Stop(shutdownCtx); serr != nil {
		a.logger.Warn("scheduler shutdown", "err", serr)
	}
	if a.poller != nil {
		if serr := a.poller.Stop(shutdownCtx); serr != nil {
			a.logger.Warn("mailbox poller shutdown", "err", serr)
		}
	}
	if serr := a.summaries.Stop(shutdownCtx); serr != nil {
		a.logger.Warn("summaries shutdown", "err", serr)
	}
	if serr := <-sent; serr != nil {
		a.logger.Warn("sender shutdown", "err", serr)
	}
	if a.smtp != nil {
		_ = a.smtp.Close() // QUIT the idle SMTP sessions
	}
	a.logger.Info("stopped")
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// serveGCPercent is the collector's target for serve unless the operator
// sets GOGC: the heap may grow half again over what is live before a
// collection, not double. serve's live heap is 6–10 MB, so this keeps
// its peak resident set under 50 MB for a few percent more CPU.
const serveGCPercent = 50

// tuneCollector sets serveGCPercent unless GOGC is set (the runtime has
// read GOGC itself then).
func tuneCollector(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(serveGCPercent)
	}
}
