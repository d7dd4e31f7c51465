// Package metrics counts what Steady does for Prometheus: messages sent
// and how they ended, replies, sign-ups, mail held aside, refusals and
// provider errors, with the outbox's depth read at scrape time.
//
// A Recorder owns its registry (never the global one), so tests and
// several servers in one process do not share counts. The packages that
// report declare the few methods they call (scheduler.Metrics,
// summary.Metrics, web.Metrics, inbox.Metrics, messages.Metrics) and the
// Recorder has them all; a nil Recorder counts nothing.
//
// Every label value comes from a small fixed set (channelOf, outcomeOf,
// …): anything else is counted as "other", so no address, token, body,
// subscriber id or error text can ever become a label.
package metrics

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/steadyapp/steady"
)

// Recorder holds Steady's metrics on a registry of its own.
type Recorder struct {
	reg *prometheus.Registry

	prompts, confirmations, notices, goodbyes *prometheus.CounterVec // channel, outcome
	summaries, safetyNotes                    *prometheus.CounterVec // channel, outcome
	replies                                   *prometheus.CounterVec // channel
	signups, confirmed                        *prometheus.CounterVec // channel
	held                                      *prometheus.CounterVec // reason
	refusals                                  *prometheus.CounterVec // scope
	smtpErrors, twilioErrors                  *prometheus.CounterVec // class
	tick                                      prometheus.Histogram
	send                                      *prometheus.HistogramVec // channel
}

// New returns a Recorder with every metric registered at zero, plus the
// Go runtime and process collectors.
func New() *Recorder {
	r := &Recorder{reg: prometheus.NewRegistry()}
	counter := func(name, help string, labels ...string) *prometheus.CounterVec {
		c := prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Name: name, Help: help}, labels)
		r.reg.MustRegister(c)
		return c
	}
	r.prompts = counter("prompts_total", "Reflection prompts whose send ended, by channel and outcome (sent, failed, retry, unknown, cancelled).", "channel", "outcome")
	r.confirmations = counter("confirmations_total", "Sign-up and change-of-address confirmations whose send ended, by channel and outcome.", "channel", "outcome")
	r.notices = counter("notices_total", "Settings notices whose send ended, by channel and outcome.", "channel", "outcome")
	r.goodbyes = counter("goodbyes_total", "Unsubscribe confirmations whose send ended, by channel and outcome.", "channel", "outcome")
	r.summaries = counter("summaries_total", "Monthly summaries whose send ended, by channel and outcome (sent, failed, unknown).", "channel", "outcome")
	r.safetyNotes = counter("safety_notes_total", "Safety notes whose send ended, by channel and outcome (sent, failed, retry).", "channel", "outcome")
	r.replies = counter("replies_total", "Replies stored (a replayed reply is not counted twice), by channel (sms, email, web).", "channel")
	r.signups = counter("signups_requested_total", "Sign-ups requested and accepted (a confirmation is queued or already on its way), by channel.", "channel")
	r.confirmed = counter("signups_confirmed_total", "Sign-ups confirmed by the subscriber, by channel.", "channel")
	r.held = counter("inbound_held_total", "Inbound emails held aside instead of filed, by reason (unmatched, unauthenticated, rejected).", "reason")
	r.refusals = counter("rate_limit_refusals_total", "Requests refused by an abuse limit, by the limit's scope.", "scope")
	r.smtpErrors = counter("smtp_errors_total", "Failed SMTP sends, by class ("+classList+").", "class")
	r.twilioErrors = counter("twilio_errors_total", "Failed Twilio sends, by class ("+classList+").", "class")
	r.tick = prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: namespace, Name: "tick_duration_seconds",
		Help: "How long one scheduler tick (claiming every due prompt slot) took.", Buckets: prometheus.DefBuckets})
	r.send = prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: namespace, Name: "send_duration_seconds",
		Help:    "How long one send to the provider took, whatever its outcome, by channel.",
		Buckets: []float64{.05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60}}, []string{"channel"})
	r.reg.MustRegister(r.tick, r.send,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	r.zero()
	return r
}

// namespace prefixes every metric name.
const namespace = "steady"

