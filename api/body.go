package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
)

// maxBody bounds a request body. The largest honest one is a create with
// a 2,000-character consent_text.
const maxBody = 16 << 10

// readJSON reads the request body into v: application/json only, at most
// maxBody bytes, exactly one JSON object, no field v does not have, and
// no NUL character in any string (a C string ends at one, and what was
// stored would not be what was sent). The error says which field.
func readJSON(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	if err := checkJSONType(r); err != nil {
		return err
	}
	return decodeStrict(body, v)
}

// readOptionalJSON is for routes that take no fields: an empty body is
// fine, and so is {}; anything else is read as readJSON reads it.
func readOptionalJSON(w http.ResponseWriter, r *http.Request) error {
	body, err := readBody(w, r)
	if err != nil || len(bytes.TrimSpace(body)) == 0 {
		return err
	}
	if err := checkJSONType(r); err != nil {
		return err
	}
	var none struct{}
	return decodeStrict(body, &none)
}

// readBody reads at most maxBody bytes of the body; more is a
// *http.MaxBytesError (413).
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, err
		}
		return nil, invalid("", "the request body could not be read")
	}
	return body, nil
}

// checkJSONType refuses a body not sent as application/json (415).
func checkJSONType(r *http.Request) error {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return problem{http.StatusUnsupportedMediaType, errorDetail{Code: codeInvalid,
			Message: "send the request body as JSON, with Content-Type: application/json"}}
	}
	return nil
}

// decodeStrict decodes one JSON object into v.
func decodeStrict(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return invalid("", "the request body is empty; send a JSON object")
	}
	if field, found := findNUL(body); found {
		return invalid(field, "the request has a NUL character (\\u0000) in "+orBody(field)+"; remove it")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		var syntaxErr *json.SyntaxError
		switch {
		case errors.As(err, &typeErr) && typeErr.Field == "":
			return invalid("", "the request body must be a JSON object, not "+jsonKind(typeErr.Value))
		case errors.As(err, &typeErr):
			return invalid(typeErr.Field, fmt.Sprintf("%s must be %s, not %s", typeErr.Field, expected(typeErr.Type), jsonKind(typeErr.Value)))
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			field, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
			return invalid(field, fmt.Sprintf("%q is not a field of this request (see docs/openapi.yaml); nothing was changed", field))
		case errors.As(err, &syntaxErr):
			return invalid("", fmt.Sprintf("the request body is not valid JSON (at byte %d)", syntaxErr.Offset))
		default:
			return invalid("", "the request body is not valid JSON")
		}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return invalid("", "the request body must be a single JSON object, with nothing after it")
	}
	return nil
}

// findNUL walks the body's tokens and reports whether a string (a key or
// a value, escaped as \u0000 or not) holds a NUL, and the field it is in.
// A body that is not valid JSON reports none; the decoder says so.
func findNUL(body []byte) (field string, found bool) {
	if bytes.IndexByte(body, 0) >= 0 {
		return "", true
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	var last string
	expectKey := false
	var depth []bool // per open container: is it an object?
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", false
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				depth = append(depth, true)
				expectKey = true
			case '[':
				depth = append(depth, false)
			default:
				depth = depth[:len(depth)-1]
				expectKey = len(depth) > 0 && depth[len(depth)-1]
			}
			continue
		case string:
			if expectKey {
				if strings.ContainsRune(t, 0) {
					return "", true
				}
				if len(depth) == 1 {
					last = t
				}
				expectKey = false
				continue
			}
			if strings.ContainsRune(t, 0) {
				return last, true
			}
		}
		// A value ends: inside an object the next string is a key.
		expectKey = len(depth) > 0 && depth[len(depth)-1]
	}
}

func orBody(field string) string {
	if field == "" {
		return "the body"
	}
	return field
}

// expected names a Go type as a JSON reader would: "a string".
func expected(t reflect.Type) string {
	if t == nil {
		return "another type"
	}
	switch t.Kind() {
	case reflect.Pointer:
		return expected(t.Elem())
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "a whole number"
	case reflect.Slice:
		return "a list of " + strings.TrimPrefix(expected(t.Elem()), "a ") + "s"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return "another type"
}

// jsonKind names what UnmarshalTypeError.Value says was sent, with an
// article: "an array", "a string", or the number itself.
func jsonKind(v string) string {
	v, rest, _ := strings.Cut(v, " ")
	if v == "number" && rest != "" {
		return rest
	}
	switch v {
	case "array", "object":
		return "an " + v
	case "":
		return "something else"
	}
	return "a " + v
}
