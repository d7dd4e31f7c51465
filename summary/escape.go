package summary

import (
	"bytes"

	"github.com/steadyapp/steady/htmlesc"
)

// htmlOut writes an HTML document into b, with html/template's escaping
// (package htmlesc; TestHTMLMatchesTemplate checks the whole summary
// against its template on hostile input).
type htmlOut struct{ b *bytes.Buffer }

// raw writes s as it is: markup of the renderer's own.
func (w htmlOut) raw(s string) { w.b.WriteString(s) }

func (w htmlOut) text(s string)       { htmlesc.Text(w.b, s) }
func (w htmlOut) int(n int)           { htmlesc.Int(w.b, n) }
func (w htmlOut) url(s string)        { htmlesc.URL(w.b, s) }
func (w htmlOut) trustedURL(s string) { htmlesc.TrustedURL(w.b, s) }
func (w htmlOut) color(s string)      { htmlesc.Color(w.b, s) }
