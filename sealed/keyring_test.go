package sealed_test

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/steadyapp/steady/sealed"
)

func ring(t *testing.T, keys ...sealed.Key) *sealed.Keyring {
	t.Helper()
	k, err := sealed.New(keys...)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSealOpen(t *testing.T) {
	t.Parallel()
	a, b := sealed.Generate(), sealed.Generate()
	ka := ring(t, a)
	v := ka.Seal("he never keeps his word", "replies.body|src=web:1")
	if !strings.HasPrefix(v, "enc:v1:"+a.ID+":") || strings.Contains(v, "word") {
		t.Fatalf("sealed value %q: want enc:v1:%s:… and no plaintext", v, a.ID)
	}
	if v2 := ka.Seal("he never keeps his word", "replies.body|src=web:1"); v2 == v {
		t.Error("two seals of the same text are equal: the nonce is not random")
	}
	got, err := ka.Open(v, "replies.body|src=web:1")
	if err != nil || got != "he never keeps his word" {
		t.Fatalf("Open = %q, %v", got, err)
	}

	cases := []struct {
		name string
		k    *sealed.Keyring
		aad  string
		want error
	}{
		{"another row", ka, "replies.body|src=web:2", sealed.ErrWrongKey},
		{"another column", ka, "consents.wording|src=web:1", sealed.ErrWrongKey},
		{"another key under the same id", ring(t, sealed.Key{ID: a.ID, Secret: b.Secret}), "replies.body|src=web:1", sealed.ErrWrongKey},
		{"key not loaded", ring(t, b), "replies.body|src=web:1", sealed.ErrUnknownKey},
		{"no keys", nil, "replies.body|src=web:1", sealed.ErrNoKey},
	}
	for _, c := range cases {
		got, err := c.k.Open(v, c.aad)
		if !errors.Is(err, c.want) || got != "" {
			t.Errorf("%s: Open = %q, %v; want %v and nothing", c.name, got, err, c.want)
		}
	}
	if got, err := ring(t, b, a).Open(v, "replies.body|src=web:1"); err != nil || got != "he never keeps his word" {
		t.Errorf("an older key does not open: %q, %v", got, err)
	}
	if got, err := ka.Open(v[:len(v)-3], "replies.body|src=web:1"); err == nil {
		t.Errorf("a cut value opened: %q", got)
	}
	for _, bad := range []string{"enc:", "enc:v2:" + a.ID + ":AAAA", "enc:v1:bad id:AAAA", "enc:v1:" + a.ID + ":!!"} {
		if _, err := ka.Open(bad, ""); !errors.Is(err, sealed.ErrMalformed) {
			t.Errorf("Open(%q) = %v, want ErrMalformed", bad, err)
		}
	}
}

func TestPlaintextAndNilKeyring(t *testing.T) {
	t.Parallel()
	var none *sealed.Keyring
	if got := none.Seal("words", "x"); got != "words" {
		t.Errorf("nil Keyring sealed: %q", got)
	}
	for _, k := range []*sealed.Keyring{none, ring(t, sealed.Generate())} {
		if got, err := k.Open("old plaintext row", "x"); err != nil || got != "old plaintext row" {
			t.Errorf("plaintext: %q, %v", got, err)
		}
	}
}

func TestParseKeys(t *testing.T) {
	t.Parallel()
	secret := []byte("0123456789abcdef0123456789abcdef")
	hx := hex.EncodeToString(secret)
	for _, s := range []string{hx, base64.StdEncoding.EncodeToString(secret), base64.RawURLEncoding.EncodeToString(secret), " " + hx + "\n"} {
		keys, err := sealed.ParseKeys(s)
		if err != nil || len(keys) != 1 || string(keys[0].Secret) != string(secret) || keys[0].ID != sealed.DerivedID(secret) {
			t.Errorf("ParseKeys(%q) = %v, %v", s, keys, err)
		}
	}
	other := sealed.Generate()
	keys, err := sealed.ParseKeys("new:" + hx + ", " + other.ID + ":" + hex.EncodeToString(other.Secret))
	if err != nil || len(keys) != 2 || keys[0].ID != "new" || keys[1].ID != other.ID {
		t.Fatalf("list: %v, %v", keys, err)
	}
	for _, bad := range []string{"", "short", hx[:60], "a:" + hx + ",b", "bad_id:" + hx, "x:" + hx + ",x:" + hx} {
		keys, err := sealed.ParseKeys(bad)
		if err == nil {
			_, err = sealed.New(keys...)
		}
		if err == nil {
			t.Errorf("ParseKeys(%q) accepted", bad)
		} else if len(bad) > 8 && strings.Contains(err.Error(), hx[:16]) {
			t.Errorf("the error repeats the key: %v", err)
		}
	}

	file := "# Steady keys, current first\n\n" + keys[0].Line() + "\n" + other.Line() + "\n"
	fk, err := sealed.ParseKeyFile(file)
	if err != nil || len(fk) != 2 || fk[0].ID != "new" || string(fk[1].Secret) != string(other.Secret) {
		t.Fatalf("ParseKeyFile = %v, %v", fk, err)
	}
	for _, bad := range []string{"", "# only a comment\n", "id\n", "id key extra\n", "id " + hx[:10] + "\n"} {
		if _, err := sealed.ParseKeyFile(bad); err == nil {
			t.Errorf("ParseKeyFile(%q) accepted", bad)
		}
	}
}
