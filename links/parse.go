package links

import "strings"

// AddressToken reads a plus-address of the From address back:
// "local+r-TOKEN@domain" gives PurposeReply and TOKEN, "local+u-TOKEN@domain"
// PurposeUnsubscribe, "local+b-TOKEN@domain" (a bounce address)
// PurposeBounce. ok is false for any other address. Mail servers may
// change the case of an address, so the comparison ignores case; the token
// still has to pass Verify.
func (l *Links) AddressToken(addr string) (p Purpose, token string, ok bool) {
	addr = strings.ToLower(strings.TrimSpace(addr))
	local, domain, found := strings.Cut(addr, "@")
	if !found || domain != l.domain {
		return 0, "", false
	}
	rest, found := strings.CutPrefix(local, strings.ToLower(l.local)+"+")
	if !found || len(rest) < 3 || rest[1] != '-' {
		return 0, "", false
	}
	switch Purpose(rest[0]) {
	case PurposeReply, PurposeUnsubscribe, PurposeBounce:
		return Purpose(rest[0]), rest[2:], true
	}
	return 0, "", false
}

// MessageIDToken reads the token of a Message-ID made by MessageID
// ("m-TOKEN@domain", PurposeThread), or of one made before Message-IDs had
// a purpose of their own ("r-TOKEN@domain", PurposeReply), angle brackets
// optional; ok is false for any other id. The token still has to pass
// Verify for that purpose.
func (l *Links) MessageIDToken(id string) (p Purpose, token string, ok bool) {
	id = strings.ToLower(strings.Trim(strings.TrimSpace(id), "<>"))
	local, domain, found := strings.Cut(id, "@")
	if !found || domain != l.domain || len(local) < 3 || local[1] != '-' {
		return 0, "", false
	}
	switch Purpose(local[0]) {
	case PurposeThread, PurposeReply:
		return Purpose(local[0]), local[2:], true
	}
	return 0, "", false
}
