package messages

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	twclient "github.com/twilio/twilio-go/client"
	twapi "github.com/twilio/twilio-go/rest/api/v2010"

	"github.com/steadyapp/steady"
)

// MaxSMSLength is the longest body Twilio accepts, in characters.
const MaxSMSLength = 1600

// DefaultTwilioAPIURL is where Twilio's REST API lives.
const DefaultTwilioAPIURL = "https://api.twilio.com"

// TwilioConfig is what a TwilioSender is built from.
type TwilioConfig struct {
	AccountSID string // TWILIO_ACCOUNT_SID
	AuthToken  string // TWILIO_AUTH_TOKEN
	// From (an E.164 number) or MessagingServiceSID: exactly one is needed.
	From                string
	MessagingServiceSID string
	// APIURL replaces https://api.twilio.com (test servers, compatible
	// gateways); only its scheme and host are used.
	APIURL string
	// StatusCallback is the URL Twilio posts delivery statuses to; empty
	// means none.
	StatusCallback string
	// Timeout bounds one request to Twilio. Default 15 seconds.
	Timeout time.Duration
	// Transport carries the requests. Default a keep-alive transport of
	// the sender's own (http.DefaultTransport's settings, with room for
	// an idle connection per concurrent send), shared by all its sends.
	Transport http.RoundTripper
	// Clock reads the time for Retry-After dates. Default the system clock.
	Clock steady.Clock
	// Metrics, when set, counts failed sends by error class.
	Metrics Metrics
}

// TwilioSender sends SMS through Twilio's Messages API with the twilio-go
// client.
type TwilioSender struct {
	cfg    TwilioConfig
	target *url.URL
}

var _ Sender = (*TwilioSender)(nil)

// NewTwilioSender checks cfg and returns a sender.
func NewTwilioSender(cfg TwilioConfig) (*TwilioSender, error) {
	if err := ValidateTwilioCredentials(cfg.AccountSID, cfg.AuthToken); err != nil {
		return nil, err
	}
	if (cfg.From == "") == (cfg.MessagingServiceSID == "") {
		return nil, errors.New("messages: twilio: set exactly one of a From number and a Messaging Service SID")
	}
	if cfg.From != "" && (!strings.HasPrefix(cfg.From, "+") || len(cfg.From) < 8) {
		return nil, fmt.Errorf("messages: twilio: From %q is not an E.164 number such as +15005550006", cfg.From)
	}
	target, err := url.Parse(cmp.Or(cfg.APIURL, DefaultTwilioAPIURL))
	if err != nil || (target.Scheme != "http" && target.Scheme != "https") || target.Host == "" {
		return nil, fmt.Errorf("messages: twilio: API URL %q is not an http(s) URL", cfg.APIURL)
	}
	cfg.Timeout = cmp.Or(cfg.Timeout, 15*time.Second)
	if cfg.Transport == nil {
		cfg.Transport = keepAliveTransport()
	}
	if cfg.Clock == nil {
		cfg.Clock = steady.SystemClock{}
	}
	return &TwilioSender{cfg: cfg, target: target}, nil
}

// twilioIdleConns is how many idle keep-alive connections to Twilio the
// default transport keeps: more than the dispatcher's concurrent sends, so
// none is closed after its request (http.DefaultTransport keeps two).
const twilioIdleConns = 32

// keepAliveTransport is http.DefaultTransport with room for more idle
// connections to the one host a TwilioSender talks to.
func keepAliveTransport() http.RoundTripper {
	base, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return http.DefaultTransport
	}
	t := base.Clone()
	t.MaxIdleConns = max(t.MaxIdleConns, twilioIdleConns)
	t.MaxIdleConnsPerHost = twilioIdleConns
	return t
}

// TwilioError is a failed request to Twilio that is worth retrying (429,
// 5xx); RetryAfter is what Twilio asked for, or 0.
type TwilioError struct {
	Status int
	Code   int
	Wait   time.Duration
	Err    error
}

func (e *TwilioError) Error() string {
	s := fmt.Sprintf("twilio: HTTP %d", e.Status)
	if e.Code != 0 {
		s += fmt.Sprintf(", error %d", e.Code)
	}
	if e.Wait > 0 {
		s += fmt.Sprintf(", retry after %s", e.Wait)
	}
	return s
}

func (e *TwilioError) Unwrap() error { return e.Err }

// RetryAfter is how long the provider asked the caller to wait.
func (e *TwilioError) RetryAfter() time.Duration { return e.Wait }

