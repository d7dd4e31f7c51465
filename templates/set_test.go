package templates

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	steady "github.com/steadyapp/steady"
)

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadEmbedded(t *testing.T) {
	t.Parallel()
	s, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range []steady.Kind{steady.KindConfirm, steady.KindPrompt, steady.KindGoodbye} {
		for _, ch := range []steady.Channel{steady.ChannelEmail, steady.ChannelSMS} {
			if _, ok := s.lookup(kind, ch); !ok {
				t.Errorf("no embedded template for %s on %s", kind, ch)
			}
		}
	}
	if len(s.Catalog().Prompts()) == 0 {
		t.Error("the default catalog is empty")
	}
	// An empty directory changes nothing.
	if _, err := Load(t.TempDir()); err != nil {
		t.Errorf("Load(empty dir): %v", err)
	}
}

func TestLoadOverride(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "prompt.email.tmpl", `{{define "subject"}}A moment for you, {{.Weekday}}{{end}}
{{define "text"}}{{.PromptText}} (custom){{end}}
{{define "html"}}<p>{{.PromptText}}</p>{{end}}`)
	writeFile(t, dir, "README.txt", "not a template, ignored")
	s, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	c := &Composer{Set: s, Links: fakeLinks{}}
	m, err := c.Compose(testDelivery(steady.KindPrompt, steady.ChannelEmail), testSubscriber(steady.ChannelEmail))
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "A moment for you, Thursday" || !strings.HasSuffix(m.Text, "(custom)\n") || !strings.HasPrefix(m.HTML, "<p>") {
		t.Errorf("override not used: %q / %q / %q", m.Subject, m.Text, m.HTML)
	}
	// Templates not overridden keep the embedded version.
	m, err = c.Compose(testDelivery(steady.KindConfirm, steady.ChannelEmail), subscriberFor(steady.KindConfirm, steady.ChannelEmail))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(m.Subject, "confirm") {
		t.Errorf("confirm subject %q: the embedded confirm template was lost", m.Subject)
	}
}

func TestLoadBrokenOverride(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, file, content, want string
	}{
		{"syntax", "confirm.email.tmpl", `{{define "subject"}}Hi{{end}}{{define "text"}}{{.Address{{end}}`, ""},
		{"unclosed action", "prompt.sms.tmpl", `{{define "text"}}{{if .Answer}}yes{{end}}`, ""},
		{"missing html", "prompt.email.tmpl", `{{define "subject"}}Hi{{end}}{{define "text"}}Hi{{end}}`, `no {{define "html"}}`},
		{"missing text", "confirm.sms.tmpl", `hello`, `no {{define "text"}}`},
		{"misspelt field", "goodbye.email.tmpl", `{{define "subject"}}{{.Adress}}{{end}}{{define "text"}}x{{end}}{{define "html"}}x{{end}}`, "Adress"},
		{"unknown name", "promt.email.tmpl", `{{define "text"}}x{{end}}`, "not a known template name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			p := writeFile(t, dir, tt.file, tt.content)
			_, err := Load(dir)
			if err == nil {
				t.Fatal("Load succeeded with a broken override")
			}
			if !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q should name %s and mention %q", err, p, tt.want)
			}
		})
	}
}

func TestLoadCatalogOverride(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, CatalogFile, `{"prompts": [
		{"id": "trust-a", "theme": "trust", "answer": "scale", "text": "From 1 to 5, how settled do you feel?"},
		{"id": "honesty-a", "theme": "honesty", "answer": "yesno", "text": "Was today honest?"}]}`)
	s, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	ps := s.Catalog().Prompts()
	if len(ps) != 2 || ps[0].ID != "trust-a" {
		t.Fatalf("catalog = %+v, want the two prompts from %s", ps, CatalogFile)
	}
	if _, ok := s.Catalog().Prompt("honesty-1"); ok {
		t.Error("the default catalog is still there")
	}

	bad := t.TempDir()
	p := writeFile(t, bad, CatalogFile, `{"prompts": [{"id": "x", "theme": "trust", "answer": "maybe", "text": "Q?"}]}`)
	if _, err := Load(bad); err == nil || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), `answer "maybe"`) {
		t.Errorf("Load with a bad %s: error %v, want one naming the file and the problem", CatalogFile, err)
	}
}
