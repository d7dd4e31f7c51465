package templates

import (
	"strings"

	"github.com/steadyapp/steady/themes"
)

// directRenderers are the embedded templates that have a Go renderer, by
// file name: the prompts, which nearly every message is. Each writes, in
// Go code, what its file's templates write (text/template for the subject
// and text, html/template for the HTML, with html/template's escaping:
// escape.go), because executing them called fields and escapers through
// reflection, most of the cost of composing a prompt. An operator's
// override of the file is still executed as a template.
// TestDirectMatchesTemplate checks every renderer against its file, byte
// for byte, on ordinary and hostile data: change the two together.
var directRenderers = map[string]func(Data) rendered{
	"prompt.email.tmpl": promptEmail,
	"prompt.sms.tmpl":   promptSMS,
}

// answerWords is prompt.email.tmpl's "answer".
func answerWords(d Data) string {
	if d.Answer == themes.AnswerScale {
		return "a number from 1 to 5"
	}
	return "YES or NO"
}

// promptEmail renders prompt.email.tmpl.
func promptEmail(d Data) rendered {
	var subject string
	if d.Discreet {
		subject = "Your check-in"
	} else {
		subject = "Your reflection for " + d.Weekday
	}
	return shape(promptEmailText(d), subject, promptEmailHTML(d, subject), true)
}

// promptEmailText is prompt.email.tmpl's "text".
func promptEmailText(d Data) string {
	var b strings.Builder
	b.Grow(1024 + len(d.PromptText))
	if d.Discreet {
		b.WriteString("A new check-in is ready.\n\n")
	}
	b.WriteString(d.PromptText)
	b.WriteString("\n")
	if p := d.Past; p != nil {
		b.WriteString("\nSomething you wrote ")
		b.WriteString(p.When)
		b.WriteString(":\n\"")
		b.WriteString(p.Text)
		b.WriteString("\"\nTo stop showing you past words: ")
		b.WriteString(p.StopURL)
		b.WriteString("\n")
	}
	if d.EmailReplies {
		b.WriteString("\nTo answer, reply to this email: start with ")
		b.WriteString(answerWords(d))
		b.WriteString(", then add\nanything you want to say. A few words is plenty.\n\nOr answer on the web:\n")
		b.WriteString(d.ReplyURL)
		b.WriteString("\n")
	} else {
		b.WriteString("\nTo answer, open this page: start with ")
		b.WriteString(answerWords(d))
		b.WriteString(", then add\nanything you want to say. A few words is plenty.\n")
		b.WriteString(d.ReplyURL)
		b.WriteString("\n\nPlease answer on the page: replies to this email are not read.\n")
	}
	b.WriteString("\nYour replies are kept privately for you and never shared.\n\n---\n")
	b.WriteString("You get this email because you asked ")
	b.WriteString(d.ProgramName)
	if d.Discreet {
		b.WriteString(" for\ncheck-ins at ")
	} else {
		b.WriteString(" for reflection\nprompts at ")
	}
	b.WriteString(d.Address)
	b.WriteString(".\nYour schedule: ")
	b.WriteString(d.Schedule)
	b.WriteString(" (")
	b.WriteString(d.TimeZone)
	b.WriteString(").\nTo change your time, pause or see your settings: ")
	b.WriteString(d.SettingsURL)
	b.WriteString("\nTo stop them, open ")
	b.WriteString(d.UnsubscribeURL)
	return b.String()
}

