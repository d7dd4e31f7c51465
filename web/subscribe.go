package web

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/phones"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/zones"
)

// ConsentWording is the sentence shown next to the subscribe button; the
// exact string is stored with the consent record.
func ConsentWording(programName string) string {
	return "I agree to receive reflection prompts from " + programName +
		" by email on the schedule above. I can unsubscribe at any time with one click from any email."
}

const (
	// maxFormBody bounds the subscribe, confirm and unsubscribe bodies.
	maxFormBody = 16 << 10
	// resendAfter: a repeat sign-up sends a new confirmation link at most this often.
	resendAfter = 10 * time.Minute
)

// subscribeInput is the subscribe form or JSON body, as typed.
type subscribeInput struct {
	Email    string   `json:"email"`
	Phone    string   `json:"phone"`
	TimeZone string   `json:"timezone"`
	Cadence  string   `json:"cadence"`
	Days     []string `json:"days"`
	Every    int      `json:"every"`
	Time     string   `json:"time"`
	// ConsentText (API only) is the exact wording the operator's own page
	// showed next to its button; kept in the consent record.
	ConsentText string `json:"consent_text"`
	// Discreet asks for discreet mode; nil, the channel's default
	// (discreetByDefault).
	Discreet *bool `json:"discreet"`
}

// discreetByDefault: texts are discreet unless the person says otherwise
// (a phone's lock screen shows them to whoever holds it); email is not.
func discreetByDefault(ch steady.Channel) bool { return ch == steady.ChannelSMS }

// formDiscreet reads the form's discreet field: its last value "on" or
// "off" (a checkbox after a hidden "off"), else nil ("auto" or absent:
// the channel's default).
func formDiscreet(values []string) (*bool, error) {
	if len(values) == 0 {
		return nil, nil
	}
	switch v := values[len(values)-1]; v {
	case "on", "off":
		b := v == "on"
		return &b, nil
	case "", "auto":
		return nil, nil
	}
	return nil, steady.Invalid("discreet", "discreet must be on, off or auto")
}

// maxConsentText bounds the API's consent_text, in characters.
const maxConsentText = 2000

// APIConsentWording is kept as the consent wording of an API sign-up that
// sent no consent_text: it says where the request came from rather than
// claim the person saw the web form's words.
func APIConsentWording(ch steady.Channel) string {
	return "Requested through the JSON API (POST /api/subscriptions) for prompts by " + channelWords(ch) +
		"; the requesting site did not send the wording it showed. Nothing is sent but the confirmation until the person confirms it."
}

func channelWords(ch steady.Channel) string {
	if ch == steady.ChannelSMS {
		return "text message"
	}
	return "email"
}

// subscribed is what the answer restates. It depends only on the input,
// never on whether the address was already known.
type subscribed struct {
	Schedule steady.Schedule
	TimeZone string
	SMS      bool // signed up by phone: the confirmation comes by text
}

// inputErrors is every field that was wrong; errors.As finds the first
// *steady.ValidationError through it.
type inputErrors []error

func (e inputErrors) Error() string   { return errors.Join(e...).Error() }
func (e inputErrors) Unwrap() []error { return e }

// subscribe is the one path both the form and the API take: validate,
// record the request (which queues a confirmation), nudge the sender.
func (s *Server) subscribe(ctx context.Context, in subscribeInput, method, ip string) (subscribed, error) {
	var errs inputErrors
	ch, addr, wording, err := s.address(in)
	if err != nil {
		errs = append(errs, err)
	}
	if method == "api" || strings.HasPrefix(method, "api:") {
		if wording, err = apiConsent(in.ConsentText, ch); err != nil {
			errs = append(errs, err)
		}
	}
	tz, loc, err := loadZone(in.TimeZone)
	if err != nil {
		errs = append(errs, err)
		loc = time.UTC // still check the schedule, to report every mistake at once
	}
	now := s.clock.Now()
	sched, err := steady.NewSchedule(in.Cadence, in.Days, in.Every, in.Time, now.In(loc))
	if err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return subscribed{}, errs
	}
	discreet := discreetByDefault(ch)
	if in.Discreet != nil {
		discreet = *in.Discreet
	}
	var hash string
	if s.hasher != nil {
		if hash, err = s.hasher.HashAddress(ch, addr); err != nil {
			return subscribed{}, fmt.Errorf("web: request subscription: %w", err)
		}
	}
	res, err := s.store.RequestSubscription(ctx, store.SubscriptionRequest{
		Channel:  ch,
		Address:  addr,
		TimeZone: tz,
		Schedule: sched,
		Consent: steady.Consent{
			Action:  steady.ConsentRequested,
			At:      now,
			Method:  method,
			IP:      ip,
			Wording: wording,
		},
		Now:         now,
		ResendAfter: resendAfter,
		Limits:      s.signupLimits(ch, addr, ip),
		AddressHash: hash,
		Discreet:    discreet,
	})
	s.afterSignup(ctx, err)
	if err != nil {
		return subscribed{}, fmt.Errorf("web: request subscription: %w", err)
	}
	s.metrics.SignupRequested(ch)
	if res.HeldBack {
		// The answer is the same as for any number (SMSPendingMessage).
		s.log.InfoContext(ctx, "sign-up held back: the number had asked to stop; only a START from it brings texts back",
			"channel", string(ch), "method", method)
	}
	if res.ConfirmQueued && s.wake != nil {
		s.wake()
	}
	return subscribed{Schedule: sched, TimeZone: tz, SMS: ch == steady.ChannelSMS}, nil
}

