package main

import (
	"log/slog"
	"maps"
	"net/http"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/api"
	"github.com/steadyapp/steady/apikeys"
	"github.com/steadyapp/steady/store"
)

// apiRoutes adds the JSON API v1 (/api/v1, package api) to extra: keys
// checked against db, new subscribers read by sign-up's address rules and
// limits, erasures kept for compliance under hasher.
func apiRoutes(extra map[string]http.Handler, db *store.DB, clock steady.Clock, logger *slog.Logger,
	hasher store.AddressHasher, addresses api.Addresses, wake func(), metrics api.Metrics) (map[string]http.Handler, error) {
	a, err := api.New(api.Config{
		Store:     db,
		Keys:      &apikeys.Keys{Store: db, Clock: clock},
		Addresses: addresses,
		Hasher:    hasher,
		Metrics:   metrics,
		Clock:     clock,
		Logger:    logger,
		Wake:      wake,
	})
	if err != nil {
		return nil, err
	}
	if extra == nil {
		extra = map[string]http.Handler{}
	}
	maps.Copy(extra, a.Routes())
	return extra, nil
}
