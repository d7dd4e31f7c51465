package admin

import (
	"runtime"
	"strings"
	"testing"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/abuse"
	"github.com/steadyapp/steady/compliance"
	"github.com/steadyapp/steady/store/storetest"
	"github.com/steadyapp/steady/web"
)

// The constant dummy hash has HashPassword's parameters, so a login with
// an unknown name costs what a wrong password does; and it matches no
// password an operator would type.
func TestDummyHashCostsWhatAnOperatorsDoes(t *testing.T) {
	h, err := HashPassword("whatever")
	if err != nil {
		t.Fatal(err)
	}
	params := h[:strings.LastIndex(h[:strings.LastIndex(h, "$")], "$")+1]
	if !strings.HasPrefix(dummyHash, params) {
		t.Errorf("dummy hash %q lacks HashPassword's parameters %q", dummyHash, params)
	}
	op, err := newOperator("dummy", dummyHash)
	if err != nil {
		t.Fatal(err)
	}
	if op.Check("") || op.Check(operatorPassword) || !op.Check("not a password anyone has") {
		t.Errorf("the dummy hash does not check as its own password's hash")
	}
}

// Building the console hashes nothing: argon2id takes 19 MiB at once,
// which was most of serve's peak memory at start-up.
func TestNewAllocatesLittle(t *testing.T) {
	db := storetest.SQLite(t)
	hasher, err := compliance.NewHasher([]byte("test secret"))
	if err != nil {
		t.Fatal(err)
	}
	keyer, err := abuse.NewKeyer(abuse.DeriveKey([]byte("test secret")))
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Store: db, Clock: steady.NewManualClock(t0), BaseURL: "http://127.0.0.1", Keyer: keyer, Hasher: hasher,
		Addresses: web.NewAddressRules(web.Config{})}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if _, err := New(cfg); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if got := after.TotalAlloc - before.TotalAlloc; got > 8<<20 {
		t.Errorf("New allocated %d MiB; want under 8", got>>20)
	}
}
