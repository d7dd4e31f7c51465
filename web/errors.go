package web

import (
	"cmp"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/links"
)

// statusOf maps an error to an HTTP status. Only web does this.
func statusOf(err error) int {
	var tooBig *http.MaxBytesError
	switch {
	case err == nil:
		return http.StatusOK
	case errors.As(err, &tooBig):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, links.ErrTokenExpired):
		return http.StatusGone
	case errors.Is(err, links.ErrTokenInvalid):
		return http.StatusBadRequest
	case errors.Is(err, steady.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, steady.ErrConflict):
		return http.StatusConflict
	case steady.IsInvalid(err):
		return http.StatusBadRequest
	default:
		return http.StatusInternalServerError
	}
}

// failure is what an error page says beyond the status's own words.
type failure struct {
	status  int    // overrides statusOf(err) when set
	heading string // overrides the status's heading when set
	message string // overrides the status's message when set
	hint    string // what the person can do now
	kept    string // text they wrote, shown again so nothing is lost
	again   bool   // offer the subscribe page
}

type errorData struct {
	Status  int
	Heading string
	Message string
	Hint    string
	Kept    string
	Again   bool
}

// fail answers an error page. Errors the person can act on are explained;
// anything else is logged and answered with a generic 500 page.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error, f failure) {
	status := f.status
	if status == 0 {
		status = statusOf(err)
	}
	d := errorData{Status: status, Heading: f.heading, Hint: f.hint, Kept: f.kept, Again: f.again}
	switch status {
	case http.StatusBadRequest:
		d.Message = "Something in the request wasn't right."
		var v *steady.ValidationError
		switch {
		case errors.Is(err, links.ErrTokenInvalid):
			d.Heading = cmp.Or(d.Heading, "This link doesn't work")
			d.Message = "This link isn't valid. It may have been cut short when it was copied; try opening it straight from the email."
		case errors.As(err, &v):
			d.Message = capitalize(v.Message) + "."
		}
	case http.StatusGone:
		d.Message = "This link is too old to use."
	case http.StatusNotFound:
		d.Message = "We couldn't find that page."
	case http.StatusConflict:
		d.Message = "That can't be done right now."
	case http.StatusRequestEntityTooLarge:
		d.Message = "That was more than we can accept in one go."
	case http.StatusMethodNotAllowed:
		d.Message = "That page can't be used that way."
	case http.StatusUnauthorized:
		d.Message = "This page needs a password."
	case http.StatusForbidden:
		d.Message = "This page isn't available here."
	default:
		s.log.ErrorContext(r.Context(), "request failed", "route", r.Pattern, "err", err)
		d.Message = "Something went wrong on our side. Nothing you did caused it; please try again in a little while."
	}
	if f.message != "" {
		d.Message = f.message
	}
	if d.Heading == "" {
		d.Heading = headings[status]
	}
	if d.Heading == "" {
		d.Heading = http.StatusText(status)
	}
	s.render(w, r, status, "error", d.Heading, d)
}

// headings are the error pages' titles, in plain words.
var headings = map[int]string{
	http.StatusBadRequest:            "That didn't work",
	http.StatusUnauthorized:          "This page needs a password",
	http.StatusForbidden:             "Not available here",
	http.StatusNotFound:              "Not found",
	http.StatusConflict:              "That can't be done",
	http.StatusGone:                  "This link has expired",
	http.StatusRequestEntityTooLarge: "That was too much to send",
	http.StatusInternalServerError:   "Something went wrong",
}

// jsonError is the API's error shape.
type jsonError struct {
	Error string `json:"error"`
	Field string `json:"field,omitempty"`
}

// failJSON answers an API error. Validation messages are passed on; other
// errors get a generic message and, for 5xx, a log line.
func (s *Server) failJSON(w http.ResponseWriter, r *http.Request, err error) {
	status := statusOf(err)
	body := jsonError{Error: http.StatusText(status)}
	var v *steady.ValidationError
	switch {
	case errors.As(err, &v):
		body = jsonError{Error: v.Message, Field: v.Field}
	case status == http.StatusRequestEntityTooLarge:
		body.Error = "the request body is too large"
	case status >= 500:
		s.log.ErrorContext(r.Context(), "request failed", "route", r.Pattern, "err", err)
		body.Error = "something went wrong on our side; please try again later"
	}
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":"internal error"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
