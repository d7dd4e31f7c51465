package chaos

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/steadyapp/steady/messages/smtptest"
)

// tally counts what the test SMTP servers received, per RCPT address and
// per Message-ID. Its add is given to smtptest.WithOnMessage; one tally may
// serve several servers.
type tally struct {
	mu      sync.Mutex
	byRcpt  map[string]int
	byMsgID map[string]int
	total   int
	first   chan struct{} // closed on the first message
}

func newTally() *tally {
	return &tally{byRcpt: map[string]int{}, byMsgID: map[string]int{}, first: make(chan struct{})}
}

func (tl *tally) add(r smtptest.Received) {
	id := ""
	if m, err := mail.ReadMessage(bytes.NewReader(r.Data)); err == nil {
		id = strings.TrimSpace(m.Header.Get("Message-Id"))
	}
	tl.mu.Lock()
	defer tl.mu.Unlock()
	for _, to := range r.To {
		tl.byRcpt[strings.ToLower(to)]++
	}
	if id != "" {
		tl.byMsgID[id]++
	}
	if tl.total == 0 {
		close(tl.first)
	}
	tl.total++
}

// waitFirst waits up to limit for the first message.
func (tl *tally) waitFirst(limit time.Duration) bool {
	select {
	case <-tl.first:
		return true
	case <-time.After(limit):
		return false
	}
}

// counts is what arrived so far: messages, and distinct recipients.
func (tl *tally) counts() (total, distinct int) {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	return tl.total, len(tl.byRcpt)
}

// settleQuiet is how long nothing may change before a run is taken as
// settled. It exceeds what the fixed dispatcher needs to take back a dead
// worker's claim: the lease (2 × STEADY_SEND_TIMEOUT + 10 s, a minute at
// the default 25 s) plus its
// 5 s poll, with room to spare.
const settleQuiet = 75 * time.Second

// settle waits until every one of want subscribers has been received and
// no email delivery is queued or sending; or until neither the messages
// received nor the deliveries' states have changed for settleQuiet; or
// until limit has passed. It says which.
func settle(t *testing.T, tl *tally, raw *rawDB, want int, limit time.Duration) string {
	t.Helper()
	limit = within(t, limit)
	start := time.Now()
	var last string
	lastChange := start
	for {
		total, distinct := tl.counts()
		st, err := emailStatuses(raw)
		if err != nil {
			t.Logf("settle: reading deliveries: %v", err)
		}
		if distinct >= want && st["queued"] == 0 && st["sending"] == 0 && err == nil {
			return fmt.Sprintf("all received and the outbox empty after %v", time.Since(start).Round(time.Second))
		}
		now := fmt.Sprint(total, st)
		if now != last {
			last, lastChange = now, time.Now()
		}
		if time.Since(lastChange) >= settleQuiet {
			return fmt.Sprintf("nothing changed for %v (after %v): %d of %d received, deliveries %v",
				settleQuiet, time.Since(start).Round(time.Second), distinct, want, st)
		}
		if time.Since(start) >= limit {
			return fmt.Sprintf("gave up after %v: %d of %d received, deliveries %v", limit, distinct, want, st)
		}
		time.Sleep(time.Second)
	}
}

// emailStatuses counts email deliveries by status.
func emailStatuses(raw *rawDB) (map[string]int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rows, err := raw.QueryContext(ctx, `SELECT status, COUNT(*) FROM deliveries WHERE channel = 'email' GROUP BY status`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	st := map[string]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		st[s] = n
	}
	return st, rows.Err()
}

// outcome is a run's result, from the outside (the SMTP tally) and the
// inside (the deliveries table).
type outcome struct {
	due        int
	received   int // subscribers who got at least one prompt
	lost       int // subscribers who got none
	duplicates int // copies beyond the first, per subscriber
	dupByMsgID int // copies beyond the first, per Message-ID
	strangers  int // messages to addresses nobody seeded
	status     map[string]int
	attempts   map[int]int    // email deliveries by attempts
	lostStatus map[string]int // the lost subscribers' deliveries by status ("none": no delivery)
	lostSome   []string       // a few lost addresses
	notOne     int            // subscribers with other than one email delivery
}

func (o outcome) String() string {
	return fmt.Sprintf("due=%d received=%d lost=%d duplicates=%d unknown=%d sending=%d unsent=%d",
		o.due, o.received, o.lost, o.duplicates, o.status["unknown"], o.status["sending"], o.unsent())
}

// unsent counts email deliveries the database does not hold as sent:
// queued for a retry, sending, unknown or failed.
func (o outcome) unsent() int {
	n := 0
	for status, c := range o.status {
		if status != "sent" {
			n += c
		}
	}
	return n
}

// checkDelivered fails the test unless every subscriber was received and
// the database holds every email delivery as sent.
func (o outcome) checkDelivered(t *testing.T) {
	t.Helper()
	if o.lost > 0 {
		t.Errorf("%d of %d subscribers got no prompt (lost)", o.lost, o.due)
	}
	if u := o.unsent(); u > 0 {
		t.Errorf("%d email deliveries are not sent in the database (%v); want all sent", u, o.status)
	}
	if o.strangers > 0 {
		t.Errorf("%d messages went to addresses nobody seeded", o.strangers)
	}
}

// details is everything the one-line summary leaves out.
func (o outcome) details() string {
	return fmt.Sprintf("deliveries by status %v; by attempts %v; duplicates by Message-ID %d; "+
		"lost subscribers' deliveries %v, e.g. %v; subscribers without exactly one delivery %d; messages to strangers %d",
		o.status, o.attempts, o.dupByMsgID, o.lostStatus, o.lostSome, o.notOne, o.strangers)
}

// count reads the final state. Call it once the workers are stopped.
func count(t *testing.T, tl *tally, raw *rawDB, addrs []string) outcome {
	t.Helper()
	o := outcome{due: len(addrs), status: map[string]int{}, attempts: map[int]int{}, lostStatus: map[string]int{}}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rows, err := raw.QueryContext(ctx, `SELECT s.address, d.status, d.attempts
		FROM subscribers s LEFT JOIN deliveries d ON d.subscriber_id = s.id AND d.channel = 'email'
		ORDER BY s.id, d.id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	perSub := map[string][]string{}
	for rows.Next() {
		var addr string
		var status sql.NullString
		var attempts sql.NullInt64
		if err := rows.Scan(&addr, &status, &attempts); err != nil {
			t.Fatal(err)
		}
		if !status.Valid {
			continue // no delivery at all
		}
		perSub[addr] = append(perSub[addr], status.String)
		o.status[status.String]++
		o.attempts[int(attempts.Int64)]++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}

	tl.mu.Lock()
	defer tl.mu.Unlock()
	seeded := map[string]bool{}
	for _, a := range addrs {
		seeded[a] = true
		if len(perSub[a]) != 1 {
			o.notOne++
		}
		switch got := tl.byRcpt[a]; {
		case got == 0:
			o.lost++
			if len(o.lostSome) < 5 {
				o.lostSome = append(o.lostSome, a)
			}
			if len(perSub[a]) == 0 {
				o.lostStatus["none"]++
			}
			for _, s := range perSub[a] {
				o.lostStatus[s]++
			}
		default:
			o.received++
			o.duplicates += got - 1
		}
	}
	for a, got := range tl.byRcpt {
		if !seeded[a] {
			o.strangers += got
		}
	}
	for _, got := range tl.byMsgID {
		o.dupByMsgID += got - 1
	}
	return o
}
