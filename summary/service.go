package summary

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
)

// Store is what the summary service needs; *store.DB satisfies it.
type Store interface {
	// SummariesDue returns up to limit subscribers whose next summary time
	// has come (or was never worked out), but those in except, and
	// SetNextSummaries moves it on.
	SummariesDue(ctx context.Context, now time.Time, limit int, except ...int64) ([]steady.Subscriber, error)
	SetNextSummaries(ctx context.Context, next map[int64]time.Time) error
	SubscribersByID(ctx context.Context, ids []int64) ([]steady.Subscriber, error)
	// MonthReplies returns a batch of subscribers' replies in [from, to),
	// with the flags stored when each was recorded.
	MonthReplies(ctx context.Context, ids []int64, from, to time.Time) ([]store.MonthReply, error)
	// SummaryMonths says which of the subscribers have a summary for one
	// of months (keys from store.SummaryKey).
	SummaryMonths(ctx context.Context, ids []int64, months []string) (map[string]bool, error)
	// HarmRepliesSince returns the replies since then that spoke of harm
	// (or were analysed by another analyser version).
	HarmRepliesSince(ctx context.Context, since time.Time) ([]steady.Reply, error)
	ClaimSummary(ctx context.Context, subscriberID int64, month string, ch steady.Channel, data []byte, now time.Time) (steady.SummaryRecord, bool, error)
	FinishSummary(ctx context.Context, id int64, status steady.SummaryStatus, providerID, lastError string, now time.Time) error
	// FinishAndClaimSummaries records the outcomes of one group of
	// summaries and claims the next in one commit; FinishSummaries
	// records the last outcomes of a batch on their own.
	FinishAndClaimSummaries(ctx context.Context, done []store.SummaryFinish, claims []store.SummaryClaim, now time.Time) ([]store.ClaimedSummary, error, error)
	FinishSummaries(ctx context.Context, done []store.SummaryFinish, now time.Time) error
	SummaryFor(ctx context.Context, subscriberID int64, month string) (steady.SummaryRecord, error)
	RetrySummary(ctx context.Context, id int64, now time.Time) (bool, error)
	ClaimSafetyNotice(ctx context.Context, subscriberID, replyID int64, windowStart, now time.Time) (int64, bool, error)
	FinishSafetyNotice(ctx context.Context, id int64, status steady.SummaryStatus) error
	RetrySafetyNotice(ctx context.Context, id int64, retryAt time.Time, maxAttempts int) (final bool, err error)
	SafetyRetriesDue(ctx context.Context, now time.Time) ([]store.SafetyRetry, error)
}

// Sender sends one message; messages.SMTPSender and PreviewSender satisfy it.
type Sender interface {
	Send(ctx context.Context, m steady.Message) (providerID string, err error)
}

// LinkMaker builds the signed links a summary carries; *links.Links
// satisfies it.
type LinkMaker interface {
	SummaryURL(summaryID int64) string
	UnsubscribeURL(sub steady.Subscriber) string
	UnsubscribeMailto(sub steady.Subscriber) string
	SettingsURL(sub steady.Subscriber) string
}

// Metrics counts the summaries and safety notes sent; *metrics.Recorder
// has it. A nil Metrics counts nothing.
type Metrics interface {
	// Summary counts a summary whose send ended as status.
	Summary(ch steady.Channel, status steady.SummaryStatus)
	// SafetyNote counts a safety note whose send ended: "sent", "failed"
	// (not tried again) or "retry".
	SafetyNote(ch steady.Channel, outcome string)
}

// Config is what a Service needs.
type Config struct {
	Store  Store
	Sender Sender
	Links  LinkMaker
	Clock  steady.Clock
	Logger *slog.Logger
	// Resources, when set, are the operator's own support resources,
	// shown to everyone with safety notes and summaries. When nil, each
	// subscriber gets the built-in resources of their own country (CountryOf:
	// phone number, else time zone), or of Country when that is unknown.
	Resources []Resource
	// Country is the fallback for Resources: "us", "uk", "au" or "nz";
	// default "us".
	Country string
	// Interval is how often the service looks for due summaries and safety
	// notes; default one minute.
	Interval time.Duration
	// ProgramName names the programme in every summary and note; default
	// "Steady".
	ProgramName string
	// Metrics, when set, counts what is sent.
	Metrics Metrics
	// Batch is how many due subscribers the service reads, and builds
	// summaries for, at a time; default 200.
	Batch int
	// Workers is how many of a batch's summaries are built and sent at
	// once, claimed together in one transaction and recorded together in
	// another; default 8.
	Workers int
}