// promptEmailHTML is prompt.email.tmpl's "html"; subject is its "subject".
func promptEmailHTML(d Data, subject string) string {
	var b strings.Builder
	b.Grow(4096 + 2*len(d.PromptText))
	w := htmlOut{&b}
	w.raw(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>`)
	w.text(subject)
	w.raw(`</title>
</head>
<body style="margin:0;padding:0;background-color:#f5f3ef;">
<div style="display:none;max-height:0;overflow:hidden;mso-hide:all;font-size:1px;line-height:1px;color:#f5f3ef;">`)
	if d.Discreet {
		w.raw("A new check-in is ready")
	} else {
		w.raw("A short question for ")
		w.text(d.Weekday)
		w.raw(", whenever suits you")
	}
	w.raw(`&#8199;&#847;&#8199;&#847;&#8199;&#847;&#8199;&#847;&#8199;&#847;&#8199;&#847;&#8199;&#847;&#8199;&#847;&#8199;&#847;&#8199;&#847;&#8199;&#847;&#8199;&#847;&#8199;&#847;&#8199;&#847;&#8199;&#847;&#8199;&#847;&#8199;&#847;&#8199;&#847;&#8199;&#847;&#8199;&#847;</div>
<div style="max-width:560px;margin:0 auto;padding:24px 20px;font-family:Georgia,serif;font-size:17px;line-height:1.6;color:#222222;">
<p style="margin:0 0 24px;font-size:21px;line-height:1.5;">`)
	w.text(d.PromptText)
	w.raw(`</p>
`)
	if p := d.Past; p != nil {
		w.raw(`<div style="margin:0 0 24px;padding:12px 16px;border-left:3px solid #2f5d50;background-color:#ffffff;">
<p style="margin:0 0 8px;font-size:15px;color:#555555;">Something you wrote `)
		w.text(p.When)
		w.raw(`:</p>
<p style="margin:0 0 8px;font-style:italic;">&ldquo;`)
		w.text(p.Text)
		w.raw(`&rdquo;</p>
<p style="margin:0;font-size:14px;"><a href="`)
		w.url(p.StopURL)
		w.raw(`" style="color:#2f5d50;">Stop showing me past words</a></p>
</div>
`)
	}
	if d.EmailReplies {
		w.raw(`<p style="margin:0 0 16px;">To answer, reply to this email: start with <strong>`)
		w.raw(answerWords(d))
		w.raw(`</strong>, then add anything you want to say. A few words is plenty.</p>
<p style="margin:24px 0;"><a href="`)
		w.url(d.ReplyURL)
		w.raw(`" style="display:inline-block;padding:12px 20px;background-color:#2f5d50;color:#ffffff;text-decoration:none;border-radius:6px;font-family:Arial,sans-serif;font-size:16px;">Answer on the web</a></p>`)
	} else {
		w.raw(`<p style="margin:0 0 16px;">To answer, open the page below: start with <strong>`)
		w.raw(answerWords(d))
		w.raw(`</strong>, then add anything you want to say. A few words is plenty.</p>
<p style="margin:24px 0;"><a href="`)
		w.url(d.ReplyURL)
		w.raw(`" style="display:inline-block;padding:12px 20px;background-color:#2f5d50;color:#ffffff;text-decoration:none;border-radius:6px;font-family:Arial,sans-serif;font-size:16px;">Answer on the page</a></p>
<p style="margin:0 0 16px;">Please answer on the page: replies to this email are not read.</p>`)
	}
	w.raw(`
<p style="margin:0 0 24px;">Your replies are kept privately for you and never shared.</p>
<hr style="border:none;border-top:1px solid #d8d4cc;margin:24px 0;">
<p style="margin:0;font-size:14px;color:#555555;">You get this email because you asked `)
	w.text(d.ProgramName)
	if d.Discreet {
		w.raw(" for check-ins at ")
	} else {
		w.raw(" for reflection prompts at ")
	}
	w.text(d.Address)
	w.raw(`. Your schedule: `)
	w.text(d.Schedule)
	w.raw(` (`)
	w.text(d.TimeZone)
	w.raw(`).<br><a href="`)
	w.url(d.SettingsURL)
	w.raw(`" style="color:#2f5d50;">Your settings</a> (change your time, pause) · <a href="`)
	w.url(d.UnsubscribeURL)
	w.raw(`" style="color:#2f5d50;">Unsubscribe</a></p>
</div>
</body>
</html>
`)
	return b.String()
}

// promptSMS renders prompt.sms.tmpl.
func promptSMS(d Data) rendered {
	if d.Discreet {
		return shape("Your check-in is ready: "+d.ReplyURL, "", "", false)
	}
	var b strings.Builder
	b.Grow(256 + len(d.PromptText))
	b.WriteString(d.ProgramName)
	b.WriteString(": ")
	b.WriteString(d.PromptText)
	if p := d.Past; p != nil {
		b.WriteString(" You wrote ")
		b.WriteString(p.When)
		b.WriteString(": \"")
		b.WriteString(p.Text)
		b.WriteString("\" Hide past words: ")
		b.WriteString(p.StopURL)
	}
	b.WriteString(" Reply ")
	if d.Answer == themes.AnswerScale {
		b.WriteString("1-5")
	} else {
		b.WriteString("YES or NO")
	}
	b.WriteString(", and more if you like. STOP to end")
	return shape(b.String(), "", "", false)
}
