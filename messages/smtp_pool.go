package messages

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	gomail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"
)

// Defaults of the SMTP connection pool.
const (
	// DefaultSMTPConnections is how many SMTP sessions a sender keeps open
	// at most, so how many messages it sends at once.
	DefaultSMTPConnections = 4
	// DefaultSMTPMessagesPerSession is how many messages one session sends
	// before it is closed (QUIT) and a fresh one opened.
	DefaultSMTPMessagesPerSession = 100
	// DefaultSMTPIdleTimeout is how long an unused session stays open.
	DefaultSMTPIdleTimeout = 30 * time.Second
)

// smtpPool keeps up to cap(slots) SMTP sessions, each used by one send at
// a time. A send takes a slot, then an idle session or a new one, and gives
// the session back when it went well; a session that failed in any way is
// closed, never reused.
type smtpPool struct {
	client      *gomail.Client
	slots       chan struct{} // one per session that may be in use
	maxMessages int
	idle        time.Duration

	mu     sync.Mutex
	free   []*smtpSession // idle, most recently used last
	closed bool

	opened atomic.Int64 // sessions opened, ever
}

// smtpSession is one open SMTP connection.
type smtpSession struct {
	c     *smtp.Client
	sent  int         // messages sent in it
	timer *time.Timer // closes it after idle, while it waits in free
	// idleSince is when its last send ended, by the sender's clock.
	idleSince time.Time
}

func newSMTPPool(client *gomail.Client, connections, maxMessages int, idle time.Duration) *smtpPool {
	return &smtpPool{
		client:      client,
		slots:       make(chan struct{}, connections),
		maxMessages: maxMessages,
		idle:        idle,
	}
}

// acquire waits for a free slot; release gives it back.
func (p *smtpPool) acquire(ctx context.Context) error {
	select {
	case p.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (p *smtpPool) release() { <-p.slots }

// idleSession takes the most recently used idle session, or nil.
func (p *smtpPool) idleSession() *smtpSession {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := len(p.free)
	if n == 0 {
		return nil
	}
	s := p.free[n-1]
	p.free = p.free[:n-1]
	s.timer.Stop() // if it fired already, expire finds s gone and does nothing
	return s
}

// dial opens a new session (TCP, TLS, EHLO, AUTH).
func (p *smtpPool) dial(ctx context.Context) (*smtpSession, error) {
	c, err := p.client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return nil, err
	}
	p.opened.Add(1)
	return &smtpSession{c: c}, nil
}

// put gives back a session whose last send went well, at now: idle for
// the next send, or closed with QUIT when it has sent its share or the
// pool is closed.
func (p *smtpPool) put(s *smtpSession, now time.Time) {
	s.sent++
	s.idleSince = now
	p.mu.Lock()
	if p.closed || s.sent >= p.maxMessages {
		p.mu.Unlock()
		p.quit(s)
		return
	}
	if s.timer == nil {
		s.timer = time.AfterFunc(p.idle, func() { p.expire(s) })
	} else {
		s.timer.Reset(p.idle)
	}
	p.free = append(p.free, s)
	p.mu.Unlock()
}

// expire closes s if it is still idle.
func (p *smtpPool) expire(s *smtpSession) {
	p.mu.Lock()
	i := -1
	for j, f := range p.free {
		if f == s {
			i = j
			break
		}
	}
	if i < 0 {
		p.mu.Unlock()
		return // taken for a send meanwhile
	}
	p.free = append(p.free[:i], p.free[i+1:]...)
	p.mu.Unlock()
	p.quit(s)
}

// quit ends a healthy session politely.
func (p *smtpPool) quit(s *smtpSession) { _ = p.client.CloseWithSMTPClient(s.c) }

// discard drops a session after a failure, without another command: a
// session that broke or timed out may not answer QUIT either.
func (p *smtpPool) discard(s *smtpSession) { _ = s.c.Close() }

// close ends every idle session; sessions in use are closed when given
// back. Sends after close still work, each in a session of its own.
func (p *smtpPool) close() {
	p.mu.Lock()
	free := p.free
	p.free, p.closed = nil, true
	p.mu.Unlock()
	for _, s := range free {
		s.timer.Stop()
		p.quit(s)
	}
}
