package inbox

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/steadyapp/steady"
)

// Keywords the poller sets. A processed message gets \Seen and KeywordDone
// (and is moved, if a folder is configured); a message left for a person
// (no subscriber matched, unreadable, too big) gets only KeywordSkipped, so
// it stays unread but is not read again.
const (
	KeywordDone    imap.Flag = "$SteadyDone"
	KeywordSkipped imap.Flag = "$SteadySkipped"
)

// Defaults of PollerConfig.
const (
	DefaultPollInterval   = time.Minute
	DefaultMaxMessageSize = 32 << 20
	maxBackoff            = 5 * time.Minute
	fetchBatch            = 50
)

// MessageProcessor files one raw message; *Processor is one.
type MessageProcessor interface {
	Process(ctx context.Context, raw []byte) (Result, error)
}

var _ MessageProcessor = (*Processor)(nil)

// PollerConfig configures a Poller.
type PollerConfig struct {
	IMAP      IMAPConfig
	Processor MessageProcessor
	Logger    *slog.Logger
	// Interval is how often the mailbox is searched when the server does
	// not offer IDLE, and the longest an IDLE lasts; default 1 minute.
	Interval time.Duration
	// MoveTo, if set, is the folder processed messages are moved to.
	MoveTo string
	// MaxMessageSize: larger messages are skipped unread; default 32 MiB.
	MaxMessageSize int64
	// TLSConfig overrides the TLS settings (tests use it to trust their
	// own certificate).
	TLSConfig *tls.Config
	// Clock times the sessions LastContact reports; default the system
	// clock.
	Clock steady.Clock
}

// Poller reads new messages from an IMAP folder and hands each to the
// processor. It keeps one connection, reconnecting after failures with a
// growing pause, and waits for new mail with IDLE when the server offers it.
type Poller struct {
	cfg    PollerConfig
	logger *slog.Logger

	mu       sync.Mutex // guards client and keywords
	client   *imapclient.Client
	keywords bool // the folder keeps custom keywords (PERMANENTFLAGS has \*)
	newMail  chan struct{}

	cancel   context.CancelFunc
	done     chan struct{}
	retryMin time.Duration // the first pause after a failure

	// lastOK and lastFailed are when a pass over the mailbox last
	// succeeded and last failed (Unix nanoseconds, 0 for never).
	lastOK, lastFailed atomic.Int64
}

