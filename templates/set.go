package templates

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	texttemplate "text/template"

	steady "github.com/steadyapp/steady"
	"github.com/steadyapp/steady/themes"
)

//go:embed defaults/*.tmpl
var defaults embed.FS

// CatalogFile is the name of the prompt catalog override in a template
// directory.
const CatalogFile = "prompts.json"

// Set is the parsed message templates and the prompt catalog. It is never
// changed after Load, so it is safe for concurrent use.
type Set struct {
	byName  map[string]*tmpl // "prompt.email.tmpl" -> parsed
	catalog *themes.Catalog
}

// tmpl is one parsed file: text for subject and text, html for html
// (email only).
type tmpl struct {
	file string // where it came from, for errors
	text *texttemplate.Template
	html *htmltemplate.Template
	// direct, when set, renders what the templates render, in Go code
	// (an embedded default; see prompt_direct.go).
	direct func(Data) rendered
	// discreet renders for a subscriber in discreet mode: the embedded
	// default when this is an operator's override that never reads
	// .Discreet (written before discreet mode, it would tell a lock screen
	// everything), else nil (this template itself).
	discreet *tmpl
}

// forSubscriber is the template to render for a subscriber.
func (t *tmpl) forSubscriber(discreet bool) *tmpl {
	if discreet && t.discreet != nil {
		return t.discreet
	}
	return t
}

// rendered is one template file's output.
type rendered struct {
	Subject, Text, HTML string
}

// fileName is the template file for a kind on a channel.
func fileName(kind steady.Kind, ch steady.Channel) string {
	return string(kind) + "." + string(ch) + ".tmpl"
}

// Load parses the embedded templates and the default catalog, with
// overrides from dir when dir is not "": a file in dir named like an
// embedded template (e.g. prompt.email.tmpl) replaces it, and
// dir/prompts.json replaces the catalog. Other *.tmpl files in dir are an
// error, since a misspelt override would otherwise be silently ignored.
// Every error names the file at fault.
func Load(dir string) (*Set, error) {
	names, err := fs.Glob(defaults, "defaults/*.tmpl")
	if err != nil {
		return nil, fmt.Errorf("templates: list embedded: %w", err)
	}
	for i, n := range names {
		names[i] = path.Base(n)
	}
	s := &Set{byName: make(map[string]*tmpl, len(names))}
	if dir != "" {
		if err := checkOverrideNames(dir, names); err != nil {
			return nil, err
		}
	}
	for _, name := range names {
		file := "embedded defaults/" + name
		src, err := defaults.ReadFile("defaults/" + name)
		if err != nil {
			return nil, fmt.Errorf("templates: %s: %w", file, err)
		}
		embedded, err := parse(name, file, string(src))
		if err != nil {
			return nil, err
		}
		embedded.direct = directRenderers[name]
		t := embedded
		if dir != "" {
			p := filepath.Join(dir, name)
			b, err := os.ReadFile(p)
			switch {
			case err == nil:
				if t, err = parse(name, p, string(b)); err != nil {
					return nil, err
				}
				if !strings.Contains(string(b), ".Discreet") {
					t.discreet = embedded
				}
			case !errors.Is(err, fs.ErrNotExist):
				return nil, fmt.Errorf("templates: %w", err)
			}
		}
		s.byName[name] = t
	}

	s.catalog = themes.Default()
	if dir != "" {
		p := filepath.Join(dir, CatalogFile)
		f, err := os.Open(p)
		switch {
		case err == nil:
			c, err := themes.Load(f)
			f.Close()
			if err != nil {
				return nil, fmt.Errorf("templates: %s: %w", p, err)
			}
			s.catalog = c
		case !errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("templates: %w", err)
		}
	}
	return s, nil
}

// checkOverrideNames refuses *.tmpl files in dir that override nothing.
func checkOverrideNames(dir string, known []string) error {
	matches, err := filepath.Glob(filepath.Join(dir, "*.tmpl"))
	if err != nil {
		return fmt.Errorf("templates: %s: %w", dir, err)
	}
	for _, m := range matches {
		if !slices.Contains(known, filepath.Base(m)) {
			return fmt.Errorf("templates: %s: not a known template name (known: %s)", m, strings.Join(known, ", "))
		}
	}
	return nil
}

// parse parses one template file, checks it defines what its channel
// needs, and renders it once against sample data so that mistakes only
// found at execution (a misspelt field, an html/template escaping error)
// also stop start-up.
func parse(name, file, src string) (*tmpl, error) {
	wrap := func(err error) error { return fmt.Errorf("templates: %s: %w", file, err) }
	t := &tmpl{file: file}
	var err error
	if t.text, err = texttemplate.New(name).Option("missingkey=error").Parse(src); err != nil {
		return nil, wrap(err)
	}
	need := []string{"text"}
	if isEmail(name) {
		need = []string{"subject", "text", "html"}
		if t.html, err = htmltemplate.New(name).Option("missingkey=error").Parse(src); err != nil {
			return nil, wrap(err)
		}
	}
	for _, n := range need {
		if t.text.Lookup(n) == nil {
			return nil, wrap(fmt.Errorf(`no {{define %q}}`, n))
		}
	}
	for _, discreet := range []bool{false, true} {
		d := sampleData()
		d.Discreet = discreet
		if _, err := t.render(d); err != nil {
			return nil, err
		}
	}
	return t, nil
}

func isEmail(name string) bool {
	return strings.HasSuffix(name, "."+string(steady.ChannelEmail)+".tmpl")
}

// render renders data with the file: by its Go renderer when it has one
// (an embedded default, see prompt_direct.go), else by its templates.
func (t *tmpl) render(data Data) (rendered, error) {
	if t.direct != nil {
		return t.direct(data), nil
	}
	return t.execute(data)
}

// execute runs the file's templates.
func (t *tmpl) execute(data Data) (rendered, error) {
	exec := func(name string, run func(io.Writer) error) (string, error) {
		var b bytes.Buffer
		if err := run(&b); err != nil {
			return "", fmt.Errorf("templates: %s: render %s: %w", t.file, name, err)
		}
		return b.String(), nil
	}
	text, err := exec("text", func(w io.Writer) error { return t.text.ExecuteTemplate(w, "text", data) })
	if err != nil {
		return rendered{}, err
	}
	if t.html == nil {
		return shape(text, "", "", false), nil
	}
	subject, err := exec("subject", func(w io.Writer) error { return t.text.ExecuteTemplate(w, "subject", data) })
	if err != nil {
		return rendered{}, err
	}
	html, err := exec("html", func(w io.Writer) error { return t.html.ExecuteTemplate(w, "html", data) })
	if err != nil {
		return rendered{}, err
	}
	return shape(text, subject, html, true), nil
}

// shape is a file's output as a message carries it. Subject is folded
// onto one line; bodies lose surrounding blank space and an email's end
// in one newline. A text message's has none, which would cost a character
// and end up in the consent record of a YES.
func shape(text, subject, html string, email bool) rendered {
	r := rendered{Text: strings.TrimSpace(text)}
	if !email {
		return r
	}
	r.Text += "\n"
	r.Subject = strings.Join(strings.Fields(subject), " ")
	r.HTML = strings.TrimSpace(html) + "\n"
	return r
}

// Catalog returns the prompt catalog: the embedded default or the
// operator's prompts.json.
func (s *Set) Catalog() *themes.Catalog { return s.catalog }

// lookup returns the template for a kind on a channel.
func (s *Set) lookup(kind steady.Kind, ch steady.Channel) (*tmpl, bool) {
	t, ok := s.byName[fileName(kind, ch)]
	return t, ok
}
