package inbox

import (
	"bytes"
	netmail "net/mail"
	"strings"

	"github.com/emersion/go-msgauth/authres"
)

// senderAuthenticated reports whether raw carries proof, from a server the
// operator trusts, that its From address is genuine: the topmost
// Authentication-Results header whose authserv-id is one of trusted shows
// DMARC pass for the From domain, or DKIM pass for a signing domain aligned
// with it (the same domain, or one a subdomain of the other). Only the
// topmost such header counts: a receiving server adds its own above the
// message's, and anyone can write one lower down. With no trusted server
// configured nothing is authenticated.
func senderAuthenticated(raw []byte, from string, trusted []string) bool {
	if len(trusted) == 0 {
		return false
	}
	_, domain, ok := strings.Cut(strings.ToLower(strings.TrimSpace(from)), "@")
	if !ok || domain == "" {
		return false
	}
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return false
	}
	for _, v := range msg.Header["Authentication-Results"] {
		id, results, err := authres.Parse(v)
		if err != nil || !isTrusted(id, trusted) {
			continue
		}
		for _, r := range results {
			switch r := r.(type) {
			case *authres.DMARCResult:
				if r.Value == authres.ResultPass && (r.From == "" || strings.EqualFold(r.From, domain)) {
					return true
				}
			case *authres.DKIMResult:
				if r.Value == authres.ResultPass && aligned(r.Domain, domain) {
					return true
				}
			}
		}
		return false // the topmost trusted header decides
	}
	return false
}

func isTrusted(authserv string, trusted []string) bool {
	for _, t := range trusted {
		if strings.EqualFold(strings.TrimSpace(authserv), strings.TrimSpace(t)) {
			return true
		}
	}
	return false
}

// aligned says whether a DKIM signature by signer vouches for mail From a
// domain: the same domain, or a parent of it (whoever holds example.org
// holds mail.example.org). A signature by a subdomain does not vouch for
// its parent: that is stricter than DMARC's relaxed alignment, which needs
// a public suffix list to be safe.
func aligned(signer, from string) bool {
	signer, from = strings.ToLower(strings.TrimSpace(signer)), strings.ToLower(from)
	if signer == "" || !strings.Contains(signer, ".") {
		return false
	}
	return signer == from || strings.HasSuffix(from, "."+signer)
}