// apiConsent is the consent wording of an API sign-up: the site's own
// consent_text, trimmed and bounded, or APIConsentWording.
func apiConsent(text string, ch steady.Channel) (string, error) {
	text = strings.TrimSpace(text)
	switch {
	case text == "":
		return APIConsentWording(ch), nil
	case utf8.RuneCountInString(text) > maxConsentText:
		return "", steady.Invalid("consent_text", "consent_text is longer than %d characters", maxConsentText)
	case !utf8.ValidString(text) || strings.ContainsFunc(text, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' }):
		return "", steady.Invalid("consent_text", "consent_text has control characters")
	}
	return "As shown by the requesting site (JSON API): " + text, nil
}

// loadZone resolves the time zone a sign-up typed (zones.Resolve: an
// IANA name in any case, a city, or an alias such as "Eastern") and loads
// it. Abbreviations and fixed offsets ("EST", "GMT") are refused with the
// places they usually mean: the page promises prompts that follow local
// summer time, and "EST" never does.
func loadZone(typed string) (string, *time.Location, error) {
	name, err := zones.Resolve(typed)
	if err != nil {
		return "", nil, steady.Invalid("timezone", "%s", err.Error())
	}
	loc, err := steady.LoadLocation(name)
	return name, loc, err
}

// smsOnlyEmail is the answer to an email address when sign-up is by phone
// number only.
const smsOnlyEmail = "this programme signs up by phone number only, and its prompts come by text message: " +
	"please give your mobile number instead of an email address"

// address picks the channel from what was typed: an email address, or a
// phone number when SMS is on (only a phone number when SMS-only). It
// returns the normalized address and the consent wording shown for that
// channel.
func (s *Server) address(in subscribeInput) (steady.Channel, string, string, error) {
	email, phone := strings.TrimSpace(in.Email), strings.TrimSpace(in.Phone)
	switch {
	case s.smsOnly && email != "":
		return "", "", "", steady.Invalid("email", smsOnlyEmail)
	case s.smsOnly && phone == "":
		return "", "", "", steady.Invalid("phone", "a mobile number is required: this programme signs up by phone number only")
	case phone == "" && email == "" && s.smsOn():
		return "", "", "", steady.Invalid("email", "an email address or a phone number is required")
	case phone == "":
		addr, err := steady.NormalizeEmail(email)
		return steady.ChannelEmail, addr, s.consent, err
	case email != "":
		return "", "", "", steady.Invalid("phone", "give an email address or a phone number, not both")
	case !s.smsOn():
		return "", "", "", steady.Invalid("phone", "sign-up by text message is not available here; please use an email address")
	}
	addr, err := s.normalizePhone(phone)
	return steady.ChannelSMS, addr, SMSConsentWording(s.program), err
}

// weekdays in the order the form shows them.
var weekdays = []struct{ Value, Label string }{
	{"mon", "Monday"}, {"tue", "Tuesday"}, {"wed", "Wednesday"}, {"thu", "Thursday"},
	{"fri", "Friday"}, {"sat", "Saturday"}, {"sun", "Sunday"},
}

type dayOption struct {
	Value, Label string
	Checked      bool
}

// subscribeData fills the subscribe page, keeping what was typed.
type subscribeData struct {
	Email, TimeZone, Cadence, Every, Time string
	// Discreet is the form's discreet choice: "on", "off" or "" (auto).
	Discreet           string
	Days               []dayOption
	Errors             map[string]string
	Consent            string
	Phone, SMSConsent  string
	PhoneHint          string
	SMS                bool
	MinEvery, MaxEvery int
	// SMSOnly: no email field; sign-up is by phone number only.
	SMSOnly bool
	// Notice is a sentence above the form that is about no one field: why
	// a sign-up was refused by an abuse limit.
	Notice string
	// Zones fill the time zone box's list.
	Zones []zones.Zone
}

func (s *Server) newSubscribeData(email, tz, cadence, every, at string, days []string) subscribeData {
	d := subscribeData{
		Email: email, TimeZone: tz, Cadence: cadence, Every: every, Time: at,
		Errors:     map[string]string{},
		Consent:    s.consent,
		SMS:        s.smsOn(),
		SMSOnly:    s.smsOnly,
		SMSConsent: SMSConsentWording(s.program),
		PhoneHint:  s.phoneHint(),
		MinEvery:   steady.MinEveryDays, MaxEvery: steady.MaxEveryDays,
		Zones: s.zoneList,
	}
	for _, wd := range weekdays {
		checked := false
		for _, v := range days {
			if v == wd.Value {
				checked = true
			}
		}
		d.Days = append(d.Days, dayOption{Value: wd.Value, Label: wd.Label, Checked: checked})
	}
	return d
}

func (s *Server) subscribePage(w http.ResponseWriter, r *http.Request) {
	d := s.newSubscribeData("", "", string(steady.CadenceDaily), "3", "20:00", nil)
	s.render(w, r, http.StatusOK, "subscribe", "Reflection prompts", d)
}

// subscribeForm handles the HTML form. A mistake re-shows the form with the
// message next to the field and everything typed kept.
func (s *Server) subscribeForm(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err, failure{status: statusOrBadRequest(err)})
		return
	}
	f := r.PostForm
	in := subscribeInput{
		Email:    f.Get("email"),
		Phone:    f.Get("phone"),
		TimeZone: f.Get("timezone"),
		Cadence:  f.Get("cadence"),
		Days:     f["days"],
		Time:     f.Get("time"),
	}
	discreet, derr := formDiscreet(f["discreet"])
	in.Discreet = discreet
	if in.Cadence == string(steady.CadenceEveryN) {
		// Not a number: 0, which NewSchedule reports as out of range.
		in.Every, _ = strconv.Atoi(strings.TrimSpace(f.Get("every")))
	}
	var out subscribed
	err := derr
	if err == nil {
		out, err = s.subscribe(r.Context(), in, "web", s.clientIP(r))
	}
	if err != nil {
		limit, limited := store.IsLimited(err)
		if !limited && !steady.IsInvalid(err) {
			s.fail(w, r, err, failure{})
			return
		}
		d := s.newSubscribeData(in.Email, in.TimeZone, in.Cadence, f.Get("every"), in.Time, in.Days)
		d.Phone = in.Phone
		if in.Discreet != nil {
			d.Discreet = map[bool]string{true: "on", false: "off"}[*in.Discreet]
		}
		if limited {
			s.limitedForm(w, r, limit, d)
			return
		}
		collectFieldErrors(err, d.Errors)
		status := http.StatusBadRequest
		if refusedCountry(err) {
			status = http.StatusUnprocessableEntity
		}
		s.render(w, r, status, "subscribe", "Please check the form", d)
		return
	}
	title := "Check your inbox"
	if out.SMS {
		title = "Check your phone"
	}
	s.render(w, r, http.StatusOK, "pending", title, out)
}

