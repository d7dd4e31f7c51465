package inbox

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"io"
	"math/big"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
)

// imapHarness is a real IMAP server (go-imap's in-memory server) behind a
// proxy that can cut connections.
type imapHarness struct {
	direct    string // the server itself
	proxy     *faultProxy
	clientTLS *tls.Config
	tlsMode   string
}

func startIMAP(t *testing.T, tlsMode string, folders ...string) *imapHarness {
	t.Helper()
	return startIMAPWith(t, tlsMode, false, folders...)
}

// noKeywordsSession is a session of a server whose folders keep no custom
// keywords: its SELECT announces only the system flags. (Wrapping hides
// the session's IMAP4rev2 methods, so such a server offers IMAP4rev1 only.)
type noKeywordsSession struct{ imapserver.Session }

func (s noKeywordsSession) Select(name string, options *imap.SelectOptions) (*imap.SelectData, error) {
	data, err := s.Session.Select(name, options)
	if data != nil {
		data.PermanentFlags = []imap.Flag{imap.FlagSeen, imap.FlagAnswered, imap.FlagFlagged, imap.FlagDeleted, imap.FlagDraft}
	}
	return data, err
}

func startIMAPWith(t *testing.T, tlsMode string, noKeywords bool, folders ...string) *imapHarness {
	t.Helper()
	mem := imapmemserver.New()
	user := imapmemserver.NewUser("steady", "s3cret")
	for _, f := range append([]string{"INBOX"}, folders...) {
		if err := user.Create(f, nil); err != nil {
			t.Fatal(err)
		}
	}
	mem.AddUser(user)
	h := &imapHarness{tlsMode: tlsMode}
	opts := &imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			if noKeywords {
				return noKeywordsSession{mem.NewSession()}, nil, nil
			}
			return mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}},
		InsecureAuth: true,
		Logger:       discardLogger{},
	}
	if noKeywords {
		opts.Caps = imap.CapSet{imap.CapIMAP4rev1: {}}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if tlsMode != "none" {
		serverTLS, clientTLS := selfSigned(t)
		h.clientTLS = clientTLS
		if tlsMode == "tls" {
			ln = tls.NewListener(ln, serverTLS)
		} else {
			opts.TLSConfig = serverTLS
		}
	}
	srv := imapserver.New(opts)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	h.direct = ln.Addr().String()
	h.proxy = newFaultProxy(t, h.direct)
	return h
}

type discardLogger struct{}

func (discardLogger) Printf(string, ...any) {}

// config is the poller's IMAP config, through the proxy.
func (h *imapHarness) config() IMAPConfig {
	host, port, _ := net.SplitHostPort(h.proxy.addr())
	return IMAPConfig{Host: host, Port: port, TLS: h.tlsMode, User: "steady", Password: "s3cret", Folder: "INBOX"}
}

// client opens a direct connection, as the person reading the mailbox.
func (h *imapHarness) client(t *testing.T) *imapclient.Client {
	t.Helper()
	opts := &imapclient.Options{TLSConfig: h.clientTLS}
	var c *imapclient.Client
	var err error
	switch h.tlsMode {
	case "tls":
		c, err = imapclient.DialTLS(h.direct, opts)
	case "starttls":
		c, err = imapclient.DialStartTLS(h.direct, opts)
	default:
		c, err = imapclient.DialInsecure(h.direct, opts)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	if err := c.Login("steady", "s3cret").Wait(); err != nil {
		t.Fatal(err)
	}
	return c
}

func (h *imapHarness) appendMessages(t *testing.T, raws ...[]byte) {
	t.Helper()
	c := h.client(t)
	for _, raw := range raws {
		cmd := c.Append("INBOX", int64(len(raw)), nil)
		if _, err := cmd.Write(raw); err != nil {
			t.Fatal(err)
		}
		if err := cmd.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := cmd.Wait(); err != nil {
			t.Fatal(err)
		}
	}
	_ = c.Logout().Wait()
}

// flags returns each message's flags in folder, keyed by Message-ID.
func (h *imapHarness) flags(t *testing.T, folder string) map[string][]imap.Flag {
	t.Helper()
	c := h.client(t)
	defer func() { _ = c.Logout().Wait() }()
	sel, err := c.Select(folder, nil).Wait()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]imap.Flag{}
	if sel.NumMessages == 0 {
		return out
	}
	msgs, err := c.Fetch(imap.SeqSetNum(seqRange(sel.NumMessages)...), &imap.FetchOptions{Flags: true, Envelope: true}).Collect()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		out[m.Envelope.MessageID] = m.Flags
	}
	return out
}

