package web

import (
	"net"
	"net/netip"
)

// WarnIfOutboxExposed logs a warning when the preview outbox (/outbox) is
// served on an address other machines can reach: everyone on the network
// could read every message, confirmation and reply links included. Call it
// once with the listener's address at start-up.
func (s *Server) WarnIfOutboxExposed(addr net.Addr) {
	if !s.preview || addr == nil {
		return
	}
	if loopbackOnly(addr.String()) {
		return
	}
	s.log.Warn("the preview outbox is served on a non-loopback address: anyone who can reach it can read every message at /outbox, "+
		"links included. Listen on 127.0.0.1 (--addr) or configure an SMTP server (--smtp)", "addr", addr.String())
}

// loopbackOnly reports whether host:port listens on a loopback address
// only ("127.0.0.1:8080", "[::1]:8080", "localhost:8080"); an empty host
// or 0.0.0.0 listens everywhere.
func loopbackOnly(hostport string) bool {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		host = hostport
	}
	if host == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}
