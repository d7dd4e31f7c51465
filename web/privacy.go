package web

import (
	"net/http"
	"time"

	"github.com/steadyapp/steady/links"
)

// privacyData is what the privacy page states from the running settings.
type privacyData struct {
	ReplyDays, SummaryDays, ConfirmDays int
}

// privacyPage is /privacy: what is kept, for how long and who can see it.
// The operator may replace it with privacy.html in the templates directory
// (Config.PagesDir).
func (s *Server) privacyPage(w http.ResponseWriter, r *http.Request) {
	const day = 24 * time.Hour
	s.render(w, r, http.StatusOK, "privacy", "Privacy", privacyData{
		ReplyDays:   int(links.ReplyTTL / day),
		SummaryDays: int(s.links.SummaryLinkTTL() / day),
		ConfirmDays: int(links.ConfirmTTL / day),
	})
}