// zero creates every series of the fixed label sets at 0, so a rate()
// over a counter that has not moved yet is 0 rather than missing.
func (r *Recorder) zero() {
	for _, ch := range sendChannels {
		for _, out := range deliveryOutcomes {
			for _, c := range []*prometheus.CounterVec{r.prompts, r.confirmations, r.notices, r.goodbyes} {
				c.WithLabelValues(ch, out)
			}
		}
		for _, out := range summaryOutcomes {
			r.summaries.WithLabelValues(ch, out)
		}
		for _, out := range safetyOutcomes {
			r.safetyNotes.WithLabelValues(ch, out)
		}
		r.signups.WithLabelValues(ch)
		r.confirmed.WithLabelValues(ch)
		r.send.WithLabelValues(ch)
	}
	for _, ch := range replyChannels {
		r.replies.WithLabelValues(ch)
	}
	for _, reason := range heldReasons {
		r.held.WithLabelValues(reason)
	}
	for _, scope := range refusalScopes {
		r.refusals.WithLabelValues(scope)
	}
	for _, class := range errorClasses {
		r.smtpErrors.WithLabelValues(class)
		r.twilioErrors.WithLabelValues(class)
	}
}

// Registry is the Recorder's own registry, for more collectors (WatchQueue
// adds one) and for tests.
func (r *Recorder) Registry() *prometheus.Registry { return r.reg }

// Handler serves the exposition of the Recorder's registry. A collector
// that fails makes the scrape answer 500, so Prometheus sees it (its
// "up" turns 0) instead of a silently partial page.
func (r *Recorder) Handler() http.Handler {
	return promhttp.HandlerFor(r.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.HTTPErrorOnError})
}

// Delivery counts an outbox delivery (prompt, confirmation, notice or
// goodbye) whose outcome was recorded as status: sent, failed, unknown,
// cancelled, or queued again (retry).
func (r *Recorder) Delivery(d steady.Delivery, status steady.DeliveryStatus) {
	if r == nil {
		return
	}
	c := r.prompts
	switch {
	case d.IsNotice():
		c = r.notices
	case d.Kind == steady.KindConfirm:
		c = r.confirmations
	case d.Kind == steady.KindGoodbye:
		c = r.goodbyes
	case d.Kind != steady.KindPrompt:
		return
	}
	c.WithLabelValues(channelOf(d.Channel), outcomeOf(status)).Inc()
}

// SendDuration observes one send on ch.
func (r *Recorder) SendDuration(ch steady.Channel, d time.Duration) {
	if r == nil {
		return
	}
	r.send.WithLabelValues(channelOf(ch)).Observe(d.Seconds())
}

// TickDuration observes one scheduler tick.
func (r *Recorder) TickDuration(d time.Duration) {
	if r == nil {
		return
	}
	r.tick.Observe(d.Seconds())
}

// Summary counts a monthly summary whose send ended as status.
func (r *Recorder) Summary(ch steady.Channel, status steady.SummaryStatus) {
	if r == nil {
		return
	}
	r.summaries.WithLabelValues(channelOf(ch), oneOf(string(status), summaryOutcomes)).Inc()
}

// SafetyNote counts a safety note whose send ended: sent, failed (not
// tried again) or retry (tried again later).
func (r *Recorder) SafetyNote(ch steady.Channel, outcome string) {
	if r == nil {
		return
	}
	r.safetyNotes.WithLabelValues(channelOf(ch), oneOf(outcome, safetyOutcomes)).Inc()
}

// Reply counts one stored reply that came on ch (sms, email or web).
func (r *Recorder) Reply(ch steady.Channel) {
	if r == nil {
		return
	}
	r.replies.WithLabelValues(oneOf(string(ch), replyChannels)).Inc()
}

// SignupRequested counts one accepted sign-up request on ch.
func (r *Recorder) SignupRequested(ch steady.Channel) {
	if r == nil {
		return
	}
	r.signups.WithLabelValues(channelOf(ch)).Inc()
}

// SignupConfirmed counts one sign-up confirmed on ch.
func (r *Recorder) SignupConfirmed(ch steady.Channel) {
	if r == nil {
		return
	}
	r.confirmed.WithLabelValues(channelOf(ch)).Inc()
}

// HeldAside counts one inbound email held aside for reason
// (inbox.HeldUnmatched, …).
func (r *Recorder) HeldAside(reason string) {
	if r == nil {
		return
	}
	r.held.WithLabelValues(oneOf(reason, heldReasons)).Inc()
}

// RateLimited counts one request refused by the abuse limit of scope
// (abuse.ScopeIP, …).
func (r *Recorder) RateLimited(scope string) {
	if r == nil {
		return
	}
	r.refusals.WithLabelValues(oneOf(scope, refusalScopes)).Inc()
}

// ProviderError counts one failed send through provider ("smtp" or
// "twilio") of class (messages.ErrorClass…: timeout, connection,
// rejected_permanent, rejected_temporary, auth, other).
func (r *Recorder) ProviderError(provider, class string) {
	if r == nil {
		return
	}
	c := r.smtpErrors
	if provider == "twilio" {
		c = r.twilioErrors
	} else if provider != "smtp" {
		return
	}
	c.WithLabelValues(oneOf(class, errorClasses)).Inc()
}
