package messages

import (
	"bufio"
	"context"
	"net"
)

// smtpWriteBuffer is how much of a session's output is held before it is
// written: a whole summary (about 11 kB) or prompt, with room to spare.
const smtpWriteBuffer = 32 << 10

// writeUntilRead is a connection whose writes are held in a buffer and go
// out, in one write, just before the next read. An SMTP client only ever
// waits for a reply after what it sent, so nothing waits on a write held
// back; but a message's data, which the client's own 4 kB buffer writes a
// piece at a time, goes with its closing dot as one write instead of one
// every 4 kB (and MAIL, RCPT and DATA are each still written before their
// reply is read). A failed write comes back from the read that flushed it,
// as the same error; after it every write fails too. Not for reads and
// writes from two goroutines at once (an SMTP session has one).
type writeUntilRead struct {
	net.Conn
	w *bufio.Writer
}

func newWriteUntilRead(c net.Conn) *writeUntilRead {
	return &writeUntilRead{Conn: c, w: bufio.NewWriterSize(c, smtpWriteBuffer)}
}

func (c *writeUntilRead) Write(p []byte) (int, error) { return c.w.Write(p) }

func (c *writeUntilRead) Read(p []byte) (int, error) {
	if c.w.Buffered() > 0 {
		if err := c.w.Flush(); err != nil {
			return 0, err
		}
	}
	return c.Conn.Read(p)
}

// Close writes what is held (a QUIT, a TLS close_notify) before closing.
func (c *writeUntilRead) Close() error {
	ferr := c.w.Flush()
	if err := c.Conn.Close(); err != nil {
		return err
	}
	return ferr
}

// dialWriteUntilRead dials TCP as go-mail does by default (before any
// TLS: STARTTLS runs on top of it) and holds writes until a read.
func dialWriteUntilRead(ctx context.Context, network, address string) (net.Conn, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, network, address)
	if err != nil {
		return nil, err
	}
	return newWriteUntilRead(c), nil
}
