package admin

import (
	"bufio"
	"fmt"
	"regexp"
	"strings"
)

// Operator is one person who may sign in to the console.
type Operator struct {
	Name   string
	verify verifier
}

// Check reports whether password is the operator's.
func (o Operator) Check(password string) bool { return o.verify != nil && o.verify(password) }

// validName is an operator's name: it shows in the audit log.
var validName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$`)

// argonParam is the text after a comma inside an argon2id hash
// (m=…,t=…,p=…): such a piece of STEADY_ADMIN_USERS continues the entry
// before it rather than starting one.
var argonParam = regexp.MustCompile(`^[tp]=[0-9]`)

func newOperator(name, hash string) (Operator, error) {
	if !validName.MatchString(name) {
		return Operator{}, fmt.Errorf("the name %q is not 1 to 64 letters, digits, '.', '_', '@' or '-' (starting with a letter or digit)", name)
	}
	v, err := parseHash(hash)
	if err != nil {
		return Operator{}, err
	}
	return Operator{Name: name, verify: v}, nil
}

// ParseOperators reads STEADY_ADMIN_USERS: name:hash entries separated by
// commas or newlines. Errors name the entry (1-based) and never show a
// hash.
func ParseOperators(list string) ([]Operator, error) {
	var entries []string
	for _, line := range strings.Split(list, "\n") {
		for _, piece := range strings.Split(line, ",") {
			if len(entries) > 0 && argonParam.MatchString(piece) {
				entries[len(entries)-1] += "," + piece
				continue
			}
			entries = append(entries, piece)
		}
	}
	var ops []Operator
	n := 0
	for _, e := range entries {
		if strings.TrimSpace(e) == "" {
			continue
		}
		n++
		op, err := parseEntry(e)
		if err != nil {
			return nil, fmt.Errorf("STEADY_ADMIN_USERS entry %d: %w", n, err)
		}
		ops = append(ops, op)
	}
	return ops, checkUnique(ops, "STEADY_ADMIN_USERS")
}

// ParseOperatorsFile reads STEADY_ADMIN_USERS_FILE's text: one name:hash
// per line; blank lines and lines starting with # are skipped. Errors
// name the file and the line and never show a hash.
func ParseOperatorsFile(path, text string) ([]Operator, error) {
	var ops []Operator
	sc := bufio.NewScanner(strings.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		op, err := parseEntry(line)
		if err != nil {
			return nil, fmt.Errorf("STEADY_ADMIN_USERS_FILE %s line %d: %w", path, n, err)
		}
		ops = append(ops, op)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("STEADY_ADMIN_USERS_FILE %s: %w", path, err)
	}
	return ops, checkUnique(ops, "STEADY_ADMIN_USERS_FILE "+path)
}

func parseEntry(e string) (Operator, error) {
	name, hash, ok := strings.Cut(strings.TrimSpace(e), ":")
	if !ok || hash == "" {
		return Operator{}, fmt.Errorf("want name:hash (steady admin hash-password makes the hash)")
	}
	op, err := newOperator(strings.TrimSpace(name), strings.TrimSpace(hash))
	if err != nil {
		return Operator{}, fmt.Errorf("operator %q: %w", strings.TrimSpace(name), err)
	}
	return op, nil
}

func checkUnique(ops []Operator, where string) error {
	seen := map[string]bool{}
	for _, op := range ops {
		if seen[op.Name] {
			return fmt.Errorf("%s: the operator %q is given twice", where, op.Name)
		}
		seen[op.Name] = true
	}
	return nil
}
