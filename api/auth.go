package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/steadyapp/steady/apikeys"
)

// callerKey is the context key under which a request carries its caller.
type callerKey struct{}

// caller is the key a request was made with: its name and the prefix
// `steady api-keys list` shows, never the key.
type caller struct{ name, prefix string }

// callerOf is the caller of the request.
func callerOf(ctx context.Context) caller {
	c, _ := ctx.Value(callerKey{}).(caller)
	return c
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
		token = strings.TrimSpace(token)
		name, valid, err := a.keys.Authenticate(r.Context(), token)
		if err != nil {
			a.fail(w, r, fmt.Errorf("api: checking the key: %w", err))
			return
		}
		if !valid {
			a.unauthorized(w, true, "the API key is not valid (unknown, revoked or mistyped); nothing was read or changed")
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), callerKey{}, caller{name: name, prefix: apikeys.Prefix(token)})))
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
