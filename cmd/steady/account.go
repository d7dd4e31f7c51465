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
func accountRoutes(extra map[string]http.Handler, db *store.DB, lk *links.Links, clock steady.Clock, logger *slog.Logger) (map[string]http.Handler, error) {
	settings, err := account.New(account.Config{Store: db, Links: lk, Clock: clock, Logger: logger, ProgramName: "Steady"})
	if err != nil {
		return nil, err
	}
	if extra == nil {
		extra = map[string]http.Handler{}
	}
	// TODO(lead, issue 11 merge): mount the subscriber's data pages
	// (/settings/reflections, /settings/export, /settings/delete) once
	// account.Data exists: settings.Handler(data.Routes), data being the
	// *account.Data built here.
	h := settings.Handler()
	extra["/settings"] = h
	extra["/settings/"] = h
	return extra, nil
}