// collectFieldErrors puts each validation message under its field, first
// message wins.
func collectFieldErrors(err error, into map[string]string) {
	var v *steady.ValidationError
	if errors.As(err, &v) {
		if _, ok := into[v.Field]; !ok {
			into[v.Field] = sentence(v.Message)
		}
	}
	if list, ok := err.(interface{ Unwrap() []error }); ok {
		for _, err := range list.Unwrap() {
			collectFieldErrors(err, into)
		}
	}
}

// SMSPendingMessage answers every sign-up by phone number, the same for
// every number: a number that had texted STOP is sent nothing (only a
// START from it brings texts back), and telling a stranger so would say
// that the number had been signed up and left.
const SMSPendingMessage = "If this number can get texts from us, a text is on its way. Reply YES to it to confirm; " +
	"nothing else will be sent until you do. If no text comes, text START from that phone to the number our texts come from."

// apiAccepted is the API's answer, the same for every address.
type apiAccepted struct {
	Status   string `json:"status"`
	Message  string `json:"message"`
	Schedule string `json:"schedule"`
	TimeZone string `json:"timezone"`
}

// subscribeAPI handles POST /api/subscriptions.
func (s *Server) subscribeAPI(w http.ResponseWriter, r *http.Request) {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		writeJSON(w, http.StatusUnsupportedMediaType, jsonError{Error: "send the request as application/json"})
		return
	}
	keyName, err := s.apiKeyName(r)
	if errors.Is(err, errBadAPIKey) {
		unauthorized(w, jsonError{Error: err.Error()}, true)
		return
	}
	if err != nil {
		s.failJSON(w, r, fmt.Errorf("web: checking the API key: %w", err))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	var in subscribeInput
	if err := decodeJSON(r.Body, &in); err != nil {
		s.failJSON(w, r, err)
		return
	}
	method := "api"
	if keyName != "" {
		// The consent record names the key, so its wording can be traced
		// to the site that sent it.
		method = "api:" + keyName
	} else if strings.TrimSpace(in.ConsentText) != "" {
		unauthorized(w, jsonError{Field: "consent_text", Error: "consent_text needs an API key (Authorization: Bearer KEY, " +
			"from steady api-keys create): only a known site's own wording is kept. Without consent_text the " +
			"built-in wording is used. Nothing was stored"}, false)
		return
	}
	out, err := s.subscribe(r.Context(), in, method, s.clientIP(r))
	var v *steady.ValidationError
	switch limit, limited := store.IsLimited(err); {
	case limited:
		limitedJSON(w, limit)
		return
	case refusedCountry(err) && errors.As(err, &v):
		writeJSON(w, http.StatusUnprocessableEntity, jsonError{Error: v.Message, Field: v.Field})
		return
	case err != nil:
		s.failJSON(w, r, err)
		return
	}
	msg := "If this address can receive email, a confirmation link is on its way. " +
		"Nothing else will be sent until it is confirmed."
	if out.SMS {
		msg = SMSPendingMessage
	}
	writeJSON(w, http.StatusAccepted, apiAccepted{
		Status:   "pending",
		Message:  msg,
		Schedule: out.Schedule.Describe(),
		TimeZone: out.TimeZone,
	})
}

