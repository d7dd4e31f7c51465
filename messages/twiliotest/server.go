// Package twiliotest is an in-process server that speaks the part of
// Twilio's REST API Steady uses (creating a Message), for tests that drive
// the real twilio-go client. It records what it was sent and can be told to
// fail the next requests the ways Twilio does. It also signs webhooks
// exactly as Twilio signs them.
package twiliotest

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/steadyapp/steady"
)

// Account credentials the server accepts.
const (
	AccountSID = "AC00000000000000000000000000000001"
	AuthToken  = "0123456789abcdef0123456789abcdef"
)

// Request is one Messages API call the server received.
type Request struct {
	At   time.Time  // by the server's clock
	Form url.Values // To, From or MessagingServiceSid, Body, StatusCallback, ...
	SID  string     // the SID answered, "" if the request failed
}

// Fault is how the server answers one request instead of accepting it.
type Fault struct {
	Status     int    // HTTP status, e.g. 429, 500, 400
	Code       int    // Twilio error code in the JSON body (0: no JSON body)
	RetryAfter string // Retry-After header, if any
	// Hang holds the request until the client gives up (a timeout).
	Hang bool
}

// Server is the fake Twilio API.
type Server struct {
	URL string

	srv   *httptest.Server
	clock steady.Clock

	mu       sync.Mutex
	requests []Request
	faults   []Fault
	next     int
	release  chan struct{}
	conns    int // TCP connections accepted
}

// New starts a server that reads time from clock (nil: the system clock)
// and stops it when the test ends.
func New(t testing.TB, clock steady.Clock) *Server {
	t.Helper()
	if clock == nil {
		clock = steady.SystemClock{}
	}
	s := &Server{clock: clock, release: make(chan struct{})}
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(s.handle))
	s.srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.mu.Lock()
			s.conns++
			s.mu.Unlock()
		}
	}
	s.srv.Start()
	s.URL = s.srv.URL
	t.Cleanup(func() {
		close(s.release)
		s.srv.Close()
	})
	return s
}

// Connections is how many TCP connections clients opened to the server.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns
}

// FailNext makes the next len(faults) requests fail, in order.
func (s *Server) FailNext(faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, faults...)
}

// Requests returns every request received so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Sent returns the requests that were accepted.
func (s *Server) Sent() []Request {
	var out []Request
	for _, r := range s.Requests() {
		if r.SID != "" {
			out = append(out, r)
		}
	}
	return out
}

func (s *Server) handle(w http.ResponseWriter, r *http.Request) {
	want := "/2010-04-01/Accounts/" + AccountSID + "/Messages.json"
	if r.Method != http.MethodPost || r.URL.Path != want {
		writeError(w, http.StatusNotFound, 20404, "The requested resource was not found")
		return
	}
	if user, pass, ok := r.BasicAuth(); !ok || user != AccountSID || pass != AuthToken {
		writeError(w, http.StatusUnauthorized, 20003, "Authenticate")
		return
	}
	if err := r.ParseForm(); err != nil {
		writeError(w, http.StatusBadRequest, 21602, "Could not read the form")
		return
	}
	s.mu.Lock()
	req := Request{At: s.clock.Now(), Form: r.PostForm}
	var fault *Fault
	if len(s.faults) > 0 {
		f := s.faults[0]
		s.faults = s.faults[1:]
		fault = &f
	}
	if fault == nil {
		if msg := check(r.PostForm); msg != "" {
			s.requests = append(s.requests, req)
			s.mu.Unlock()
			writeError(w, http.StatusBadRequest, 21602, msg)
			return
		}
		s.next++
		req.SID = fmt.Sprintf("SM%032x", s.next)
	}
	s.requests = append(s.requests, req)
	release := s.release
	s.mu.Unlock()

	switch {
	case fault != nil && fault.Hang:
		select {
		case <-r.Context().Done():
		case <-release:
		}
		return
	case fault != nil:
		if fault.RetryAfter != "" {
			w.Header().Set("Retry-After", fault.RetryAfter)
		}
		if fault.Code == 0 {
			http.Error(w, "upstream trouble", fault.Status)
			return
		}
		writeError(w, fault.Status, fault.Code, "fault injected by twiliotest")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(map[string]any{
		"sid": req.SID, "account_sid": AccountSID, "status": "queued",
		"to": r.PostForm.Get("To"), "from": r.PostForm.Get("From"), "body": r.PostForm.Get("Body"),
		"messaging_service_sid": r.PostForm.Get("MessagingServiceSid"), "num_segments": "1",
	})
}

// check applies the rules Twilio applies to a new message.
func check(f url.Values) string {
	switch {
	case f.Get("To") == "":
		return "A 'To' phone number is required."
	case f.Get("From") == "" && f.Get("MessagingServiceSid") == "":
		return "A 'From' phone number or a MessagingServiceSid is required."
	case f.Get("Body") == "":
		return "A message body is required."
	case len([]rune(f.Get("Body"))) > 1600:
		return "The concatenated message body exceeds the 1600 character limit."
	}
	return ""
}

func writeError(w http.ResponseWriter, status, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{
		"code": code, "message": msg, "status": status,
		"more_info": fmt.Sprintf("https://www.twilio.com/docs/errors/%d", code),
	})
}

// Sign returns the X-Twilio-Signature Twilio would send for a POST of
// params to fullURL: HMAC-SHA1, keyed by the auth token, of the URL
// followed by each parameter name and value, sorted by name, base64.
func Sign(authToken, fullURL string, params url.Values) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(fullURL)
	for _, k := range keys {
		for _, v := range params[k] {
			b.WriteString(k)
			b.WriteString(v)
		}
	}
	mac := hmac.New(sha1.New, []byte(authToken))
	mac.Write([]byte(b.String()))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}
