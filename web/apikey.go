package web

import (
	"context"
	"errors"
	"net/http"
	"strings"
)

// APIKeys checks the key an API caller sends as "Authorization: Bearer
// KEY"; *apikeys.Keys has it. ok is false for a malformed, unknown or
// revoked key; err only when the check itself failed.
type APIKeys interface {
	Authenticate(ctx context.Context, bearer string) (name string, ok bool, err error)
}

// errBadAPIKey: an Authorization header that carries no working key.
var errBadAPIKey = errors.New("the API key is not valid (unknown, revoked or mistyped): send Authorization: Bearer KEY with a key from steady api-keys create; nothing was stored")

// apiKeyName reads the caller's key: its name, or "" when the request has
// no Authorization header. A header that is not "Bearer" and a working
// key is errBadAPIKey, whatever the endpoint would do without one: a
// caller that meant to use a key must learn that it did not work.
func (s *Server) apiKeyName(r *http.Request) (string, error) {
	h, present := r.Header["Authorization"]
	if !present {
		return "", nil
	}
	scheme, token, ok := strings.Cut(strings.TrimSpace(strings.Join(h, "")), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || len(h) != 1 || s.apiKeys == nil {
		return "", errBadAPIKey
	}
	name, valid, err := s.apiKeys.Authenticate(r.Context(), strings.TrimSpace(token))
	if err != nil {
		return "", err
	}
	if !valid {
		return "", errBadAPIKey
	}
	return name, nil
}

// unauthorized answers 401 in the API's JSON error shape.
func unauthorized(w http.ResponseWriter, body jsonError, invalidToken bool) {
	challenge := `Bearer realm="Steady API"`
	if invalidToken {
		challenge += `, error="invalid_token"`
	}
	w.Header().Set("WWW-Authenticate", challenge)
	writeJSON(w, http.StatusUnauthorized, body)
}
