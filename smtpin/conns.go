package smtpin

import (
	"net"
	"sync"
	"time"
)

// conns bounds every connection's whole life (SessionTimeout, counted
// from accept, before any HELO: a client that keeps a connection busy with
// NOOPs is still cut) and can close them all when Stop gives up waiting.
type conns struct {
	timeout time.Duration
	mu      sync.Mutex
	open    map[*conn]struct{}
}

// listener tracks every connection it accepts.
type listener struct {
	net.Listener
	conns *conns
}

func (l listener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	tc := &conn{Conn: c, conns: l.conns}
	l.conns.mu.Lock()
	defer l.conns.mu.Unlock()
	if l.conns.open == nil {
		l.conns.open = map[*conn]struct{}{}
	}
	l.conns.open[tc] = struct{}{}
	tc.timer = time.AfterFunc(l.conns.timeout, func() { _ = tc.Close() })
	return tc, nil
}

// closeAll closes every open connection.
func (cs *conns) closeAll() {
	cs.mu.Lock()
	open := make([]*conn, 0, len(cs.open))
	for c := range cs.open {
		open = append(open, c)
	}
	cs.mu.Unlock()
	for _, c := range open {
		_ = c.Close()
	}
}

type conn struct {
	net.Conn
	conns *conns
	timer *time.Timer // set and read under conns.mu
	once  sync.Once
	err   error
}

func (c *conn) Close() error {
	c.once.Do(func() {
		c.conns.mu.Lock()
		c.timer.Stop()
		delete(c.conns.open, c)
		c.conns.mu.Unlock()
		c.err = c.Conn.Close()
	})
	return c.err
}
