package admin

import (
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

func TestHashPassword(t *testing.T) {
	t.Parallel()
	h, err := HashPassword("a long enough password")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q", h)
	}
	v, err := parseHash(h)
	if err != nil {
		t.Fatal(err)
	}
	if !v("a long enough password") || v("a long enough passworD") || v("") {
		t.Error("argon2id verification")
	}
	h2, _ := HashPassword("a long enough password")
	if h2 == h {
		t.Error("two hashes of one password are the same: no salt")
	}
}

func TestParseOperators(t *testing.T) {
	t.Parallel()
	argon, err := HashPassword("argon password")
	if err != nil {
		t.Fatal(err)
	}
	bc, err := bcrypt.GenerateFromPassword([]byte("bcrypt password"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	// Commas separate entries, also around an argon2id hash's own commas.
	for _, list := range []string{
		"sam:" + argon + ",kim:" + string(bc),
		"sam:" + argon + "\nkim:" + string(bc) + "\n",
		" sam:" + argon + " , kim:" + string(bc),
	} {
		ops, err := ParseOperators(list)
		if err != nil {
			t.Fatalf("%v", err)
		}
		if len(ops) != 2 || ops[0].Name != "sam" || ops[1].Name != "kim" {
			t.Fatalf("operators %+v", ops)
		}
		if !ops[0].Check("argon password") || ops[0].Check("bcrypt password") || !ops[1].Check("bcrypt password") || ops[1].Check("argon password") {
			t.Error("passwords do not check")
		}
	}
	for _, prefix := range []string{"$2a$", "$2y$"} {
		h := prefix + strings.TrimPrefix(string(bc), "$2a$")
		if _, err := ParseOperators("sam:" + h); err != nil {
			t.Errorf("%s: %v", prefix, err)
		}
	}
}

func TestParseOperatorsErrors(t *testing.T) {
	t.Parallel()
	argon, _ := HashPassword("argon password")
	secretish := "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$SECRETPART"
	for _, tt := range []struct{ list, want string }{
		{"sam:" + argon + ",kim:plaintext", "entry 2: operator \"kim\": the hash is neither argon2id"},
		{"sam", "entry 1: want name:hash"},
		{"sam:" + argon + ",sam:" + argon, "\"sam\" is given twice"},
		{"bad name:" + argon, "entry 1: operator \"bad name\": the name"},
		{"sam:" + secretish, "entry 1: operator \"sam\": the argon2id hash's key"},
		{"sam:$argon2id$v=19$m=9999999,t=2,p=1$c2FsdHNhbHRzYWx0$c2FsdHNhbHRzYWx0c2FsdHNhbHRzYWx0", "too large"},
		{"sam:$argon2i$v=19$m=19456,t=2,p=1$c2FsdA$c2FsdA", "argon2i or argon2d"},
		{"sam:$2b$10$short", "bcrypt hash is malformed"},
	} {
		_, err := ParseOperators(tt.list)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: %v, want %q", tt.list, err, tt.want)
			continue
		}
		if strings.Contains(err.Error(), "SECRETPART") || strings.Contains(err.Error(), argon) {
			t.Errorf("the error shows a hash: %v", err)
		}
	}
}

func TestParseOperatorsFile(t *testing.T) {
	t.Parallel()
	argon, _ := HashPassword("argon password")
	ops, err := ParseOperatorsFile("ops.txt", "# operators\n\nsam:"+argon+"\n  # kim left\n")
	if err != nil || len(ops) != 1 || !ops[0].Check("argon password") {
		t.Fatalf("%+v %v", ops, err)
	}
	_, err = ParseOperatorsFile("ops.txt", "# operators\nsam:"+argon+"\nkim:$2b$oops\n")
	if err == nil || !strings.Contains(err.Error(), "STEADY_ADMIN_USERS_FILE ops.txt line 3: operator \"kim\"") || strings.Contains(err.Error(), "oops") {
		t.Errorf("bad line: %v", err)
	}
}

func TestMaskAddress(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"alex@example.com": "al…@example.com",
		"a@example.com":    "a…@example.com",
		"élodie@x.fr":      "él…@x.fr",
		"+447700900123":    "…23",
		"1":                "…",
	} {
		if got := maskAddress(in); got != want {
			t.Errorf("maskAddress(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestReadPasswordFromAPipe(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"a long password\n":              "a long password",
		"a long password\r\n":            "a long password",
		"a long password":                "a long password",
		"  spaces kept  \nsecond line\n": "  spaces kept  ",
		"short\n":                        "",
		"":                               "",
	} {
		got, err := ReadPassword(strings.NewReader(in), nil)
		if got != want || (want == "") != (err != nil) {
			t.Errorf("ReadPassword(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}
