package web

import (
	"net/http"
	"net/url"
)

// hstsValue is the Strict-Transport-Security header with an https base
// URL: a year, the usual minimum. It has no includeSubDomains, because
// Steady is often one subdomain of an organisation whose other hosts it
// cannot vouch for, and no preload, which cannot be taken back quickly.
const hstsValue = "max-age=31536000"

// protect adds two guards in front of every route:
//
//   - HSTS on every answer when the base URL is https. It depends on the
//     configured URL, not on r.TLS: behind a proxy that ends TLS, Steady
//     itself is spoken to in plain HTTP. Browsers ignore the header on an
//     http page, so it does nothing before the first https visit.
//   - http.CrossOriginProtection: a state-changing request (anything but
//     GET, HEAD, OPTIONS) that a browser marks as coming from another site
//     (Sec-Fetch-Site other than same-origin or none, or without that an
//     Origin that is neither the Host nor the base URL's) is refused with
//     403 before any handler runs. Requests with neither header, which is
//     how servers call (RFC 8058 one-click unsubscribes from mail
//     providers, the API's clients), pass.
//
// Three kinds of route are left out of the cross-origin check. Twilio's
// webhooks carry a signature over the whole request, which is the check
// that counts. POST /api/subscriptions is for other sites' servers and
// reads only application/json: no browser sends that type to another site
// without a CORS preflight, which Steady never grants, and the types a
// cross-site page can send without one get 415 before anything is read.
// The JSON API under /api/v1/ (package api) acts only for a caller with
// an API key in the Authorization header, which a browser never sends to
// another site by itself, and it answers in its own JSON error shape.
func (s *Server) protect(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.AddInsecureBypassPattern("POST /twilio/sms")
	cop.AddInsecureBypassPattern("POST /twilio/status")
	cop.AddInsecureBypassPattern("POST /api/subscriptions")
	cop.AddInsecureBypassPattern("/api/v1/")
	// links.New has checked that the base URL is an absolute http(s) URL.
	base, _ := url.Parse(s.links.BaseURL())
	hsts := base != nil && base.Scheme == "https"
	// Behind a proxy that rewrites Host, a browser without Sec-Fetch-Site
	// is still this site when its Origin is the public URL.
	if base == nil {
		s.log.Warn("the base URL does not parse; only the Host header identifies this site")
	} else if err := cop.AddTrustedOrigin(base.Scheme + "://" + base.Host); err != nil {
		s.log.Warn("the base URL is not an origin; only the Host header identifies this site", "err", err)
	}
	cop.SetDenyHandler(http.HandlerFunc(s.crossOriginRefused))
	checked := cop.Handler(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hsts {
			w.Header().Set("Strict-Transport-Security", hstsValue)
		}
		checked.ServeHTTP(w, r)
	})
}

// crossOriginRefused answers a state-changing request from another site.
// It is the web layer's own 403 page rather than a bare "Forbidden", for
// the person who pressed a button on a page that was not ours.
func (s *Server) crossOriginRefused(w http.ResponseWriter, r *http.Request) {
	s.log.InfoContext(r.Context(), "refused a cross-origin request", "path", r.URL.Path)
	s.render(w, r, http.StatusForbidden, "error", "Sent from another website", errorData{
		Status:  http.StatusForbidden,
		Heading: "Sent from another website",
		Message: "This form was sent to us from another website, so we did not act on it. Nothing was changed.",
		Hint:    "To sign up, confirm, reply or unsubscribe, use the link in our email or the form on this site.",
		Again:   true,
	})
}
