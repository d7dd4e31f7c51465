package main

import (
	"log/slog"
	"net/http"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/account"
	"github.com/steadyapp/steady/links"
	"github.com/steadyapp/steady/store"
)

// accountRoutes adds the subscriber's settings page (package account) to
// the web server's extra routes, behind the same headers, cross-origin
// check and request log.
func accountRoutes(extra map[string]http.Handler, db *store.DB, lk *links.Links, clock steady.Clock, logger *slog.Logger,
	hasher store.AddressHasher, program, leaveURL string, addresses account.Addresses, wake func()) (map[string]http.Handler, error) {
	settings, err := account.New(account.Config{Store: db, Links: lk, Clock: clock, Logger: logger, ProgramName: program, LeaveURL: leaveURL,
		Addresses: addresses, Hasher: hasher, Wake: wake})
	if err != nil {
		return nil, err
	}
	// The subscriber's own data (My reflections, export, delete) behind
	// the same settings session.
	data, err := account.NewData(account.DataConfig{Store: db, Clock: clock, Logger: logger, Hasher: hasher, ProgramName: program, LeaveURL: leaveURL})
	if err != nil {
		return nil, err
	}
	if extra == nil {
		extra = map[string]http.Handler{}
	}
	h := settings.Handler(data.Routes)
	extra["/settings"] = h
	extra["/settings/"] = h
	return extra, nil
}
