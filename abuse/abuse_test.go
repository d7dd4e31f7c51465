package abuse_test

import (
	"testing"

	"github.com/steadyapp/steady/abuse"
)

func TestMailbox(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want string }{
		{"bob@example.org", "bob@example.org"},
		{"BOB@Example.ORG", "bob@example.org"},
		{"bob+1@example.org", "bob@example.org"},
		{"bob+a+b@example.org", "bob@example.org"},
		{"b.o.b@example.org", "b.o.b@example.org"}, // dots count outside Gmail
		{"b.o.b@gmail.com", "bob@gmail.com"},
		{"B.O.B+news@GoogleMail.com", "bob@gmail.com"},
		{"bob@googlemail.com", "bob@gmail.com"},
		{"bob@gmail.com.", "bob@gmail.com"},
		{"+tag@example.org", "@example.org"},
		{"no-at-sign", "no-at-sign"},
	} {
		if got := abuse.Mailbox(c.in); got != c.want {
			t.Errorf("Mailbox(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestClientNet(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want string }{
		{"203.0.113.7", "203.0.113.7"},
		{"::ffff:203.0.113.7", "203.0.113.7"},
		{"2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
		{"2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"},
		{"2001:db8:1:3::1", "2001:db8:1:3::/64"},
		{"fe80::1%eth0", "fe80::/64"},
		{"not an ip", "not an ip"},
	} {
		if got := abuse.ClientNet(c.in); got != c.want {
			t.Errorf("ClientNet(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestHash(t *testing.T) {
	t.Parallel()
	k1, err := abuse.NewKeyer(abuse.DeriveKey([]byte("secret one")))
	if err != nil {
		t.Fatal(err)
	}
	k2, _ := abuse.NewKeyer(abuse.DeriveKey([]byte("secret two")))
	h := k1.Hash(abuse.ScopeIP, "203.0.113.7")
	if len(h) != 32 || h == "203.0.113.7" {
		t.Fatalf("Hash = %q; want 32 hex digits", h)
	}
	if h != k1.Hash(abuse.ScopeIP, "203.0.113.7") {
		t.Error("Hash is not stable")
	}
	if h == k2.Hash(abuse.ScopeIP, "203.0.113.7") {
		t.Error("two keys give the same hash")
	}
	if h == k1.Hash(abuse.ScopeMailbox, "203.0.113.7") {
		t.Error("two scopes give the same hash")
	}
	if _, err := abuse.NewKeyer(nil); err == nil {
		t.Error("NewKeyer(nil) accepted an empty key")
	}
}

func TestPolicyCheck(t *testing.T) {
	t.Parallel()
	if err := abuse.Defaults.Check(); err != nil {
		t.Errorf("Defaults: %v", err)
	}
	if err := (abuse.Policy{}).Check(); err != nil {
		t.Errorf("all off: %v", err)
	}
	if err := (abuse.Policy{PerIP: -1}).Check(); err == nil {
		t.Error("a negative limit was accepted")
	}
}
