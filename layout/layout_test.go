package layout

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestParse(t *testing.T) {
	fsys := fstest.MapFS{
		"pages/layout.html": {Data: []byte(`<main>{{template "body" .}}</main>`)},
		"pages/hello.html":  {Data: []byte(`{{define "body"}}hi {{up .}}{{end}}`)},
		"pages/data_x.html": {Data: []byte(`{{define "body"}}other{{end}}`)},
	}
	pages, err := Parse(fsys, map[string]any{"up": strings.ToUpper}, func(p string) bool { return strings.HasPrefix(p, "data_") })
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 1 || pages["hello"] == nil {
		t.Fatalf("pages = %v, want only hello", pages)
	}
	var b strings.Builder
	if err := pages["hello"].Execute(&b, "sam"); err != nil || b.String() != "<main>hi SAM</main>" {
		t.Errorf("hello = %q, %v", b.String(), err)
	}
	fsys["pages/broken.html"] = &fstest.MapFile{Data: []byte(`{{define "body"}}{{.Nope`)}
	if _, err := Parse(fsys, nil, nil); err == nil || !strings.Contains(err.Error(), "page broken") {
		t.Errorf("broken page: %v, want an error naming it", err)
	}
}