// decodeJSON reads exactly one JSON object with no unknown fields.
func decodeJSON(body io.Reader, v any) error {
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.As(err, &tooBig):
			return err
		case errors.As(err, &typeErr):
			if typeErr.Field == "" {
				return steady.Invalid("", "the request body must be a JSON object, like {\"email\": \"…\", \"timezone\": \"…\"}; it was %s", jsonKind(typeErr.Value))
			}
			return steady.Invalid(typeErr.Field, "%s must be %s, not %s", typeErr.Field, expected(typeErr.Type), jsonKind(typeErr.Value))
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			field, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
			return steady.Invalid(field, "%q is not a field this API knows", field)
		case errors.Is(err, io.EOF):
			return steady.Invalid("", "the request body is empty")
		default:
			return steady.Invalid("", "the request body is not valid JSON")
		}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return err
		}
		return steady.Invalid("", "the request body must be a single JSON object")
	}
	return nil
}

// expected names a Go type as a JSON reader would: "a string".
func expected(t reflect.Type) string {
	if t == nil {
		return "another type"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "a whole number"
	case reflect.Slice:
		return "a list of " + strings.TrimPrefix(expected(t.Elem()), "a ") + "s"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return "another type"
}

// jsonKind names what UnmarshalTypeError.Value says was sent ("array",
// "number 3", "string"), with an article.
func jsonKind(v string) string {
	v, rest, _ := strings.Cut(v, " ")
	if v == "number" && rest != "" {
		// "every must be a whole number, not 1e9" (not "not a number").
		return rest
	}
	switch v {
	case "array", "object":
		return "an " + v
	case "":
		return "something else"
	}
	return "a " + v
}

// statusOrBadRequest: a body that could not be read is the client's
// fault (400) unless it was too large (413).
func statusOrBadRequest(err error) int {
	if s := statusOf(err); s == http.StatusRequestEntityTooLarge {
		return s
	}
	return http.StatusBadRequest
}

// regionNames names the countries a phone hint is most often about; any
// other region is shown by its code.
var regionNames = map[string]string{
	"US": "the United States", "CA": "Canada", "GB": "the United Kingdom", "IE": "Ireland",
	"AU": "Australia", "NZ": "New Zealand", "DE": "Germany", "FR": "France", "NL": "the Netherlands",
}

// phoneHint says how a typed number is read: in the default country
// unless it starts with + and a country code.
func (s *Server) phoneHint() string {
	if !s.smsOn() || s.sms.Phones.DefaultRegion == "" {
		return "Start with + and your country code, e.g. +44 7700 900123."
	}
	region := strings.ToUpper(s.sms.Phones.DefaultRegion)
	name := cmp.Or(regionNames[region], region)
	code := phones.CallingCode(region)
	return fmt.Sprintf("A number without + is read as a number in %s (+%d); from elsewhere, start with + and your country code.", name, code)
}

// sentence is a field's message as a sentence: capitalised, ending in a
// full stop unless it ends in a question ("Did you mean Europe/London?")
// or a full stop already.
func sentence(msg string) string {
	msg = capitalize(msg)
	if strings.HasSuffix(msg, "?") || strings.HasSuffix(msg, ".") {
		return msg
	}
	return msg + "."
}
