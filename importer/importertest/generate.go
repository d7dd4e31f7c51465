// Package importertest writes CSV files for tests of package importer and
// of the commands using it: many good rows and some bad ones, broken in
// known ways, with the problem each must be reported as.
package importertest

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/steadyapp/steady/importer"
)

// Header is the header Generate writes.
const Header = "email,phone,timezone,cadence,days,every,time,consent_text,consented_at"

// breakage is one way to break a row: the fields to write and the column
// its one problem names.
type breakage struct {
	name   string
	column string
	fields func(i int) []string
}

// Region is the phone region the generated numbers and the breakages
// assume: numbers are GB ones, and GB is the only country allowed.
const Region = "GB"

// Breakages are the ways Generate breaks rows, one problem each.
var breakages = []breakage{
	{"not an email address", importer.ColEmail, func(i int) []string {
		return row(fmt.Sprintf("bad%d.example.org", i), "", "Europe/London", "daily", "", "", "08:00")
	}},
	{"display name", importer.ColEmail, func(i int) []string {
		return row(fmt.Sprintf("Ana <bad%d@example.org>", i), "", "Europe/London", "daily", "", "", "08:00")
	}},
	{"not a phone number", importer.ColPhone, func(i int) []string { return row("", "+44 12", "Europe/London", "daily", "", "", "08:00") }},
	{"a country not allowed", importer.ColPhone, func(i int) []string {
		return row("", fmt.Sprintf("+1 415 555 %04d", i%10000), "Europe/London", "daily", "", "", "08:00")
	}},
	{"both addresses", importer.ColPhone, func(i int) []string {
		return row(fmt.Sprintf("both%d@example.org", i), phone(i), "Europe/London", "daily", "", "", "08:00")
	}},
	{"no address", importer.ColEmail, func(i int) []string { return row("", "", "Europe/London", "daily", "", "", "08:00") }},
	{"unknown zone", importer.ColTimeZone, func(i int) []string { return row(email(i), "", "Mars/Olympus", "daily", "", "", "08:00") }},
	{"an abbreviation", importer.ColTimeZone, func(i int) []string { return row(email(i), "", "EST", "daily", "", "", "08:00") }},
	{"unknown cadence", importer.ColCadence, func(i int) []string { return row(email(i), "", "Europe/London", "hourly", "", "", "08:00") }},
	{"weekly without days", importer.ColDays, func(i int) []string { return row(email(i), "", "Europe/London", "weekly", "", "", "08:00") }},
	{"not a day", importer.ColDays, func(i int) []string { return row(email(i), "", "Europe/London", "weekly", "mon,funday", "", "08:00") }},
	{"not a time", importer.ColTime, func(i int) []string { return row(email(i), "", "Europe/London", "daily", "", "", "25:00") }},
	{"every without N", importer.ColEvery, func(i int) []string { return row(email(i), "", "Europe/London", "every_n_days", "", "", "08:00") }},
	{"every out of range", importer.ColEvery, func(i int) []string { return row(email(i), "", "Europe/London", "every_n_days", "", "90", "08:00") }},
	{"a NUL byte", importer.ColTimeZone, func(i int) []string { return row(email(i), "", "Europe/\x00London", "daily", "", "", "08:00") }},
	{"invalid UTF-8", importer.ColEmail, func(i int) []string { return row("caf\xe9"+email(i), "", "Europe/London", "daily", "", "", "08:00") }},
	{"too many fields", "", func(i int) []string {
		return append(row(email(i), "", "Europe/London", "daily", "", "", "08:00"), "extra")
	}},
	{"too few fields", "", func(i int) []string { return []string{email(i), "", "Europe/London"} }},
	{"consent text without a date", importer.ColConsentedAt, func(i int) []string {
		return append(row(email(i), "", "Europe/London", "daily", "", "", "08:00")[:7], "I agreed on paper", "")
	}},
	{"not a date", importer.ColConsentedAt, func(i int) []string {
		return append(row(email(i), "", "Europe/London", "daily", "", "", "08:00")[:7], "I agreed", "last Tuesday")
	}},
}

func row(email, phone, zone, cadence, days, every, at string) []string {
	return []string{email, phone, zone, cadence, days, every, at, "", ""}
}

func email(i int) string { return fmt.Sprintf("person%05d@example.org", i) }

// phone is a valid GB mobile number, different for each i below 1,000,000.
func phone(i int) string { return fmt.Sprintf("+44 7400 %06d", i) }

// Generate writes a CSV file with n data rows, bad of them broken (each
// in one of the breakage ways, in turn, the last one a duplicate of an
// earlier good row's address), and returns it with the problems Parse
// must report, in line order. Good rows alternate email and phone
// addresses, zones (names, a city, an alias) and cadences; with consent,
// every good row carries its consent evidence.
func Generate(n, bad int, consent bool) ([]byte, []importer.Problem) {
	var buf bytes.Buffer
	buf.WriteString(Header + "\r\n")
	var want []importer.Problem
	every := n / max(bad, 1)
	broken := 0
	zonesTyped := []string{"Europe/London", "america/new_york", "Eastern", "Tokyo", "Australia/Sydney"}
	for i := range n {
		line := i + 2
		var fields []string
		if bad > 0 && i%every == every/2 && broken < bad {
			if broken == bad-1 {
				// The same address as the first row, in another case.
				fields = row(strings.ToUpper(email(0)), "", "Europe/London", "daily", "", "", "08:00")
				want = append(want, importer.Problem{Line: line, Column: importer.ColEmail, Reason: "the same address as line 2"})
			} else {
				b := breakages[broken%len(breakages)]
				fields = b.fields(i)
				want = append(want, importer.Problem{Line: line, Column: b.column, Reason: b.name})
			}
			broken++
		} else {
			addr, num := email(i), ""
			if i%4 == 3 {
				addr, num = "", phone(i)
			}
			zone := zonesTyped[i%len(zonesTyped)]
			switch i % 3 {
			case 0:
				fields = row(addr, num, zone, "daily", "", "", "20:30")
			case 1:
				fields = row(addr, num, zone, "weekly", "mon, thu", "", "7:15")
			default:
				fields = row(addr, num, zone, "every_n_days", "", "3", "12:00")
			}
			if consent {
				fields[7], fields[8] = "Yes, send me reflection prompts (paper form)", "2026-01-15"
			}
		}
		writeRow(&buf, fields)
	}
	return buf.Bytes(), want
}

// writeRow writes fields as one CSV line, quoting as needed, CRLF ended.
func writeRow(buf *bytes.Buffer, fields []string) {
	for j, f := range fields {
		if j > 0 {
			buf.WriteByte(',')
		}
		if strings.ContainsAny(f, ",\"\r\n ") {
			f = `"` + strings.ReplaceAll(f, `"`, `""`) + `"`
		}
		buf.WriteString(f)
	}
	buf.WriteString("\r\n")
}