// Send sends m.Text to m.To. See the package doc for what its error means.
func (s *TwilioSender) Send(ctx context.Context, m steady.Message) (string, error) {
	if m.Channel != steady.ChannelSMS {
		return "", fmt.Errorf("messages: twilio: %w: not an SMS message (channel %q)", steady.ErrRejected, m.Channel)
	}
	if m.To == "" || m.Text == "" {
		return "", fmt.Errorf("messages: twilio: %w: no recipient or no text", steady.ErrRejected)
	}
	if n := utf8.RuneCountInString(m.Text); n > MaxSMSLength {
		return "", fmt.Errorf("messages: twilio: %w: the text is %d characters, over Twilio's %d", steady.ErrRejected, n, MaxSMSLength)
	}
	// twilio-go sends without a context and keeps no response headers, so
	// each send gets its own light client whose transport carries ctx,
	// points at the configured API host and remembers the response; the
	// connections (keep-alive) belong to the shared cfg.Transport.
	rt := &twilioTransport{ctx: ctx, target: s.target, base: s.cfg.Transport}
	c := &twclient.Client{
		Credentials: twclient.NewCredentials(s.cfg.AccountSID, s.cfg.AuthToken),
		HTTPClient: &http.Client{
			Transport:     rt,
			Timeout:       s.cfg.Timeout,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
	c.SetAccountSid(s.cfg.AccountSID)
	params := &twapi.CreateMessageParams{}
	params.SetTo(m.To)
	params.SetBody(m.Text)
	if s.cfg.From != "" {
		params.SetFrom(s.cfg.From)
	} else {
		params.SetMessagingServiceSid(s.cfg.MessagingServiceSID)
	}
	if s.cfg.StatusCallback != "" {
		params.SetStatusCallback(s.cfg.StatusCallback)
	}
	if err := steady.BeginAttempt(ctx); err != nil {
		return "", fmt.Errorf("messages: twilio: not sent: %w", err)
	}
	msg, err := twapi.NewApiServiceWithClient(c).CreateMessage(params)
	if err != nil {
		return "", s.classify(err, rt.result())
	}
	if msg == nil || msg.Sid == nil || *msg.Sid == "" {
		return "", fmt.Errorf("messages: twilio: %w: the answer carried no message SID", steady.ErrOutcomeUnknown)
	}
	return *msg.Sid, nil
}

// classify maps a failed CreateMessage to the Sender error contract.
func (s *TwilioSender) classify(err error, res twilioResult) error {
	var rest *twclient.TwilioRestError
	code, status := 0, res.status
	if errors.As(err, &rest) {
		code = rest.Code
		status = cmp.Or(status, rest.Status)
	}
	if s.cfg.Metrics != nil {
		s.cfg.Metrics.ProviderError("twilio", twilioClass(err, res, code, status))
	}
	switch {
	case res.status == 0 && (code == 21222 || code == 21224):
		// twilio-go refused the credentials itself; nothing reached Twilio.
		return fmt.Errorf("messages: twilio: %w: not sent: twilio-go refuses an account SID or auth token with characters other than letters and digits (check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN)", steady.ErrRejected)
	case code == 21610:
		return fmt.Errorf("messages: twilio: error 21610: %w", steady.ErrOptedOut)
	case code == 21211 || code == 21614:
		return fmt.Errorf("messages: twilio: error %d: %w", code, steady.ErrAddressInvalid)
	case status == http.StatusTooManyRequests || status >= 500:
		return fmt.Errorf("messages: %w", &TwilioError{Status: status, Code: code, Wait: s.retryAfter(res.retryAfter)})
	case status >= 400:
		return fmt.Errorf("messages: twilio: HTTP %d, error %d: %w", status, code, steady.ErrRejected)
	case status != 0:
		// An answer came but could not be read: it may have been sent.
		return fmt.Errorf("messages: twilio: HTTP %d: %w", status, steady.ErrOutcomeUnknown)
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return fmt.Errorf("messages: twilio: cannot connect: %w", err) // nothing sent: retry
	}
	// A timeout or a broken connection after the request went out: Twilio
	// may have accepted it.
	return fmt.Errorf("messages: twilio: %w: %v", steady.ErrOutcomeUnknown, err)
}

// retryAfter parses a Retry-After header: seconds or an HTTP date.
func (s *TwilioSender) retryAfter(h string) time.Duration {
	if h == "" {
		return 0
	}
	if n, err := strconv.Atoi(strings.TrimSpace(h)); err == nil && n > 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil {
		if d := t.Sub(s.cfg.Clock.Now()); d > 0 {
			return d
		}
	}
	return 0
}

// twilioTransport sends twilio-go's requests to the configured host with
// the send's context, and remembers the answer's status and Retry-After.
type twilioTransport struct {
	ctx    context.Context
	target *url.URL
	base   http.RoundTripper

	mu  sync.Mutex
	res twilioResult
}

type twilioResult struct {
	status     int
	retryAfter string
}

func (t *twilioTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(t.ctx)
	r.URL.Scheme, r.URL.Host, r.Host = t.target.Scheme, t.target.Host, ""
	if p := strings.TrimSuffix(t.target.Path, "/"); p != "" {
		r.URL.Path = p + r.URL.Path
	}
	resp, err := t.base.RoundTrip(r)
	if err == nil {
		t.mu.Lock()
		t.res = twilioResult{status: resp.StatusCode, retryAfter: resp.Header.Get("Retry-After")}
		t.mu.Unlock()
	}
	return resp, err
}

func (t *twilioTransport) result() twilioResult {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.res
}
