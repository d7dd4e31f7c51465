package browsertest

import (
	"log/slog"
	"net/http"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/account"
	"github.com/steadyapp/steady/links"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/summary"
	"github.com/steadyapp/steady/web"
)

// accountRoutes are the subscriber's settings page, My reflections, export
// and delete, mounted as `steady serve` mounts them (cmd/steady/account.go)
// through web.Config.Extra.
func accountRoutes(db *store.DB, lk *links.Links, clock steady.Clock, logger *slog.Logger, hasher store.AddressHasher) (map[string]http.Handler, error) {
	settings, err := account.New(account.Config{Store: db, Links: lk, Clock: clock, Logger: logger, ProgramName: "Steady"})
	if err != nil {
		return nil, err
	}
	data, err := account.NewData(account.DataConfig{Store: db, Clock: clock, Logger: logger, Hasher: hasher, ProgramName: "Steady"})
	if err != nil {
		return nil, err
	}
	h := settings.Handler(data.Routes)
	return map[string]http.Handler{"/settings": h, "/settings/": h}, nil
}

// safetyLines are the Staying safe page's resources, as serve makes them
// (cmd/steady/summaries.go).
func safetyLines(res []summary.Resource) []web.SafetyLine {
	var lines []web.SafetyLine
	for _, r := range res {
		lines = append(lines, web.SafetyLine{Name: r.Name, Contact: r.Contact, Href: summary.ContactURL(r.Contact)})
	}
	return lines
}
