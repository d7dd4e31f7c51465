package themes

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	steady "github.com/steadyapp/steady"
)

// Answer kinds a prompt can ask for.
const (
	AnswerYesNo = "yesno" // YES means things are well, NO is the red flag
	AnswerScale = "scale" // 1 to 5; 5 means things are well, 1 is the red flag
)

//go:embed catalog.json
var defaultCatalog []byte

// Catalog is a validated set of prompts and the order they rotate in. It
// is never changed after Load, so it is safe for concurrent use.
type Catalog struct {
	prompts []steady.Prompt // as written in the file
	byID    map[string]int  // prompt id -> index in prompts
	seq     []int           // rotation order, indexes into prompts
	pos     map[string]int  // prompt id -> index in seq
}

// file is the JSON shape of a catalog:
//
//	{"prompts": [{"id": "honesty-1", "theme": "honesty", "answer": "yesno", "text": "..."}]}
type file struct {
	Prompts []filePrompt `json:"prompts"`
}

type filePrompt struct {
	ID     string `json:"id"`
	Theme  string `json:"theme"`
	Answer string `json:"answer"`
	Text   string `json:"text"`
}

// Default returns the catalog embedded in the binary. Each call parses it
// afresh, so callers own what they get; call it once at start-up.
func Default() *Catalog {
	c, err := Load(bytes.NewReader(defaultCatalog))
	if err != nil {
		// The embedded file is checked by the package tests.
		panic("themes: embedded catalog.json: " + err.Error())
	}
	return c
}

// Load reads and validates a catalog in the JSON shape of catalog.json.
// Every prompt needs a unique id, a known theme, non-empty text and an
// answer of "yesno" or "scale"; unknown fields are refused so a typo is
// not silently ignored. All problems found are reported together.
func Load(r io.Reader) (*Catalog, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var f file
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("themes: read catalog: %w", err)
	}
	if dec.More() {
		return nil, errors.New("themes: read catalog: unexpected data after the catalog object")
	}
	if len(f.Prompts) == 0 {
		return nil, errors.New("themes: catalog has no prompts")
	}
	c := &Catalog{byID: make(map[string]int, len(f.Prompts))}
	var errs []error
	for i, fp := range f.Prompts {
		p := steady.Prompt{
			ID:     strings.TrimSpace(fp.ID),
			Theme:  strings.TrimSpace(fp.Theme),
			Text:   strings.TrimSpace(fp.Text),
			Answer: strings.TrimSpace(fp.Answer),
		}
		where := fmt.Sprintf("prompt %d", i+1)
		if p.ID != "" {
			where += fmt.Sprintf(" (%q)", p.ID)
		}
		if p.ID == "" {
			errs = append(errs, fmt.Errorf("%s: id is empty", where))
		} else if j, dup := c.byID[p.ID]; dup {
			errs = append(errs, fmt.Errorf("%s: id is already used by prompt %d", where, j+1))
		} else {
			c.byID[p.ID] = i
		}
		if p.Theme == "" {
			errs = append(errs, fmt.Errorf("%s: theme is empty", where))
		} else if rank(p.Theme) < 0 {
			errs = append(errs, fmt.Errorf("%s: theme %q is not one of %s", where, p.Theme, themeIDs()))
		}
		if p.Text == "" {
			errs = append(errs, fmt.Errorf("%s: text is empty", where))
		}
		if p.Answer != AnswerYesNo && p.Answer != AnswerScale {
			errs = append(errs, fmt.Errorf("%s: answer %q is not %q or %q", where, p.Answer, AnswerYesNo, AnswerScale))
		}
		c.prompts = append(c.prompts, p)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("themes: invalid catalog:\n%w", err)
	}
	c.seq = rotation(c.prompts)
	c.pos = make(map[string]int, len(c.seq))
	for i, pi := range c.seq {
		c.pos[c.prompts[pi].ID] = i
	}
	return c, nil
}

func themeIDs() string {
	ids := make([]string, len(all))
	for i, t := range all {
		ids[i] = t.ID
	}
	return strings.Join(ids, ", ")
}

// Themes returns the themes that have at least one prompt in the catalog,
// in the fixed theme order.
func (c *Catalog) Themes() []steady.Theme {
	used := make(map[string]bool)
	for _, p := range c.prompts {
		used[p.Theme] = true
	}
	var out []steady.Theme
	for _, t := range all {
		if used[t.ID] {
			out = append(out, t)
		}
	}
	return out
}

// Prompt returns the prompt with the given id.
func (c *Catalog) Prompt(id string) (steady.Prompt, bool) {
	i, ok := c.byID[id]
	if !ok {
		return steady.Prompt{}, false
	}
	return c.prompts[i], true
}

// Prompts returns every prompt in the order the catalog file lists them.
func (c *Catalog) Prompts() []steady.Prompt {
	return append([]steady.Prompt(nil), c.prompts...)
}

// Next returns the prompt to send after lastPromptID: the one that follows
// it in the rotation, wrapping at the end. When lastPromptID is empty (a
// first prompt) or no longer in the catalog, it starts at position seed
// (use the subscriber id), so people do not all begin with the same prompt.
func (c *Catalog) Next(lastPromptID string, seed int64) steady.Prompt {
	n := int64(len(c.seq))
	i, ok := c.pos[lastPromptID]
	if ok && lastPromptID != "" {
		return c.prompts[c.seq[(int64(i)+1)%n]]
	}
	return c.prompts[c.seq[((seed%n)+n)%n]]
}
