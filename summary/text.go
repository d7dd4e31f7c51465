package summary

import (
	"bytes"
	"strconv"
)

// writeText writes the summary's plain text (the email's text part) into
// b, before squeeze takes out the blank lines its conditionals leave. Like
// writeHTML it is written out in Go rather than run by text/template,
// whose reflection cost more than the rest of the text's rendering;
// TestTextMatchesTemplate checks it against testdata/summary.txt.tmpl,
// byte for byte. Change the two together.
func writeText(b *bytes.Buffer, v *view) {
	if v.D.Discreet {
		b.WriteString(v.Preheader)
		b.WriteString(".")
	} else {
		b.WriteString("Your ")
		b.WriteString(v.Program)
		b.WriteString(" summary for ")
		b.WriteString(v.D.Title)
	}
	b.WriteString("\n")
	if v.D.Nudge {
		b.WriteString("\n")
		b.WriteString(v.D.Next)
		b.WriteString("\n")
	} else {
		writeTextReport(b, v)
	}
	b.WriteString("\nRead this summary online: ")
	b.WriteString(v.PageURL)
	b.WriteString("\n")
	if v.SettingsURL != "" {
		b.WriteString("Your settings (change your time, pause, turn summaries off): ")
		b.WriteString(v.SettingsURL)
		b.WriteString("\n")
	}
	b.WriteString("This summary is only for you. To stop receiving ")
	b.WriteString(v.Program)
	b.WriteString(": ")
	b.WriteString(v.UnsubscribeURL)
	b.WriteString("\n")
}

// writeTextReport writes the text of a summary with replies.
func writeTextReport(b *bytes.Buffer, v *view) {
	b.WriteString("\nYou sent ")
	b.WriteString(v.Replies)
	b.WriteString(" this month. ")
	if v.D.ShortOnly {
		b.WriteString("Everything below comes from short answers (a yes, a no or a number), so it shows how you rated things, not what happened; a few words with an answer, whenever you like, make the picture clearer.")
	} else {
		b.WriteString("Here is what your own words showed.")
	}
	b.WriteString("\n")
	if s := v.Safety; s != nil {
		b.WriteString("\nFirst, your safety")
		writeTextItem(b, s)
		b.WriteString("\nPeople who can help, any time:")
		for _, r := range v.Resources {
			b.WriteString("\n  - ")
			b.WriteString(r.Name)
			b.WriteString(": ")
			b.WriteString(r.Contact)
		}
		b.WriteString("\nNobody else has been told about your replies.\n")
	}
	if len(v.D.Recurring) > 0 {
		b.WriteString("\nRed flags that came back")
		for i := range v.Recurring {
			writeTextItem(b, &v.Recurring[i])
		}
	} else {
		b.WriteString("\nNo red flag came back more than once this month.\n")
	}
	if len(v.D.Once) > 0 {
		b.WriteString("\nCame up once: ")
		b.WriteString(v.Once)
		b.WriteString(".\n")
	}
	if len(v.D.Support) > 0 {
		b.WriteString("\nSigns of support")
		for i := range v.Support {
			it := &v.Support[i]
			b.WriteString("\n")
			b.WriteString(it.Name)
			b.WriteString(": ")
			b.WriteString(it.CountLine)
			writeTextQuotes(b, it)
		}
		b.WriteString("\n")
	}
	b.WriteString("\nCompared with last month\n")
	b.WriteString(v.D.Trend.Line)
	b.WriteString("\n\nWhat you might do next\n")
	b.WriteString(v.D.Next)
	b.WriteString("\n")
}

// writeTextItem writes a red flag: its line, quotes, answers and about.
func writeTextItem(b *bytes.Buffer, it *itemView) {
	b.WriteString("\n")
	b.WriteString(it.Name)
	b.WriteString(": ")
	b.WriteString(it.CountLine)
	if it.ManyWeeks {
		b.WriteString(", in ")
		b.WriteString(strconv.Itoa(it.Weeks))
		b.WriteString(" different weeks")
	}
	if it.PrevCount != 0 {
		b.WriteString(" (")
		b.WriteString(strconv.Itoa(it.PrevCount))
		b.WriteString(" the month before)")
	}
	writeTextQuotes(b, it)
	if it.About != "" {
		b.WriteString("\n  ")
		b.WriteString(it.About)
	}
	b.WriteString("\n")
}

// writeTextQuotes writes an item's quoted replies and short answers, one
// indented line each.
func writeTextQuotes(b *bytes.Buffer, it *itemView) {
	for _, e := range it.Evidence {
		b.WriteString("\n  \"")
		b.WriteString(e)
		b.WriteString("\"")
	}
	for _, a := range it.Answers {
		b.WriteString("\n  ")
		b.WriteString(a)
	}
}
