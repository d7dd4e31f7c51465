package smtpin

import (
	"context"
	"testing"

	"github.com/emersion/go-msgauth/authres"
)

// timeoutErr is a DNS server that did not answer.
type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

func TestDMARC(t *testing.T) {
	t.Parallel()
	dns := &fakeDNS{txt: map[string][]string{
		"_dmarc.example.com": {"v=DMARC1; p=reject"},
		"_dmarc.strict.test": {"v=DMARC1; p=reject; adkim=s; aspf=s"},
		"_dmarc.example.net": {"some other record"},
		"_dmarc.broken.test": {"v=DMARC1; p=sometimes"},
	}}
	s := &Server{cfg: Config{Resolver: dns}}
	lookup := func(name string) ([]string, error) {
		if name == "_dmarc.timeout.test" {
			return nil, timeoutErr{}
		}
		return dns.LookupTXT(context.Background(), name)
	}
	for _, c := range []struct {
		name, from string
		spfPass    bool
		spfDomain  string
		dkimPass   []string
		want       authres.ResultValue
	}{
		{"no policy", "a@example.org", true, "example.org", []string{"example.org"}, authres.ResultNone},
		{"a record that is not DMARC", "a@example.net", true, "example.net", nil, authres.ResultNone},
		{"DKIM by the From domain", "a@example.com", false, "", []string{"example.com"}, authres.ResultPass},
		{"SPF for the From domain", "a@example.com", true, "example.com", nil, authres.ResultPass},
		{"SPF for another domain", "a@example.com", true, "mallory.example", nil, authres.ResultFail},
		{"DKIM by another domain", "a@example.com", false, "", []string{"mallory.example"}, authres.ResultFail},
		{"a subdomain does not vouch for its parent", "a@example.com", false, "", []string{"mail.example.com"}, authres.ResultFail},
		{"a parent vouches for a subdomain (relaxed), policy found at the parent", "a@mail.example.com", false, "", []string{"example.com"}, authres.ResultPass},
		{"strict: the parent does not", "a@mail.strict.test", false, "", []string{"strict.test"}, authres.ResultFail},
		{"strict: the same domain does", "a@strict.test", true, "strict.test", nil, authres.ResultPass},
		{"nothing passed", "a@example.com", false, "", nil, authres.ResultFail},
		{"an unreadable policy", "a@broken.test", true, "broken.test", nil, authres.ResultPermError},
		{"DNS did not answer", "a@timeout.test", true, "timeout.test", nil, authres.ResultTempError},
	} {
		raw := []byte("From: " + c.from + "\r\nSubject: x\r\n\r\nbody\r\n")
		r := s.dmarcResult(raw, lookup, c.spfPass, c.spfDomain, c.dkimPass).(*authres.DMARCResult)
		if r.Value != c.want {
			t.Errorf("%s: dmarc=%s, want %s", c.name, r.Value, c.want)
		}
	}
	// No single From address.
	for _, raw := range []string{"Subject: x\r\n\r\n", "From: a@example.com, b@example.com\r\n\r\n"} {
		if r := s.dmarcResult([]byte(raw), lookup, true, "example.com", nil).(*authres.DMARCResult); r.Value != authres.ResultPermError {
			t.Errorf("%q: dmarc=%s, want permerror", raw, r.Value)
		}
	}
}
