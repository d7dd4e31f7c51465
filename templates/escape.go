package templates

import (
	"strings"

	"github.com/steadyapp/steady/htmlesc"
)

// htmlOut writes an HTML document into b, with html/template's escaping
// (package htmlesc; TestDirectMatchesTemplate checks the whole prompt
// against its template on hostile input).
type htmlOut struct{ b *strings.Builder }

// raw writes s as it is: markup of the renderer's own.
func (w htmlOut) raw(s string) { w.b.WriteString(s) }

func (w htmlOut) text(s string) { htmlesc.Text(w.b, s) }
func (w htmlOut) url(s string)  { htmlesc.URL(w.b, s) }
