package api

import (
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"strconv"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
)

// Error codes: the one "code" field a caller's program branches on. The
// HTTP status says the same more coarsely; the message is for people.
const (
	codeInvalid      = "invalid"
	codeNotFound     = "not_found"
	codeConflict     = "conflict"
	codeUnauthorized = "unauthorized"
	codeRateLimited  = "rate_limited"
	codeInternal     = "internal"
)

// errorBody is every error answer: {"error": {"code", "message", "field"}}.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	// Field names the input that was wrong (a body field or a query
	// parameter), when one was.
	Field string `json:"field,omitempty"`
}

// problem is an error answer about to be written.
type problem struct {
	status int
	detail errorDetail
}

func (p problem) Error() string { return p.detail.Message }

// invalid is a 400 about field.
func invalid(field, message string) problem {
	return problem{http.StatusBadRequest, errorDetail{Code: codeInvalid, Message: message, Field: field}}
}

// notFound is a 404.
func notFound(message string) problem {
	return problem{http.StatusNotFound, errorDetail{Code: codeNotFound, Message: message}}
}

// conflict is a 409: the request is well formed but the thing it names is
// not in a state that allows it.
func conflict(message string) problem {
	return problem{http.StatusConflict, errorDetail{Code: codeConflict, Message: message}}
}

// fail answers err in the error shape. A problem is answered as it is;
// store and domain errors are mapped here (the only place the API maps
// errors to statuses); anything else is logged and answered 500 with no
// detail.
func (a *API) fail(w http.ResponseWriter, r *http.Request, err error) {
	var p problem
	var v *steady.ValidationError
	var tooBig *http.MaxBytesError
	switch limit, limited := store.IsLimited(err); {
	case errors.As(err, &p):
	case limited:
		// Whole seconds until the window frees, as the sign-up answers.
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(limit.RetryAfter.Seconds())))))
		p = problem{http.StatusTooManyRequests, errorDetail{Code: codeRateLimited,
			Message: "too many confirmations to this address or on this channel just now (limit " + limit.Scope + "); try again after Retry-After seconds; nothing was stored"}}
	case errors.As(err, &tooBig):
		p = problem{http.StatusRequestEntityTooLarge, errorDetail{Code: codeInvalid,
			Message: "the request body is larger than " + strconv.FormatInt(tooBig.Limit, 10) + " bytes; nothing was changed"}}
	case errors.As(err, &v):
		p = invalid(v.Field, v.Message)
	case errors.Is(err, steady.ErrNotFound):
		p = notFound("no such subscriber or delivery")
	case errors.Is(err, steady.ErrConflict):
		p = conflict("that cannot be done in the state it is in now; nothing was changed")
	default:
		a.log.ErrorContext(r.Context(), "api request failed", "route", r.Pattern, "err", err)
		p = problem{http.StatusInternalServerError, errorDetail{Code: codeInternal,
			Message: "something went wrong on our side; please try again later"}}
	}
	writeJSON(w, p.status, errorBody{Error: p.detail})
}

// writeJSON answers v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"error":{"code":"internal","message":"the answer could not be written"}}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}