// Service sends each active subscriber one summary per month, on the 1st
// in their own time zone at their usual prompt time, and a short safety
// note (once per incident window) when a reply speaks of harm or fear.
type Service struct {
	cfg      Config
	log      *slog.Logger
	renderer *Renderer

	zones  steady.Locations
	charts chartCache

	mu       sync.Mutex
	lastScan time.Time // when runOnce last read recent replies
	cancel   context.CancelFunc
	done     chan struct{}
	first    chan struct{} // closed when Start's first pass is over
}

// New checks cfg and parses the templates.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil || cfg.Sender == nil || cfg.Links == nil || cfg.Clock == nil {
		return nil, errors.New("summary: Store, Sender, Links and Clock are required")
	}
	cfg.Country = cmp.Or(cfg.Country, "us")
	if _, ok := ResourcesFor(cfg.Country); !ok {
		return nil, fmt.Errorf("summary: support country %q: want one of %v", cfg.Country, Countries())
	}
	cfg.Interval = cmp.Or(cfg.Interval, time.Minute)
	cfg.Batch = cmp.Or(cfg.Batch, 200)
	cfg.Workers = cmp.Or(cfg.Workers, 8)
	if cfg.Batch < 1 || cfg.Workers < 1 {
		return nil, errors.New("summary: Batch and Workers must be positive")
	}
	r, err := NewRenderer()
	if err != nil {
		return nil, err
	}
	return &Service{cfg: cfg, log: cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler)), renderer: r}, nil
}

// Renderer returns the service's parsed templates.
func (s *Service) Renderer() *Renderer { return s.renderer }

