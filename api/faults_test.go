package api_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/steadyapp/steady/api"
	"github.com/steadyapp/steady/store/storetest"
)

// keysFunc is a key check made of a function, for faults.
type keysFunc func(ctx context.Context, bearer string) (string, bool, error)

func (f keysFunc) Authenticate(ctx context.Context, bearer string) (string, bool, error) {
	return f(ctx, bearer)
}

// When the key cannot be checked (the database is down), the answer is
// 500 internal in the error shape, saying nothing of the cause, which is
// logged; the request goes no further.
func TestAKeyThatCannotBeCheckedIs500(t *testing.T) {
	t.Parallel()
	b := setup(t, storetest.SQLite(t), func(c *api.Config) {
		c.Keys = keysFunc(func(context.Context, string) (string, bool, error) {
			return "", false, errors.New("database is locked: secret detail")
		})
	})
	e := b.post("/api/v1/subscribers", `{"email":"x@example.org","timezone":"UTC","cadence":"daily","time":"20:00","consent_text":"x"}`).
		wantError(t, http.StatusInternalServerError, "internal", "")
	if strings.Contains(e.Error.Message, "secret detail") {
		t.Errorf("the answer tells the cause: %s", e.Error.Message)
	}
	if !strings.Contains(b.logs.String(), "secret detail") {
		t.Errorf("the cause is not logged:\n%s", b.logs)
	}
	if b.count() != 0 {
		t.Error("a subscriber was stored")
	}
}
