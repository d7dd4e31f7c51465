package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/steadyapp/steady/api"
)

// The OpenAPI document, loaded and checked once for every test.
var (
	specOnce   sync.Once
	specDoc    *openapi3.T
	specRouter routers.Router
	specErr    error
)

func spec(t *testing.T) (*openapi3.T, routers.Router) {
	t.Helper()
	specOnce.Do(func() {
		loader := openapi3.NewLoader()
		specDoc, specErr = loader.LoadFromFile("../docs/openapi.yaml")
		if specErr != nil {
			return
		}
		if specErr = specDoc.Validate(loader.Context); specErr != nil {
			return
		}
		specRouter, specErr = gorillamux.NewRouter(specDoc)
	})
	if specErr != nil {
		t.Fatalf("docs/openapi.yaml: %v", specErr)
	}
	return specDoc, specRouter
}

// checkContract holds one exchange to the document.
func (b *bundle) checkContract(c call, sent *http.Request, res response) {
	b.t.Helper()
	doc, router := spec(b.t)
	if res.status != http.StatusNoContent {
		if ct := res.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
			b.t.Errorf("%s %s: Content-Type %q", c.method, c.path, ct)
		}
	}
	// A fresh copy of the request, since the first one's body was sent.
	req, err := http.NewRequest(c.method, "http://localhost"+c.path, strings.NewReader(c.body))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header = sent.Header.Clone()
	route, params, err := router.FindRoute(req)
	if err != nil && !strings.HasPrefix(c.path, api.Prefix) {
		return // not this API's
	}
	if err != nil {
		// No such route in the document: the answer must still be the
		// error shape.
		if res.status < 400 {
			b.t.Errorf("%s %s is not in docs/openapi.yaml but answered %d", c.method, c.path, res.status)
		}
		var v any
		if err := json.Unmarshal(res.body, &v); err != nil {
			b.t.Errorf("%s %s: answer is not JSON: %s", c.method, c.path, res.body)
			return
		}
		if err := doc.Components.Schemas["Error"].Value.VisitJSON(v); err != nil {
			b.t.Errorf("%s %s: answer is not the error shape: %v\n%s", c.method, c.path, err, res.body)
		}
		return
	}
	input := &openapi3filter.RequestValidationInput{
		Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
	}
	ctx := context.Background()
	if !c.bad {
		if err := openapi3filter.ValidateRequest(ctx, input); err != nil {
			b.t.Errorf("%s %s: the request breaks docs/openapi.yaml: %v", c.method, c.path, err)
		}
	}
	if err := openapi3filter.ValidateResponse(ctx, &openapi3filter.ResponseValidationInput{
		RequestValidationInput: input,
		Status:                 res.status,
		Header:                 res.header,
		Body:                   io.NopCloser(bytes.NewReader(res.body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true},
	}); err != nil {
		b.t.Errorf("%s %s: answer %d breaks docs/openapi.yaml: %v\n%s", c.method, c.path, res.status, err, res.body)
	}
}