// Start runs the service until Stop or ctx ends.
func (s *Service) Start(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cancel != nil {
		return errors.New("summary: already started")
	}
	ctx, s.cancel = context.WithCancel(ctx)
	s.done = make(chan struct{})
	first := make(chan struct{})
	s.first = first
	go func() {
		defer close(s.done)
		t := time.NewTicker(s.cfg.Interval)
		defer t.Stop()
		for {
			if err := s.runOnce(ctx, s.cfg.Clock.Now()); err != nil && ctx.Err() == nil {
				s.log.Warn("summary: run", slog.Any("error", err))
			}
			if first != nil {
				close(first)
				first = nil
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return nil
}

// FirstPass is closed once the pass Start makes at once is over (for a
// test that must not race it). Before Start it is already closed.
func (s *Service) FirstPass() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.first == nil {
		c := make(chan struct{})
		close(c)
		return c
	}
	return s.first
}

// Stop ends the loop and waits for the current run to finish.
func (s *Service) Stop(ctx context.Context) error {
	s.mu.Lock()
	cancel, done := s.cancel, s.done
	s.mu.Unlock()
	if cancel == nil {
		return nil
	}
	cancel()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// scanOverlap is how far before the last scan the next one starts reading.
const scanOverlap = 10 * time.Minute

// catchUpDays: a summary missed on the 1st (the server was down) is still
// sent on the 2nd or 3rd; after that only `steady summaries send` sends it.
const catchUpDays = 3

// receiving reports whether sub is sent anything now: active, not paused
// (an active subscriber with paused_until in the future) and with an
// address the provider has not refused.
func receiving(sub steady.Subscriber, now time.Time) bool {
	return sub.Status == steady.StatusActive && !sub.PausedUntil.After(now) && sub.AddressInvalidAt.IsZero() && sub.BouncingAt.IsZero()
}

// DueMonth reports the month whose summary is due for sub at now: on the
// 1st to the 3rd of a month in the subscriber's zone, once their usual
// prompt time has passed on the 1st, it is the month that ended.
func DueMonth(sub steady.Subscriber, now time.Time) (Month, bool, error) {
	loc, err := sub.Location()
	if err != nil {
		return Month{}, false, err
	}
	m, due := dueMonth(sub, loc, now)
	return m, due, nil
}

func dueMonth(sub steady.Subscriber, loc *time.Location, now time.Time) (Month, bool) {
	l := now.In(loc)
	if l.Day() > catchUpDays {
		return Month{}, false
	}
	if l.Day() == 1 && l.Hour()*60+l.Minute() < sub.Schedule.Hour*60+sub.Schedule.Minute {
		return Month{}, false
	}
	return MonthOf(l, loc).Prev(), true
}

// runOnce sends every summary due at now and any safety notes owed.
func (s *Service) runOnce(ctx context.Context, now time.Time) error {
	return errors.Join(s.safetyPass(ctx, now), s.summaryPass(ctx, now))
}

// Outcome is what Send did for one subscriber.
type Outcome string

// Outcomes of Send.
const (
	OutcomeSent    Outcome = "sent"
	OutcomeAlready Outcome = "already sent"
	OutcomeDryRun  Outcome = "dry run: not sent"
	OutcomeSkipped Outcome = "skipped: not active, paused, or address refused"
	OutcomeTooNew  Outcome = "skipped: joined during the month and has not replied yet"
	OutcomeOff     Outcome = "skipped: monthly summary turned off"
	OutcomeFailed  Outcome = "failed"
)

// Result is the outcome of Send and the summary it concerns.
type Result struct {
	Outcome Outcome
	Data    Data
	Record  steady.SummaryRecord
}

// Send builds and sends sub's summary for month, exactly once: the row is
// claimed under the unique key (subscriber, month) before anything is
// sent, and only the caller that wrote it sends. A failed send is recorded
// and not retried by itself. With dryRun nothing is written or sent.
func (s *Service) Send(ctx context.Context, sub steady.Subscriber, m Month, dryRun bool) (Result, error) {
	if !receiving(sub, s.cfg.Clock.Now()) {
		return Result{Outcome: OutcomeSkipped}, nil
	}
	loc, err := s.zones.Load(sub.TimeZone)
	if err != nil {
		return Result{}, err
	}
	entries, err := s.entries(ctx, []int64{sub.ID}, m.Prev().Start(loc), m.End(loc))
	if err != nil {
		return Result{}, err
	}
	return s.send(ctx, sub, loc, m, entries[sub.ID], dryRun)
}

// send is Send with sub's replies of m and the month before already read.
func (s *Service) send(ctx context.Context, sub steady.Subscriber, loc *time.Location, m Month, entries []Entry, dryRun bool) (Result, error) {
	d, data, out, err := s.prepare(sub, loc, m, entries)
	if err != nil || out != "" {
		return Result{Outcome: out, Data: d}, err
	}
	if dryRun {
		if rec, err := s.cfg.Store.SummaryFor(ctx, sub.ID, m.String()); err == nil {
			return Result{Outcome: OutcomeAlready, Data: d, Record: rec}, nil
		}
		return Result{Outcome: OutcomeDryRun, Data: d}, nil
	}
	rec, created, err := s.cfg.Store.ClaimSummary(ctx, sub.ID, m.String(), sub.Channel, data, s.cfg.Clock.Now())
	if err != nil {
		return Result{}, err
	}
	if !created {
		return Result{Outcome: OutcomeAlready, Data: d, Record: rec}, nil
	}
	f, err := s.deliver(ctx, sub, rec.ID, d)
	if ferr := s.cfg.Store.FinishSummary(context.WithoutCancel(ctx), rec.ID, f.Status, f.ProviderID, f.LastError, s.cfg.Clock.Now()); ferr != nil {
		return Result{}, errors.Join(err, ferr)
	}
	return s.finished(sub, m, rec, d, f.Status, err)
}

// Retry sends sub's summary of m once more if its last send failed (the
// server refused it or could not be reached: nothing was handed over),
// as it was stored, so the web page and the email stay the same. A
// summary sent, or whose send was cut short (status sending or unknown:
// it may have arrived), is not sent again: OutcomeAlready. Of several
// callers at once, one sends.
func (s *Service) Retry(ctx context.Context, sub steady.Subscriber, m Month) (Result, error) {
	rec, err := s.cfg.Store.SummaryFor(ctx, sub.ID, m.String())
	if err != nil {
		return Result{}, err
	}
	var d Data
	if err := json.Unmarshal(rec.Data, &d); err != nil {
		return Result{}, fmt.Errorf("summary: retry %d: %w", rec.ID, err)
	}
	if rec.Status != steady.SummaryFailed {
		return Result{Outcome: OutcomeAlready, Data: d, Record: rec}, nil
	}
	ok, err := s.cfg.Store.RetrySummary(ctx, rec.ID, s.cfg.Clock.Now())
	if err != nil || !ok {
		return Result{Outcome: OutcomeAlready, Data: d, Record: rec}, err
	}
	f, err := s.deliver(ctx, sub, rec.ID, d)
	if ferr := s.cfg.Store.FinishSummary(context.WithoutCancel(ctx), rec.ID, f.Status, f.ProviderID, f.LastError, s.cfg.Clock.Now()); ferr != nil {
		return Result{}, errors.Join(err, ferr)
	}
	return s.finished(sub, m, rec, d, f.Status, err)
}

// prepare builds sub's summary for m and encodes it to be stored, or says
// (out) why sub is owed none.
func (s *Service) prepare(sub steady.Subscriber, loc *time.Location, m Month, entries []Entry) (d Data, data []byte, out Outcome, err error) {
	if !receiving(sub, s.cfg.Clock.Now()) {
		return Data{}, nil, OutcomeSkipped, nil
	}
	if sub.SummariesOff {
		return Data{}, nil, OutcomeOff, nil
	}
	d = Build(m, loc, entries, s.resourcesFor(sub))
	// Somebody who joined during the month and has not answered yet gets
	// no "we did not hear from you" nudge: there was nothing to miss.
	if d.Replies == 0 {
		if sub.ConfirmedAt.After(m.Start(loc)) {
			return d, nil, OutcomeTooNew, nil
		}
	}
	data, err = json.Marshal(d)
	if err != nil {
		return Data{}, nil, "", fmt.Errorf("summary: encode: %w", err)
	}
	return d, data, "", nil
}

// deliver renders summary id (d) for sub and sends it: how it ended, to
// be recorded, and the send's error.
func (s *Service) deliver(ctx context.Context, sub steady.Subscriber, id int64, d Data) (store.SummaryFinish, error) {
	f := store.SummaryFinish{ID: id, Status: steady.SummarySent}
	msg, err := s.Message(sub, id, d)
	if err == nil {
		f.ProviderID, err = s.cfg.Sender.Send(ctx, msg)
	}
	if err != nil {
		f.Status, f.LastError = steady.SummaryFailed, err.Error()
		if errors.Is(err, steady.ErrOutcomeUnknown) {
			f.Status = steady.SummaryUnknown
		}
	}
	return f, err
}

// finished counts and logs summary rec, whose send ended as status (err
// the send's error), once that is recorded.
func (s *Service) finished(sub steady.Subscriber, m Month, rec steady.SummaryRecord, d Data, status steady.SummaryStatus, err error) (Result, error) {
	rec.Status = status
	if s.cfg.Metrics != nil {
		s.cfg.Metrics.Summary(sub.Channel, status)
	}
	log := s.log.With(slog.Int64("subscriber_id", sub.ID), slog.String("month", m.String()), slog.Int64("summary_id", rec.ID))
	if err != nil {
		log.Warn("summary: send failed", slog.String("status", string(status)), slog.Any("error", err))
		return Result{Outcome: OutcomeFailed, Data: d, Record: rec}, fmt.Errorf("summary: send to subscriber %d: %w", sub.ID, err)
	}
	log.Info("summary sent", slog.Int("replies", d.Replies), slog.Int("recurring", len(d.Recurring)))
	return Result{Outcome: OutcomeSent, Data: d, Record: rec}, nil
}

// BuildFor gathers sub's replies (with the theme of the prompt each
// answered) and builds the summary for m.
func (s *Service) BuildFor(ctx context.Context, sub steady.Subscriber, m Month) (Data, error) {
	loc, err := s.zones.Load(sub.TimeZone)
	if err != nil {
		return Data{}, err
	}
	entries, err := s.entries(ctx, []int64{sub.ID}, m.Prev().Start(loc), m.End(loc))
	if err != nil {
		return Data{}, err
	}
	return Build(m, loc, entries[sub.ID], s.resourcesFor(sub)), nil
}

// entries reads the replies of a batch of subscribers received in
// [from, to), by subscriber, in one query.
func (s *Service) entries(ctx context.Context, ids []int64, from, to time.Time) (map[int64][]Entry, error) {
	replies, err := s.cfg.Store.MonthReplies(ctx, ids, from, to)
	if err != nil {
		return nil, err
	}
	// Every subscriber's entries are a piece of one array, sized by a
	// first count, rather than a slice grown reply by reply.
	count := make(map[int64]int, len(ids))
	for _, r := range replies {
		count[r.SubscriberID]++
	}
	all := make([]Entry, 0, len(replies))
	out := make(map[int64][]Entry, len(count))
	for id, n := range count {
		out[id], all = all[len(all):len(all):len(all)+n], all[:len(all)+n]
	}
	for _, r := range replies {
		out[r.SubscriberID] = append(out[r.SubscriberID], Entry{At: r.ReceivedAt, Theme: r.Theme, Prompt: r.Prompt, Text: r.Body,
			Flags: r.Flags, Analyzed: r.Analyzed})
	}
	return out, nil
}

// Message renders summary id for sub: email with text, HTML and the chart
// inline; SMS with the short text and the signed link.
//
// A discreet subscriber's summary has a neutral subject, preview line and
// text.
func (s *Service) Message(sub steady.Subscriber, id int64, d Data) (steady.Message, error) {
	d.Program, d.Discreet = s.cfg.ProgramName, sub.Discreet
	page := s.cfg.Links.SummaryURL(id)
	if sub.Channel == steady.ChannelSMS {
		return steady.Message{Channel: steady.ChannelSMS, To: sub.Address, Text: SMS(d, page)}, nil
	}
	unsubscribe := s.cfg.Links.UnsubscribeURL(sub)
	r, err := s.renderer.Render(d, Links{PageURL: page, ChartSrc: "cid:" + ChartContentID, UnsubscribeURL: unsubscribe,
		SettingsURL: s.cfg.Links.SettingsURL(sub)})
	if err != nil {
		return steady.Message{}, err
	}
	m := steady.Message{Channel: steady.ChannelEmail, To: sub.Address, Subject: r.Subject, Text: r.Text, HTML: r.HTML,
		Headers: UnsubscribeHeaders(unsubscribe, s.cfg.Links.UnsubscribeMailto(sub))}
	if !d.Nudge {
		png, err := s.charts.chart(d)
		if err != nil {
			return steady.Message{}, err
		}
		m.Inline = []steady.Attachment{{Filename: "chart.png", ContentType: "image/png", ContentID: ChartContentID, Data: png}}
	}
	return m, nil
}

// RunOnce does one tick's work at now: the summaries due and any safety
// notes owed. Start calls it every Interval; `steady demo` calls it once.
func (s *Service) RunOnce(ctx context.Context, now time.Time) error { return s.runOnce(ctx, now) }

// UnsubscribeHeaders are the RFC 2369 List-Unsubscribe (the https URL and
// the mailto) and RFC 8058 one-click headers every email carries.
func UnsubscribeHeaders(url, mailto string) map[string]string {
	value := "<" + url + ">"
	if mailto != "" {
		value += ", <" + mailto + ">"
	}
	return map[string]string{
		"List-Unsubscribe":      value,
		"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
	}
}
