package web

import (
	"errors"
	"net/http"
)

// RequireAPIKey serves next only to a caller with a working API key
// ("Authorization: Bearer KEY", checked by keys as the JSON API checks
// it), and answers 401 in the API's JSON error shape otherwise. cmd/steady
// puts /metrics behind it on the main listener.
func RequireAPIKey(keys APIKeys, next http.Handler) http.Handler {
	s := &Server{apiKeys: keys}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, err := s.apiKeyName(r)
		switch {
		case errors.Is(err, errBadAPIKey):
			unauthorized(w, jsonError{Error: "the API key is not valid (unknown, revoked or mistyped): send Authorization: Bearer KEY with a key from steady api-keys create"}, true)
		case err != nil:
			writeJSON(w, http.StatusServiceUnavailable, jsonError{Error: "the API key could not be checked just now; try again"})
		case name == "":
			unauthorized(w, jsonError{Error: "this needs an API key: send Authorization: Bearer KEY with a key from steady api-keys create"}, false)
		default:
			next.ServeHTTP(w, r)
		}
	})
}
