package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"
)

// callerKey is the context key under which a request carries its key's name.
type callerKey struct{}

// callerOf is the name of the key the request was made with.
func callerOf(ctx context.Context) string {
	name, _ := ctx.Value(callerKey{}).(string)
	return name
}

// authenticated lets a request through only with "Authorization: Bearer
// KEY" and a working key; anything else is 401 with a Bearer challenge
// (RFC 6750: error="invalid_token" when a header was sent). Nothing
// under /api/v1 answers without a key, not even a 404.
func (a *API) authenticated(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, present := r.Header["Authorization"]
		if !present {
			a.unauthorized(w, false, "this API needs a key: send Authorization: Bearer KEY with a key from steady api-keys create")
			return
		}
		scheme, token, ok := strings.Cut(strings.TrimSpace(strings.Join(h, "")), " ")
		if !ok || len(h) != 1 || !strings.EqualFold(scheme, "Bearer") {
			a.unauthorized(w, true, "send the key as Authorization: Bearer KEY")
			return
		}
		name, valid, err := a.keys.Authenticate(r.Context(), strings.TrimSpace(token))
		if err != nil {
			a.fail(w, r, fmt.Errorf("api: checking the key: %w", err))
			return
		}
		if !valid {
			a.unauthorized(w, true, "the API key is not valid (unknown, revoked or mistyped); nothing was read or changed")
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), callerKey{}, name)))
	})
}

func (a *API) unauthorized(w http.ResponseWriter, invalidToken bool, message string) {
	challenge := `Bearer realm="Steady API"`
	if invalidToken {
		challenge += `, error="invalid_token"`
	}
	w.Header().Set("WWW-Authenticate", challenge)
	writeJSON(w, http.StatusUnauthorized, errorBody{Error: errorDetail{Code: codeUnauthorized, Message: message}})
}
