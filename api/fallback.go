package api

import (
	"net/http"
	"strings"
)

// probeMethods are the methods the fallback tries a path with to say
// which are allowed.
var probeMethods = []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete}

// fallback answers a request no route took: 405 with Allow when the path
// is a route's under other methods, else 404, both in the error shape
// (the mux's own answers are plain text). known holds the routes.
func (a *API) fallback(known *http.ServeMux) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var allow []string
		for _, m := range probeMethods {
			probe := &http.Request{Method: m, URL: r.URL, Host: r.Host, Header: http.Header{}}
			if _, pattern := known.Handler(probe); pattern != "" {
				allow = append(allow, m)
			}
		}
		if len(allow) == 0 {
			a.fail(w, r, notFound("no such API route; the routes are in docs/openapi.yaml"))
			return
		}
		w.Header().Set("Allow", strings.Join(allow, ", "))
		a.fail(w, r, problem{http.StatusMethodNotAllowed, errorDetail{Code: codeInvalid,
			Message: r.Method + " is not allowed here; use " + orList(allow)}})
	}
}

// orList is "GET", "GET or POST", "GET, PATCH or DELETE".
func orList(items []string) string {
	if len(items) == 1 {
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}