// clearKeywords removes the poller's marks, as if it had stopped between
// storing a reply and flagging its message.
func (h *imapHarness) clearKeywords(t *testing.T) {
	t.Helper()
	c := h.client(t)
	defer func() { _ = c.Logout().Wait() }()
	sel, err := c.Select("INBOX", nil).Wait()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Store(imap.SeqSetNum(seqRange(sel.NumMessages)...), &imap.StoreFlags{
		Op: imap.StoreFlagsDel, Silent: true, Flags: []imap.Flag{KeywordDone, KeywordSkipped, imap.FlagSeen},
	}, nil).Close(); err != nil {
		t.Fatal(err)
	}
}

func seqRange(n uint32) []uint32 {
	out := make([]uint32, n)
	for i := range out {
		out[i] = uint32(i + 1)
	}
	return out
}

func hasFlag(flags []imap.Flag, f imap.Flag) bool {
	for _, x := range flags {
		if strings.EqualFold(string(x), string(f)) {
			return true
		}
	}
	return false
}

// faultProxy forwards TCP connections to the server and can cut them: all
// at once (kill), or the next connection when the client sends its n-th
// command fetching a whole message (cutAtFetch): the FETCH is in flight
// and its answer never comes.
//
// (Cutting inside the literal of an answer would also work, but go-imap
// v2.0.0-beta.8's reader goroutine then touches the connection's buffer
// without synchronisation, which the race detector reports.)
type faultProxy struct {
	ln     net.Listener
	target string

	mu         sync.Mutex
	conns      []net.Conn
	cutAtFetch atomic.Int64
	accepted   atomic.Int64
}

func newFaultProxy(t *testing.T, target string) *faultProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &faultProxy{ln: ln, target: target}
	t.Cleanup(func() { _ = ln.Close(); p.kill() })
	go p.serve()
	return p
}

func (p *faultProxy) addr() string { return p.ln.Addr().String() }

func (p *faultProxy) serve() {
	for {
		client, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.accepted.Add(1)
		server, err := net.Dial("tcp", p.target)
		if err != nil {
			_ = client.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, client, server)
		p.mu.Unlock()
		cutAt := p.cutAtFetch.Swap(0)
		go func() {
			defer server.Close()
			defer client.Close()
			buf := make([]byte, 32<<10)
			fetches := int64(0)
			for {
				n, err := client.Read(buf)
				if n > 0 {
					fetches += int64(bytes.Count(buf[:n], []byte("BODY.PEEK[]")))
					if cutAt > 0 && fetches >= cutAt {
						return
					}
					if _, err := server.Write(buf[:n]); err != nil {
						return
					}
				}
				if err != nil {
					return
				}
			}
		}()
		go func() { _, _ = io.Copy(client, server); _ = server.Close(); _ = client.Close() }()
	}
}

func (p *faultProxy) kill() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		_ = c.Close()
	}
	p.conns = nil
}

// withPhoto is a reply with a photo attached, about size bytes long.
func withPhoto(m mail, size int) []byte {
	photo := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{0xff, 0xd8, 0xff, 0xe0}, size*3/4/4))
	var lines []string
	for len(photo) > 76 {
		lines = append(lines, photo[:76])
		photo = photo[76:]
	}
	lines = append(lines, photo)
	return []byte("From: <" + m.from + ">\r\nTo: " + m.to + "\r\nMessage-ID: <" + m.messageID + ">\r\nSubject: Re: photo\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + m.body + "\r\n" +
		"--b\r\nContent-Type: image/jpeg\r\nContent-Disposition: attachment; filename=p.jpg\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		strings.Join(lines, "\r\n") + "\r\n--b--\r\n")
}

func selfSigned(t *testing.T) (server, client *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(now.UnixNano()), Subject: pkix.Name{CommonName: "imaptest"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}}, MinVersion: tls.VersionTLS12},
		&tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
}
