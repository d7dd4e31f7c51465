package browsertest

import (
	"log/slog"
	"net/http"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/abuse"
	"github.com/steadyapp/steady/admin"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/web"
)

// The console's one operator in every App.
const (
	AdminName     = "operator"
	AdminPassword = "console password for tests"
)

// adminRoutes add the operator console to extra, as `steady serve` mounts
// it (cmd/steady/admin.go) through web.Config.Extra, with one operator
// (AdminName, AdminPassword).
func adminRoutes(extra map[string]http.Handler, db *store.DB, clock steady.Clock, logger *slog.Logger, hasher store.AddressHasher,
	secret []byte, baseURL string, wake func()) error {
	hash, err := admin.HashPassword(AdminPassword)
	if err != nil {
		return err
	}
	ops, err := admin.ParseOperators(AdminName + ":" + hash)
	if err != nil {
		return err
	}
	keyer, err := abuse.NewKeyer(abuse.DeriveKey(secret))
	if err != nil {
		return err
	}
	console, err := admin.New(admin.Config{Store: db, Clock: clock, Logger: logger, Operators: ops, BaseURL: baseURL,
		Keyer: keyer, Hasher: hasher, Wake: wake, ProgramName: "Steady", Addresses: web.NewAddressRules(web.Config{}),
		Settings: []admin.Setting{{Name: "STEADY_BASE_URL", Value: baseURL}, {Name: "STEADY_SECRET", Value: "set"}}})
	if err != nil {
		return err
	}
	for pattern, h := range console.Routes() {
		extra[pattern] = h
	}
	return nil
}
