package api

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// pathID reads the {id} path value: a positive whole number, else 400.
func pathID(r *http.Request) (int64, error) {
	raw := r.PathValue("id")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, invalid("id", "the id in the path must be a positive whole number")
	}
	return id, nil
}

// query reads a route's query parameters, refusing any it does not know
// and any given twice, so a mistyped filter is an error instead of a
// silently wider answer.
type query struct {
	values url.Values
}

func readQuery(r *http.Request, known ...string) (query, error) {
	values, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return query{}, invalid("", "the query string cannot be read")
	}
outer:
	for name, vs := range values {
		for _, k := range known {
			if name == k {
				if len(vs) > 1 {
					return query{}, invalid(name, name+" is given more than once")
				}
				continue outer
			}
		}
		return query{}, invalid(name, strconv.Quote(name)+" is not a parameter of this route; it takes "+strings.Join(known, ", "))
	}
	return query{values}, nil
}

// text is the parameter's value, trimmed; "" when absent.
func (q query) text(name string) (string, error) {
	v := strings.TrimSpace(q.values.Get(name))
	if strings.ContainsRune(v, 0) {
		return "", invalid(name, name+" has a NUL character")
	}
	return v, nil
}

// int is the parameter as a whole number from min to max, or def when
// absent.
func (q query) int(name string, def, min, max int64) (int64, error) {
	v, err := q.text(name)
	if err != nil || v == "" {
		return def, err
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < min || n > max {
		return 0, invalid(name, name+" must be a whole number from "+strconv.FormatInt(min, 10)+" to "+strconv.FormatInt(max, 10))
	}
	return n, nil
}

// oneOf is the parameter when it is one of allowed, "" when absent.
func (q query) oneOf(name string, allowed ...string) (string, error) {
	v, err := q.text(name)
	if err != nil || v == "" {
		return v, err
	}
	for _, a := range allowed {
		if v == a {
			return v, nil
		}
	}
	return "", invalid(name, fmt.Sprintf("%s must be one of %s, not %q", name, strings.Join(allowed, ", "), v))
}

// list is the parameter as a comma-separated list, each one of allowed.
func (q query) list(name string, allowed ...string) ([]string, error) {
	v, err := q.text(name)
	if err != nil || v == "" {
		return nil, err
	}
	var out []string
	for _, item := range strings.Split(v, ",") {
		item = strings.TrimSpace(item)
		ok := false
		for _, a := range allowed {
			ok = ok || item == a
		}
		if !ok {
			return nil, invalid(name, fmt.Sprintf("%s is a comma-separated list of %s; %q is not one", name, strings.Join(allowed, ", "), item))
		}
		out = append(out, item)
	}
	return out, nil
}
