package web

import (
	"html/template"
	"net/http"
)

// DefaultLeaveURL is where Leave quickly goes unless the operator chose
// another: a neutral page that looks like everyday browsing.
const DefaultLeaveURL = "https://www.bbc.com/weather"

// SafetyLine is one support resource on the Staying safe page; Href is a
// tel: or sms: link a phone can follow, or empty.
type SafetyLine struct {
	Name, Contact string
	Href          template.URL
}

// safetyData fills the Staying safe page.
type safetyData struct {
	Resources []SafetyLine
	SMS       bool
}

// safetyPage is GET /safety: how to stay safe while using the programme
// (history, a partner who reads messages, discreet mode) and people to
// turn to.
func (s *Server) safetyPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "safety", "Staying safe", safetyData{Resources: s.safetyLines, SMS: s.smsOn()})
}
