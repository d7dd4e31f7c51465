package web

import "net/http"

// privacyPage is /privacy: what is kept, for how long and who can see it.
// The operator may replace it with privacy.html in the templates directory
// (Config.PagesDir).
func (s *Server) privacyPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "privacy", "Privacy", nil)
}
