package web

import (
	"crypto/sha256"
	"crypto/subtle"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// LoopbackHost reports whether host (no port; IPv6 without brackets) names
// this machine only: "localhost", an address in 127.0.0.0/8, or ::1. An
// empty host, 0.0.0.0 and :: mean every address, so they are not.
func LoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

// hostOf is the host of a Host header or listen address, without port or
// brackets.
func hostOf(hostport string) string {
	if host, _, err := net.SplitHostPort(hostport); err == nil {
		return host
	}
	return strings.TrimSuffix(strings.TrimPrefix(hostport, "["), "]")
}

// guardOutbox lets a request reach the preview outbox only when it may
// read every message kept there. With a preview password that is HTTP
// Basic auth (any user name, that password). Without one the outbox is for
// this machine alone, and answers only requests addressed to a loopback
// name: a web page elsewhere that points its own name at 127.0.0.1 (DNS
// rebinding) sends its own Host and gets nothing.
func (s *Server) guardOutbox(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.previewPassword != nil {
			_, password, ok := r.BasicAuth()
			if !ok || !s.isPreviewPassword(password) {
				w.Header().Set("WWW-Authenticate", `Basic realm="Steady outbox", charset="UTF-8"`)
				s.fail(w, r, nil, failure{status: http.StatusUnauthorized,
					message: "The preview outbox needs the password set in STEADY_PREVIEW_PASSWORD; any user name will do."})
				return
			}
		} else if !LoopbackHost(hostOf(r.Host)) {
			s.fail(w, r, nil, failure{status: http.StatusForbidden,
				message: "The preview outbox is open only to this machine: open it at localhost or 127.0.0.1."})
			return
		}
		next(w, r)
	}
}

// isPreviewPassword compares in constant time. Both sides are hashed first,
// so neither the comparison nor its length gives the password away.
func (s *Server) isPreviewPassword(password string) bool {
	got := sha256.Sum256([]byte(password))
	return subtle.ConstantTimeCompare(got[:], s.previewPassword) == 1
}