// NewPoller checks cfg and returns a Poller; it does not connect yet.
func NewPoller(cfg PollerConfig) (*Poller, error) {
	if cfg.Processor == nil {
		return nil, errors.New("inbox: a poller needs a processor")
	}
	if cfg.IMAP.Host == "" || cfg.IMAP.User == "" {
		return nil, errors.New("inbox: a poller needs an IMAP host and user")
	}
	switch cfg.IMAP.TLS {
	case "tls", "starttls", "none":
	default:
		return nil, fmt.Errorf("inbox: IMAP TLS mode %q: want tls, starttls or none", cfg.IMAP.TLS)
	}
	cfg.Interval = cmpOr(cfg.Interval, DefaultPollInterval)
	cfg.MaxMessageSize = cmpOr(cfg.MaxMessageSize, DefaultMaxMessageSize)
	if cfg.IMAP.Folder == "" {
		cfg.IMAP.Folder = "INBOX"
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Clock == nil {
		cfg.Clock = steady.SystemClock{}
	}
	return &Poller{cfg: cfg, logger: cfg.Logger.With("component", "imap"), newMail: make(chan struct{}, 1), retryMin: 5 * time.Second}, nil
}

func cmpOr[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// Start runs the poller until Stop or until ctx ends.
func (p *Poller) Start(ctx context.Context) error {
	if p.done != nil {
		return errors.New("inbox: poller already started")
	}
	ctx, p.cancel = context.WithCancel(ctx)
	p.done = make(chan struct{})
	go p.loop(ctx)
	p.logger.Info("reading replies from IMAP", "mailbox", p.cfg.IMAP.String())
	return nil
}

// Stop ends the poller: the message being processed is finished, the
// connection logged out. It waits until then or until ctx ends.
func (p *Poller) Stop(ctx context.Context) error {
	if p.done == nil {
		return nil
	}
	p.cancel()
	select {
	case <-p.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (p *Poller) loop(ctx context.Context) {
	defer close(p.done)
	defer p.disconnect()
	backoff := time.Duration(0)
	for {
		err := p.runOnce(ctx)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			backoff = min(max(2*backoff, p.retryMin), maxBackoff)
			p.logger.Warn("reading the mailbox failed; trying again", "err", err, "retry_in", backoff)
			if !sleep(ctx, backoff) {
				return
			}
			continue
		}
		backoff = 0
		if err := p.wait(ctx); err != nil && ctx.Err() == nil {
			p.logger.Warn("waiting for new mail failed", "err", err)
			p.disconnect()
		}
		if ctx.Err() != nil {
			return
		}
	}
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// wait returns when new mail may have arrived: at once if the server said
// so, after an IDLE notification, or after the interval.
func (p *Poller) wait(ctx context.Context) error {
	select {
	case <-p.newMail:
		return nil
	default:
	}
	c := p.current()
	if c == nil || !c.Caps().Has(imap.CapIdle) {
		sleep(ctx, p.cfg.Interval)
		return nil
	}
	idle, err := c.Idle()
	if err != nil {
		return fmt.Errorf("idle: %w", err)
	}
	t := time.NewTimer(p.cfg.Interval)
	defer t.Stop()
	select {
	case <-p.newMail:
	case <-t.C:
	case <-ctx.Done():
	case <-c.Closed():
	}
	if err := idle.Close(); err != nil {
		return fmt.Errorf("idle: %w", err)
	}
	return idle.Wait()
}

func (p *Poller) current() *imapclient.Client {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.client
}

// connect returns the open connection, dialling, logging in and selecting
// the folder if there is none.
func (p *Poller) connect(ctx context.Context) (*imapclient.Client, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.client != nil {
		select {
		case <-p.client.Closed():
			p.client = nil
		default:
			return p.client, nil
		}
	}
	cfg := p.cfg.IMAP
	opts := &imapclient.Options{
		TLSConfig: p.cfg.TLSConfig,
		UnilateralDataHandler: &imapclient.UnilateralDataHandler{
			Mailbox: func(data *imapclient.UnilateralDataMailbox) {
				if data.NumMessages != nil {
					select {
					case p.newMail <- struct{}{}:
					default:
					}
				}
			},
		},
	}
	if opts.TLSConfig == nil {
		opts.TLSConfig = &tls.Config{ServerName: cfg.Host, MinVersion: tls.VersionTLS12}
	}
	var c *imapclient.Client
	var err error
	switch cfg.TLS {
	case "tls":
		c, err = imapclient.DialTLS(cfg.Addr(), opts)
	case "starttls":
		c, err = imapclient.DialStartTLS(cfg.Addr(), opts)
	default:
		c, err = imapclient.DialInsecure(cfg.Addr(), opts)
	}
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", cfg.Addr(), err)
	}
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	if err := c.Login(cfg.User, cfg.Password).Wait(); err != nil {
		c.Close()
		return nil, fmt.Errorf("log in to %s: %w", cfg.Addr(), err)
	}
	sel, err := c.Select(cfg.Folder, nil).Wait()
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("select %q: %w", cfg.Folder, err)
	}
	p.keywords = sel.PermanentFlags == nil // RFC 2060: none announced means all are kept
	for _, f := range sel.PermanentFlags {
		if f == imap.FlagWildcard || f == KeywordDone {
			p.keywords = true
		}
	}
	if !p.keywords {
		p.logger.Warn("the IMAP folder keeps no custom keywords: processed mail is marked only \\Seen, and unmatched mail is looked at again on every pass")
	}
	p.client = c
	return c, nil
}

func (p *Poller) disconnect() {
	p.mu.Lock()
	c := p.client
	p.client = nil
	p.mu.Unlock()
	if c == nil {
		return
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = c.Logout().Wait()
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
	}
	_ = c.Close()
}

// runOnce files every message in the folder that has neither keyword,
// oldest first. A message is flagged only after the processor has filed
// it, so a failure at any point loses nothing; filing it again after a
// failure between the two stores nothing twice (replies are keyed by
// Message-ID). On a connection failure the connection is dropped and the
// next run opens a new one.
func (p *Poller) runOnce(ctx context.Context) error {
	err := p.pass(ctx)
	if ctx.Err() == nil {
		at := p.cfg.Clock.Now().UnixNano()
		if err == nil {
			p.lastOK.Store(at)
		} else {
			p.lastFailed.Store(at)
		}
	}
	return err
}

// LastContact says when a pass over the mailbox (connect, log in, search,
// file) last succeeded and last failed; zero for never. Readiness checks
// read it (health.Contact).
func (p *Poller) LastContact() (ok, failed time.Time) {
	return unixOrZero(p.lastOK.Load()), unixOrZero(p.lastFailed.Load())
}

func unixOrZero(ns int64) time.Time {
	if ns == 0 {
		return time.Time{}
	}
	return time.Unix(0, ns)
}

// pass is one runOnce.
func (p *Poller) pass(ctx context.Context) error {
	c, err := p.connect(ctx)
	if err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	if err := p.processNew(ctx, c); err != nil {
		p.disconnect()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return err
	}
	return nil
}

func (p *Poller) processNew(ctx context.Context, c *imapclient.Client) error {
	p.mu.Lock()
	keywords := p.keywords
	p.mu.Unlock()
	notFlags := []imap.Flag{KeywordDone, KeywordSkipped, imap.FlagDeleted}
	if !keywords {
		notFlags = []imap.Flag{imap.FlagSeen, imap.FlagDeleted}
	}
	data, err := c.UIDSearch(&imap.SearchCriteria{NotFlag: notFlags}, nil).Wait()
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	uids := data.AllUIDs()
	tally := map[Outcome]int{}
	defer func() {
		if len(tally) > 0 {
			attrs := []any{}
			for o, n := range tally {
				attrs = append(attrs, string(o), n)
			}
			p.logger.Info("mailbox pass", attrs...)
		}
	}()
	for start := 0; start < len(uids); start += fetchBatch {
		batch := uids[start:min(start+fetchBatch, len(uids))]
		sizes, err := c.Fetch(imap.UIDSetNum(batch...), &imap.FetchOptions{UID: true, RFC822Size: true}).Collect()
		if err != nil {
			return fmt.Errorf("fetch sizes: %w", err)
		}
		for _, m := range sizes {
			if err := ctx.Err(); err != nil {
				return err
			}
			o, err := p.processOne(ctx, c, m.UID, m.RFC822Size, keywords)
			if err != nil {
				return err
			}
			if o != "" {
				tally[o]++
			}
		}
	}
	return nil
}

var wholeMessage = &imap.FetchItemBodySection{Peek: true}

// processOne fetches, files and flags one message.
func (p *Poller) processOne(ctx context.Context, c *imapclient.Client, uid imap.UID, size int64, keywords bool) (Outcome, error) {
	var res Result
	if size > p.cfg.MaxMessageSize {
		res = Result{Outcome: Rejected, Reason: fmt.Sprintf("larger than %d bytes", p.cfg.MaxMessageSize)}
		p.logger.Warn("message skipped", "uid", uint32(uid), "size", size, "reason", res.Reason)
	} else {
		msgs, err := c.Fetch(imap.UIDSetNum(uid), &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{wholeMessage}}).Collect()
		if err != nil {
			return "", fmt.Errorf("fetch message %d: %w", uid, err)
		}
		if len(msgs) == 0 {
			return "", nil // expunged meanwhile
		}
		raw := msgs[0].FindBodySection(wholeMessage)
		if res, err = p.cfg.Processor.Process(ctx, raw); err != nil {
			return "", fmt.Errorf("message %d: %w", uid, err)
		}
	}
	var flags []imap.Flag
	switch {
	case res.Outcome.Done() && keywords:
		flags = []imap.Flag{imap.FlagSeen, KeywordDone}
	case res.Outcome.Done():
		flags = []imap.Flag{imap.FlagSeen}
	case keywords:
		flags = []imap.Flag{KeywordSkipped}
	}
	if len(flags) > 0 {
		if err := c.Store(imap.UIDSetNum(uid), &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: flags}, nil).Close(); err != nil {
			return "", fmt.Errorf("flag message %d: %w", uid, err)
		}
	}
	if res.Outcome.Done() && p.cfg.MoveTo != "" {
		if _, err := c.Move(imap.UIDSetNum(uid), p.cfg.MoveTo).Wait(); err != nil {
			return "", fmt.Errorf("move message %d: %w", uid, err)
		}
	}
	return res.Outcome, nil
}
