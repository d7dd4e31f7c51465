package metrics

import (
	"cmp"
	"context"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/steadyapp/steady"
)

// Queue is what the outbox gauges read at each scrape; *store.DB has it.
type Queue interface {
	QueueDepth(ctx context.Context, now time.Time) (queued, sending int, oldestDue time.Time, err error)
}

// QueueTimeout bounds the one query a scrape makes; past it the scrape
// reports the query as failed rather than hang Prometheus.
const QueueTimeout = 2 * time.Second

// WatchQueue adds the outbox gauges, read from q with one query per scrape
// (bounded by timeout, default QueueTimeout), and a counter of the
// scrapes whose query failed, in which case the gauges are left out.
func (r *Recorder) WatchQueue(q Queue, clock steady.Clock, timeout time.Duration) error {
	return r.reg.Register(&queueCollector{
		q:       q,
		clock:   cmp.Or[steady.Clock](clock, steady.SystemClock{}),
		timeout: cmp.Or(timeout, QueueTimeout),
		queued: prometheus.NewDesc(namespace+"_deliveries_queued",
			"Deliveries waiting in the outbox (due now or waiting for a retry).", nil, nil),
		sending: prometheus.NewDesc(namespace+"_deliveries_sending",
			"Deliveries a worker has claimed and is sending.", nil, nil),
		oldest: prometheus.NewDesc(namespace+"_oldest_queued_age_seconds",
			"How long the oldest due queued delivery has been waiting since it came due; 0 when none is due.", nil, nil),
		failed: prometheus.NewDesc(namespace+"_queue_query_errors_total",
			"Scrapes whose outbox query failed or timed out (the queue gauges are then missing).", nil, nil),
	})
}

// queueCollector computes the outbox gauges at scrape time.
type queueCollector struct {
	q                               Queue
	clock                           steady.Clock
	timeout                         time.Duration
	queued, sending, oldest, failed *prometheus.Desc
	failures                        atomic.Uint64
}

func (c *queueCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.queued
	ch <- c.sending
	ch <- c.oldest
	ch <- c.failed
}

func (c *queueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	now := c.clock.Now()
	queued, sending, oldest, err := c.q.QueueDepth(ctx, now)
	if err != nil {
		c.failures.Add(1)
	} else {
		age := 0.0
		if !oldest.IsZero() {
			age = max(now.Sub(oldest).Seconds(), 0)
		}
		ch <- prometheus.MustNewConstMetric(c.queued, prometheus.GaugeValue, float64(queued))
		ch <- prometheus.MustNewConstMetric(c.sending, prometheus.GaugeValue, float64(sending))
		ch <- prometheus.MustNewConstMetric(c.oldest, prometheus.GaugeValue, age)
	}
	ch <- prometheus.MustNewConstMetric(c.failed, prometheus.CounterValue, float64(c.failures.Load()))
}
