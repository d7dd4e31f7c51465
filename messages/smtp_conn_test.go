package messages

import (
	"errors"
	"net"
	"strings"
	"testing"
)

// countingConn records the writes that reach the network.
type countingConn struct {
	net.Conn
	writes   []string
	writeErr error
	closed   bool
}

func (c *countingConn) Write(p []byte) (int, error) {
	if c.writeErr != nil {
		return 0, c.writeErr
	}
	c.writes = append(c.writes, string(p))
	return len(p), nil
}

func (c *countingConn) Read(p []byte) (int, error) { return copy(p, "250 OK\r\n"), nil }

func (c *countingConn) Close() error { c.closed = true; return nil }

func TestWriteUntilReadHoldsWritesUntilARead(t *testing.T) {
	t.Parallel()
	under := &countingConn{}
	c := newWriteUntilRead(under)
	body := strings.Repeat("x", 4096)
	for _, s := range []string{"DATA\r\n", body, body, ".\r\n"} {
		if _, err := c.Write([]byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	if len(under.writes) != 0 {
		t.Fatalf("%d writes before any read, want 0", len(under.writes))
	}
	if _, err := c.Read(make([]byte, 64)); err != nil {
		t.Fatal(err)
	}
	if len(under.writes) != 1 || under.writes[0] != "DATA\r\n"+body+body+".\r\n" {
		t.Fatalf("after a read: %d writes, want the four pieces in order as one", len(under.writes))
	}
	if _, err := c.Read(make([]byte, 64)); err != nil || len(under.writes) != 1 {
		t.Fatalf("a read with nothing held wrote again: %d writes (%v)", len(under.writes), err)
	}
	if _, err := c.Write([]byte("QUIT\r\n")); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil || !under.closed || len(under.writes) != 2 || under.writes[1] != "QUIT\r\n" {
		t.Fatalf("Close: %v, closed %v, writes %q: want QUIT written, then closed", err, under.closed, under.writes)
	}
}

func TestWriteUntilReadReportsAFailedWrite(t *testing.T) {
	t.Parallel()
	broken := errors.New("broken pipe")
	under := &countingConn{writeErr: broken}
	c := newWriteUntilRead(under)
	if _, err := c.Write([]byte("MAIL FROM:<a@example.org>\r\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Read(make([]byte, 64)); !errors.Is(err, broken) {
		t.Fatalf("read after a failed write: %v, want the write's error", err)
	}
	if _, err := c.Write([]byte("x")); err == nil {
		// bufio keeps the error; a session that failed is not reused.
		if _, err := c.Read(make([]byte, 1)); !errors.Is(err, broken) {
			t.Fatalf("a write after the failure went through: %v", err)
		}
	}
}
