package smtpin

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/mail"
	"strings"

	"blitiri.com.ar/go/spf"
	"github.com/emersion/go-msgauth/authres"
	"github.com/emersion/go-msgauth/dkim"
	"github.com/emersion/go-msgauth/dmarc"
)

// maxSignatures bounds the DKIM signatures checked in one message.
const maxSignatures = 5

// authenticate checks who sent raw: SPF for the envelope sender (or the
// HELO name of a bounce), DKIM for each signature, and DMARC for the From
// header's domain, with the DNS answers of the configured resolver.
func (s *Server) authenticate(ctx context.Context, ip net.IP, helo, mailFrom string, raw []byte) []authres.Result {
	spfDomain := domainOf(mailFrom)
	if spfDomain == "" {
		spfDomain = strings.ToLower(helo)
	}
	spfValue := authres.ResultNone
	if ip != nil {
		r, _ := spf.CheckHostWithSender(ip, helo, mailFrom, spf.WithResolver(s.cfg.Resolver), spf.WithContext(ctx))
		spfValue = authres.ResultValue(r)
	}
	spfRes := &authres.SPFResult{Value: spfValue, From: mailFrom}
	if mailFrom == "" {
		spfRes.Helo = helo
	}
	results := []authres.Result{spfRes}

	lookupTXT := func(name string) ([]string, error) { return s.cfg.Resolver.LookupTXT(ctx, name) }
	var dkimPass []string // signing domains that passed
	verifications, err := dkim.VerifyWithOptions(bytes.NewReader(raw), &dkim.VerifyOptions{LookupTXT: lookupTXT, MaxVerifications: maxSignatures})
	switch {
	case err != nil && !errors.Is(err, dkim.ErrTooManySignatures):
		results = append(results, &authres.DKIMResult{Value: authres.ResultPermError, Reason: "unreadable message"})
	case len(verifications) == 0:
		results = append(results, &authres.DKIMResult{Value: authres.ResultNone})
	}
	for _, v := range verifications {
		r := &authres.DKIMResult{Value: authres.ResultPass, Domain: v.Domain, Identifier: v.Identifier}
		switch {
		case v.Err == nil:
			dkimPass = append(dkimPass, strings.ToLower(v.Domain))
		case dkim.IsTempFail(v.Err):
			r.Value = authres.ResultTempError
		case dkim.IsPermFail(v.Err):
			r.Value = authres.ResultPermError
		default:
			r.Value = authres.ResultFail
		}
		results = append(results, r)
	}
	return append(results, s.dmarcResult(raw, lookupTXT, spfValue == authres.ResultPass, spfDomain, dkimPass))
}

// dmarcResult evaluates DMARC for the From header's one domain: pass when
// SPF passed for an aligned envelope domain or DKIM for an aligned signing
// domain; none when the domain publishes no policy.
func (s *Server) dmarcResult(raw []byte, lookupTXT func(string) ([]string, error), spfPass bool, spfDomain string, dkimPass []string) authres.Result {
	from := fromDomain(raw)
	if from == "" {
		return &authres.DMARCResult{Value: authres.ResultPermError, Reason: "no single From address"}
	}
	res := &authres.DMARCResult{Value: authres.ResultFail, From: from}
	rec, err := lookupPolicy(from, lookupTXT)
	switch {
	case errors.Is(err, dmarc.ErrNoPolicy):
		res.Value = authres.ResultNone
		return res
	case dmarc.IsTempFail(err):
		res.Value = authres.ResultTempError
		return res
	case err != nil:
		res.Value = authres.ResultPermError
		return res
	}
	if spfPass && aligned(spfDomain, from, rec.SPFAlignment) {
		res.Value = authres.ResultPass
	}
	for _, d := range dkimPass {
		if aligned(d, from, rec.DKIMAlignment) {
			res.Value = authres.ResultPass
		}
	}
	return res
}

// lookupPolicy finds the DMARC record of domain, or else of its parent
// two labels up (the organisational domain, approximately: there is no
// public suffix list here, so a domain under co.uk finds none, and gets
// none rather than a wrong one).
func lookupPolicy(domain string, lookupTXT func(string) ([]string, error)) (*dmarc.Record, error) {
	rec, err := dmarc.LookupWithOptions(domain, &dmarc.LookupOptions{LookupTXT: lookupTXT})
	if !errors.Is(err, dmarc.ErrNoPolicy) {
		return rec, err
	}
	labels := strings.Split(domain, ".")
	if len(labels) <= 2 {
		return nil, err
	}
	return dmarc.LookupWithOptions(strings.Join(labels[len(labels)-2:], "."), &dmarc.LookupOptions{LookupTXT: lookupTXT})
}

// aligned says whether an authenticated domain vouches for the From
// domain: strictly, the same domain; relaxed, also a parent of it. A
// subdomain does not vouch for its parent here (DMARC's relaxed mode
// allows it, but telling a registrable domain from a public suffix needs
// a list this program does not have), so some genuine mail is held aside
// rather than some forged mail filed. The processor's rule is the same.
func aligned(authenticated, from string, mode dmarc.AlignmentMode) bool {
	authenticated = strings.ToLower(strings.TrimSuffix(authenticated, "."))
	if authenticated == "" || !strings.Contains(authenticated, ".") {
		return false
	}
	if authenticated == from {
		return true
	}
	return mode != dmarc.AlignmentStrict && strings.HasSuffix(from, "."+authenticated)
}

// fromDomain is the lower-case domain of raw's one From address, or "".
func fromDomain(raw []byte) string {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return ""
	}
	addrs, err := msg.Header.AddressList("From")
	if err != nil || len(addrs) != 1 {
		return ""
	}
	return domainOf(addrs[0].Address)
}

func domainOf(addr string) string {
	i := strings.LastIndexByte(addr, '@')
	if i < 0 {
		return ""
	}
	return strings.ToLower(addr[i+1:])
}
