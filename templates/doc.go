// Package templates renders deliveries into messages: the confirmation
// email, reflection prompts and the goodbye note, by email and by SMS.
//
// # Files
//
// The templates are embedded from defaults/, one file per message kind and
// channel, named KIND.CHANNEL.tmpl (prompt.email.tmpl, confirm.sms.tmpl,
// ...). An email file holds the whole message in three named templates:
//
//	{{define "subject"}}...{{end}}  one line, rendered with text/template
//	{{define "text"}}...{{end}}     the plain-text body, text/template
//	{{define "html"}}...{{end}}     the HTML body, html/template (escaped)
//
// The same file is parsed by both packages, so helper templates defined
// in it (prompt.email.tmpl has "answer") can be called from every part.
// An SMS file defines only "text". Every template receives a Data.
//
// HTML bodies are simple, with inline styles only: no external images,
// fonts, scripts or tracking of any kind.
//
// # Loading and overrides
//
// Load parses every template once, checks that each defines what its
// channel needs and renders each against sample data, so a broken
// template stops the program at start-up rather than at the first send.
// An operator may point Load at a directory: a file there with the name of
// an embedded template replaces it, and prompts.json (if present) replaces
// the prompt catalog (see themes.Load). Any error names the file. An
// override that never reads .Discreet is not used for subscribers in
// discreet mode: they get the embedded template, which says nothing about
// relationships where a lock screen or an inbox preview shows it.
//
// # Composing
//
// Composer turns a steady.Delivery and its steady.Subscriber into a
// complete steady.Message. URLs and addresses come from a Links, which the
// links package satisfies. Every email carries List-Unsubscribe and
// List-Unsubscribe-Post (RFC 8058) headers.
package templates
