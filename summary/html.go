package summary

import "bytes"

// writeHTML writes the summary's HTML (the email's HTML part and the web
// page) into b. It is written out in Go, not as an html/template, because
// html/template calls its escapers through reflection once or more per
// action, which was most of the cost of rendering a summary; every value
// goes through the escaper html/template would have chosen for its place
// (escape.go), and TestHTMLMatchesTemplate checks the output against
// testdata/summary.html.tmpl run by html/template, byte for byte. Change
// the two together.
func writeHTML(b *bytes.Buffer, v *view) {
	w := htmlOut{b}
	w.raw(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>`)
	if v.D.Discreet {
		w.raw(`Your check-in`)
	} else {
		w.raw(`Your `)
		w.text(v.Program)
		w.raw(` summary for `)
		w.text(v.D.Title)
	}
	w.raw(`</title>`)
	if v.Page {
		w.raw(`
<meta name="color-scheme" content="light dark">
<style>
@media (prefers-color-scheme: dark) {
  body, table, td { background: #1b2124 !important; color: #e6e3dc !important; }
  td.safety { background: #33292a !important; }
  a, p[style*="color"], td[style*="color"], span[style*="6b635a"] { color: #b8c4c6 !important; }
  blockquote { border-left-color: #556064 !important; }
  img { background: #fbf8f3; border-radius: 4px; }
}
</style>`)
	}
	w.raw(`
</head>
<body style="margin:0;padding:0;background:#fbf8f3;color:#2d2a26;font-family:Georgia,'Times New Roman',serif;">`)
	if v.Page {
		w.raw(`
<nav aria-label="Quick exit"><a class="leave-quickly" id="leave-quickly" href="`)
		w.url(v.LeaveURL)
		w.raw(`" rel="noreferrer" aria-label="Leave quickly: go to a neutral site" style="position:fixed;top:8px;right:8px;z-index:10;padding:10px 14px;background:#2f5d50;color:#ffffff;font-family:Arial,sans-serif;font-size:16px;border-radius:6px;text-decoration:none;">Leave quickly</a></nav>
<script src="/static/leave.js" defer></script>`)
	} else {
		w.raw(`
<div style="display:none;max-height:0;overflow:hidden;mso-hide:all;font-size:1px;line-height:1px;color:#fbf8f3;">`)
		w.text(v.Preheader)
		w.raw(`</div>`)
	}
	w.raw(`
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#fbf8f3;"><tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" style="max-width:600px;width:100%;">
<tr><td style="padding:0 0 16px 0;"><h1 style="font-size:24px;font-weight:normal;margin:0;">`)
	if v.D.Discreet {
		w.raw(`Your check-in for `)
	} else {
		w.raw(`Your summary for `)
	}
	w.text(v.D.Title)
	w.raw(`</h1></td></tr>`)
	if v.D.Nudge {
		w.raw(`
<tr><td style="font-size:16px;line-height:1.5;"><p>`)
		w.text(v.D.Next)
		w.raw(`</p></td></tr>`)
	} else {
		writeHTMLReport(w, v)
	}
	w.raw(`
<tr><td style="padding:24px 0 0 0;font-size:13px;color:#6b635a;line-height:1.5;">`)
	if v.PageURL != "" {
		w.raw(`<p style="margin:0 0 4px 0;"><a href="`)
		w.url(v.PageURL)
		w.raw(`" style="color:#6b635a;">Read this summary online</a></p>`)
	}
	if v.SettingsURL != "" {
		w.raw(`<p style="margin:0 0 4px 0;"><a href="`)
		w.url(v.SettingsURL)
		w.raw(`" style="color:#6b635a;">Your settings</a> (change your time, pause, turn summaries off)</p>`)
	}
	w.raw(`
<p style="margin:0;">This summary is only for you.`)
	if v.UnsubscribeURL != "" {
		w.raw(` <a href="`)
		w.url(v.UnsubscribeURL)
		w.raw(`" style="color:#6b635a;">Stop receiving `)
		w.text(v.Program)
		w.raw(`</a>.`)
	}
	w.raw(`</p>
</td></tr>
</table>
</td></tr></table>
</body>
</html>
`)
}

// writeHTMLReport writes the body of a summary with replies: the count,
// safety, the chart, the red flags, support, the trend and what next.
func writeHTMLReport(w htmlOut, v *view) {
	w.raw(`
<tr><td style="font-size:16px;line-height:1.5;"><p>You sent `)
	w.text(v.Replies)
	w.raw(` this month. `)
	if v.D.ShortOnly {
		w.raw(`Everything below comes from short answers (a yes, a no or a number), so it shows how you rated things, not what happened; a few words with an answer, whenever you like, make the picture clearer.`)
	} else {
		w.raw(`Here is what your own words showed.`)
	}
	w.raw(`</p></td></tr>`)
	if s := v.Safety; s != nil {
		w.raw(`
<tr><td class="safety" style="padding:12px 16px;background:#f3e9e4;border-left:4px solid `)
		w.color(s.Color)
		w.raw(`;font-size:16px;line-height:1.5;">
<h2 style="font-size:19px;font-weight:normal;margin:0 0 8px 0;">First, your safety</h2>
<p style="margin:0 0 8px 0;">`)
		w.text(s.Name)
		w.raw(`: `)
		w.text(s.CountLine)
		w.raw(`.</p>`)
		writeQuotes(w, s, `
<blockquote style="margin:0 0 8px 0;padding:0 0 0 12px;border-left:2px solid #d8cfc4;font-style:italic;">`)
		w.raw(`
<p style="margin:0 0 8px 0;">`)
		w.text(s.About)
		w.raw(`</p>
<p style="margin:0 0 4px 0;">People who can help, any time:</p>
<ul style="margin:0 0 8px 0;">`)
		for _, r := range v.Resources {
			w.raw(`
<li>`)
			w.text(r.Name)
			w.raw(`: <strong>`)
			if r.URL != "" {
				w.raw(`<a href="`)
				w.trustedURL(string(r.URL))
				w.raw(`" style="color:inherit;">`)
			}
			w.text(r.Contact)
			if r.URL != "" {
				w.raw(`</a>`)
			}
			w.raw(`</strong></li>`)
		}
		w.raw(`
</ul>
<p style="margin:0;">Nobody else has been told about your replies.</p>
</td></tr>`)
	}
	w.raw(`
<tr><td style="padding:16px 0 0 0;"><h2 style="font-size:19px;font-weight:normal;margin:0 0 8px 0;">Red flags by week</h2>
<img src="`)
	w.trustedURL(string(v.ChartSrc))
	w.raw(`" width="`)
	w.int(v.ChartWidth)
	w.raw(`" height="`)
	w.int(v.ChartHeight)
	w.raw(`" alt="`)
	w.text(v.ChartAlt)
	w.raw(`" style="display:block;max-width:100%;height:auto;border:0;">
<table role="presentation" cellpadding="0" cellspacing="0" style="font-size:13px;margin:8px 0 0 0;">`)
	for _, wk := range v.Weeks {
		w.raw(`
<tr><td style="padding:2px 12px 2px 0;color:#6b635a;">`)
		w.text(wk.Label)
		w.raw(`</td><td style="padding:2px 0;">`)
		for i, c := range wk.Red {
			if i > 0 {
				w.raw(`, `)
			}
			w.raw(`<span style="color:`)
			w.color(c.Color)
			w.raw(`;">&#9632;</span> `)
			w.text(c.Name)
			w.raw(` `)
			w.int(c.Count)
		}
		if len(wk.Red) == 0 {
			w.raw(`none`)
		}
		w.raw(`</td></tr>`)
	}
	w.raw(`
</table></td></tr>
<tr><td style="padding:16px 0 0 0;font-size:16px;line-height:1.5;">
<h2 style="font-size:19px;font-weight:normal;margin:0 0 8px 0;">Red flags that came back</h2>`)
	for i := range v.Recurring {
		it := &v.Recurring[i]
		w.raw(`
<h3 style="font-size:17px;margin:12px 0 4px 0;"><span style="color:`)
		w.color(it.Color)
		w.raw(`;">&#9632;</span> `)
		w.text(it.Name)
		w.raw(`: `)
		w.text(it.CountLine)
		if it.ManyWeeks {
			w.raw(`, in `)
			w.int(it.Weeks)
			w.raw(` different weeks`)
		}
		if it.PrevCount != 0 {
			w.raw(` <span style="color:#6b635a;font-weight:normal;">(`)
			w.int(it.PrevCount)
			w.raw(` the month before)</span>`)
		}
		w.raw(`</h3>`)
		writeQuotes(w, it, `
<blockquote style="margin:0 0 6px 0;padding:0 0 0 12px;border-left:2px solid #d8cfc4;font-style:italic;">`)
		w.raw(`
<p style="margin:0 0 8px 0;color:#4a453f;">`)
		w.text(it.About)
		w.raw(`</p>`)
	}
	if len(v.Recurring) == 0 {
		w.raw(`
<p>No red flag came back more than once this month.</p>`)
	}
	if len(v.D.Once) > 0 {
		w.raw(`
<p style="color:#4a453f;">Came up once: `)
		w.text(v.Once)
		w.raw(`.</p>`)
	}
	w.raw(`
</td></tr>`)
	if len(v.D.Support) > 0 {
		w.raw(`
<tr><td style="padding:16px 0 0 0;font-size:16px;line-height:1.5;">
<h2 style="font-size:19px;font-weight:normal;margin:0 0 8px 0;">Signs of support</h2>`)
		for i := range v.Support {
			it := &v.Support[i]
			w.raw(`
<p style="margin:0 0 4px 0;"><strong>`)
			w.text(it.Name)
			w.raw(`</strong>: `)
			w.text(it.CountLine)
			w.raw(`</p>`)
			writeQuotes(w, it, `
<blockquote style="margin:0 0 6px 0;padding:0 0 0 12px;border-left:2px solid #cfdccb;font-style:italic;">`)
		}
		w.raw(`
</td></tr>`)
	}
	w.raw(`
<tr><td style="padding:16px 0 0 0;font-size:16px;line-height:1.5;">
<h2 style="font-size:19px;font-weight:normal;margin:0 0 8px 0;">Compared with last month</h2>
<p style="margin:0;">`)
	w.text(v.D.Trend.Line)
	w.raw(`</p>
<h2 style="font-size:19px;font-weight:normal;margin:16px 0 8px 0;">What you might do next</h2>
<p style="margin:0;">`)
	w.text(v.D.Next)
	w.raw(`</p>
</td></tr>`)
}

// writeQuotes writes an item's quoted replies, each opened by blockquote,
// then its short answers.
func writeQuotes(w htmlOut, it *itemView, blockquote string) {
	for _, e := range it.Evidence {
		w.raw(blockquote)
		w.text(e)
		w.raw(`</blockquote>`)
	}
	for _, a := range it.Answers {
		w.raw(`
<p style="margin:0 0 6px 0;color:#4a453f;">`)
		w.text(a)
		w.raw(`</p>`)
	}
}
