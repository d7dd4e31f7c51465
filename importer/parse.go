package importer

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/zones"
)

// The columns a file may have. One of email and phone is required in the
// header; timezone, cadence and time are required; the rest are optional.
const (
	ColEmail       = "email"
	ColPhone       = "phone"
	ColTimeZone    = "timezone"
	ColCadence     = "cadence"
	ColDays        = "days"
	ColEvery       = "every"
	ColTime        = "time"
	ColConsentText = "consent_text"
	ColConsentedAt = "consented_at"
)

// Columns is every column a file may have, in the order the help shows
// them.
var Columns = []string{ColEmail, ColPhone, ColTimeZone, ColCadence, ColDays, ColEvery, ColTime, ColConsentText, ColConsentedAt}

// MaxConsentText bounds consent_text, in characters (the JSON API's bound).
const MaxConsentText = 2000

// Problem is one thing wrong in a file: a row (Line is its line in the
// file, the header being line 1) and, where one field is at fault, its
// column.
type Problem struct {
	Line   int
	Column string // "" when the row as a whole is wrong
	Reason string
}

// String is "LINE: column: reason" (or "LINE: reason").
func (p Problem) String() string {
	if p.Column == "" {
		return fmt.Sprintf("%d: %s", p.Line, p.Reason)
	}
	return fmt.Sprintf("%d: %s: %s", p.Line, p.Column, p.Reason)
}

// Row is one good row: a sign-up as the subscribe form would have made it.
type Row struct {
	Line     int
	Channel  steady.Channel
	Address  string // normalized (lower-cased email, E.164 number)
	TimeZone string // IANA name (aliases resolved)
	Schedule steady.Schedule
	// ConsentText and ConsentedAt are the row's consent evidence (both or
	// neither; required with Options.Consented).
	ConsentText string
	ConsentedAt time.Time
}

// Plan is a parsed file: its good rows, and every problem of the others.
type Plan struct {
	Rows     []Row
	Problems []Problem
	// Read is how many data rows the file had (empty lines not counted).
	Read int
}

// Bad is how many rows have a problem.
func (p Plan) Bad() int {
	lines := map[int]bool{}
	for _, pr := range p.Problems {
		lines[pr.Line] = true
	}
	return len(lines)
}

// Parse reads a whole CSV file (a header row, then one subscriber a row)
// and checks every row with sign-up's rules (Options.Addresses, zone
// names and aliases as the form takes them, steady.NewSchedule), so all
// the problems of a file are reported at once. A UTF-8 byte order mark,
// CRLF line ends and empty lines are taken in their stride. An address
// given twice is a problem on its second line.
//
// The error is for a file that cannot be read at all: a read error, or a
// header naming no address column or a column it does not know (the
// message lists the expected ones). Bad rows are not errors: they are
// Plan.Problems.
func Parse(r io.Reader, opts Options) (Plan, error) {
	if opts.Addresses == nil {
		return Plan{}, errors.New("importer: parse: no address rules given")
	}
	now := opts.now()
	br := bufio.NewReader(r)
	if bom, err := br.Peek(3); err == nil && bytes.Equal(bom, []byte("\uFEFF")) {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1 // counted here, to say which line is short
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return Plan{}, errors.New("importer: the file is empty: the first line must name the columns, e.g. " + sampleHeader)
	}
	if err != nil {
		return Plan{}, fmt.Errorf("importer: reading the header: %w", err)
	}
	cols, err := readHeader(header)
	if err != nil {
		return Plan{}, err
	}
	p := parser{opts: opts, now: now, cols: cols, width: len(header), seen: map[string]int{}, zones: map[string]zoneResult{}}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			p.plan.Read++
			p.problem(pe.StartLine, "", fmt.Sprintf("not readable as CSV: %v", pe.Err))
			continue
		}
		if err != nil {
			return Plan{}, fmt.Errorf("importer: reading after line %d: %w", p.lastLine, err)
		}
		line, _ := cr.FieldPos(0)
		p.lastLine = line
		p.plan.Read++
		p.row(line, rec)
	}
	return p.plan, nil
}

// sampleHeader is a header the messages suggest.
const sampleHeader = "email,timezone,cadence,days,time"

// readHeader maps each known column to its index.
func readHeader(header []string) (map[string]int, error) {
	cols := map[string]int{}
	var unknown []string
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		if !slices.Contains(Columns, name) {
			unknown = append(unknown, strconv.Quote(h))
			continue
		}
		if _, dup := cols[name]; dup {
			return nil, fmt.Errorf("importer: the header names column %q twice", name)
		}
		cols[name] = i
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("importer: the header has unknown column(s) %s; the columns are %s (email or phone, timezone, cadence and time required)",
			strings.Join(unknown, ", "), strings.Join(Columns, ", "))
	}
	_, email := cols[ColEmail]
	_, phone := cols[ColPhone]
	if !email && !phone {
		return nil, fmt.Errorf("importer: the header has neither an email nor a phone column; the columns are %s, e.g. %s",
			strings.Join(Columns, ", "), sampleHeader)
	}
	var missing []string
	for _, c := range []string{ColTimeZone, ColCadence, ColTime} {
		if _, ok := cols[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("importer: the header lacks the column(s) %s; the columns are %s",
			strings.Join(missing, ", "), strings.Join(Columns, ", "))
	}
	return cols, nil
}

type zoneResult struct {
	name string
	loc  *time.Location
	err  error
}

// parser checks rows one by one into plan.
type parser struct {
	opts  Options
	now   time.Time
	cols  map[string]int
	width int
	seen  map[string]int // channel:address -> first line
	// lastLine is the line of the last row read.
	lastLine int
	zones    map[string]zoneResult
	plan     Plan
}

func (p *parser) problem(line int, col, reason string) {
	p.plan.Problems = append(p.plan.Problems, Problem{Line: line, Column: col, Reason: reason})
}

// invalid records err (a *steady.ValidationError, or anything) under col,
// or under the field it names.
func (p *parser) invalid(line int, col string, err error) {
	var v *steady.ValidationError
	if errors.As(err, &v) {
		p.problem(line, col, v.Message)
		return
	}
	p.problem(line, col, err.Error())
}

func (p *parser) row(line int, rec []string) {
	if len(rec) != p.width {
		p.problem(line, "", fmt.Sprintf("has %d fields, the header has %d", len(rec), p.width))
		return
	}
	before := len(p.plan.Problems)
	field := func(col string) string {
		i, ok := p.cols[col]
		if !ok {
			return ""
		}
		return rec[i]
	}
	// Text that is not text is reported as such, before any other rule
	// reads it.
	clean := map[string]bool{}
	for _, col := range Columns {
		v := field(col)
		switch {
		case strings.ContainsRune(v, 0):
			p.problem(line, col, "has a NUL byte: the file is not plain text (save it as CSV, UTF-8)")
		case !utf8.ValidString(v):
			p.problem(line, col, "is not valid UTF-8 text (save the file as CSV, UTF-8)")
		default:
			clean[col] = true
		}
	}
	var r Row
	r.Line = line
	if clean[ColEmail] && clean[ColPhone] {
		p.address(line, field(ColEmail), field(ColPhone), &r)
	}
	var loc *time.Location
	if clean[ColTimeZone] {
		z := p.zone(field(ColTimeZone))
		if z.err != nil {
			p.invalid(line, ColTimeZone, z.err)
		}
		r.TimeZone, loc = z.name, z.loc
	}
	if loc == nil {
		loc = time.UTC // still check the schedule, to report every mistake at once
	}
	if clean[ColCadence] && clean[ColDays] && clean[ColEvery] && clean[ColTime] {
		p.schedule(line, field(ColCadence), field(ColDays), field(ColEvery), field(ColTime), loc, &r)
	}
	if clean[ColConsentText] && clean[ColConsentedAt] {
		p.consent(line, field(ColConsentText), field(ColConsentedAt), &r)
	}
	if len(p.plan.Problems) > before {
		return
	}
	key := string(r.Channel) + ":" + r.Address
	if first, dup := p.seen[key]; dup {
		col := ColEmail
		if r.Channel == steady.ChannelSMS {
			col = ColPhone
		}
		p.problem(line, col, fmt.Sprintf("the same address as line %d", first))
		return
	}
	p.seen[key] = line
	p.plan.Rows = append(p.plan.Rows, r)
}

// address picks the row's channel as the subscribe form does: an email
// address or a phone number, exactly one, on a channel offered here.
func (p *parser) address(line int, email, phone string, r *Row) {
	email, phone = strings.TrimSpace(email), strings.TrimSpace(phone)
	a := p.opts.Addresses
	var col string
	switch {
	case email != "" && phone != "":
		p.problem(line, ColPhone, "give an email address or a phone number, not both")
		return
	case email == "" && phone == "":
		col = ColEmail
		if _, ok := p.cols[ColEmail]; !ok {
			col = ColPhone
		}
		p.problem(line, col, "an email address or a phone number is required")
		return
	case email != "":
		col, r.Channel = ColEmail, steady.ChannelEmail
	default:
		col, r.Channel = ColPhone, steady.ChannelSMS
	}
	if !a.Offers(r.Channel) {
		reason := "prompts by text message are not available here (no SMS provider is set up)"
		if r.Channel == steady.ChannelEmail {
			reason = "prompts by email are not available here (this programme sends text messages only)"
		}
		p.problem(line, col, reason)
		return
	}
	typed := email
	if r.Channel == steady.ChannelSMS {
		typed = phone
	}
	addr, err := a.Normalize(r.Channel, typed)
	if err != nil {
		p.invalid(line, col, err)
		return
	}
	r.Address = addr
}

// zone resolves a typed zone as the form does (zones.Resolve: an IANA
// name in any case, a city, or an alias such as "Eastern"), once per
// distinct value.
func (p *parser) zone(typed string) zoneResult {
	if z, ok := p.zones[typed]; ok {
		return z
	}
	var z zoneResult
	if z.name, z.err = zones.Resolve(typed); z.err == nil {
		z.loc, z.err = steady.LoadLocation(z.name)
	} else {
		z.err = steady.Invalid(ColTimeZone, "%s", z.err.Error())
	}
	p.zones[typed] = z
	return z
}

// schedule builds the row's schedule with steady.NewSchedule, as the
// form does: days are separated by commas, semicolons or spaces ("mon,thu");
// every is N for every_n_days, counted from today in the row's zone.
func (p *parser) schedule(line int, cadence, days, every, at string, loc *time.Location, r *Row) {
	dayList := strings.FieldsFunc(days, func(c rune) bool { return c == ',' || c == ';' || unicode.IsSpace(c) })
	n := 0
	if strings.EqualFold(strings.TrimSpace(cadence), string(steady.CadenceEveryN)) {
		var err error
		if n, err = strconv.Atoi(strings.TrimSpace(every)); err != nil {
			p.problem(line, ColEvery, fmt.Sprintf("every_n_days needs N from %d to %d in the every column", steady.MinEveryDays, steady.MaxEveryDays))
			return
		}
	}
	sched, err := steady.NewSchedule(cadence, dayList, n, at, p.now.In(loc))
	if err != nil {
		col := ColCadence
		var v *steady.ValidationError
		if errors.As(err, &v) && slices.Contains(Columns, v.Field) {
			col = v.Field
		}
		p.invalid(line, col, err)
		return
	}
	r.Schedule = sched
}

// consent reads the row's evidence: both fields or neither; with
// Options.Consented, both.
func (p *parser) consent(line int, text, at string, r *Row) {
	text, at = strings.TrimSpace(text), strings.TrimSpace(at)
	if text == "" && at == "" {
		if p.opts.Consented {
			p.problem(line, ColConsentText, "--consented imports only rows with their consent evidence: consent_text and consented_at are empty")
		}
		return
	}
	switch {
	case text == "":
		p.problem(line, ColConsentText, "consented_at is given but consent_text is empty: give the wording the person agreed to")
	case utf8.RuneCountInString(text) > MaxConsentText:
		p.problem(line, ColConsentText, fmt.Sprintf("is longer than %d characters", MaxConsentText))
	case strings.ContainsFunc(text, func(c rune) bool { return unicode.IsControl(c) && c != '\n' && c != '\t' }):
		p.problem(line, ColConsentText, "has control characters")
	default:
		r.ConsentText = text
	}
	if at == "" {
		p.problem(line, ColConsentedAt, "consent_text is given but consented_at is empty: give when the person agreed (2026-03-01 or 2026-03-01T09:30:00Z)")
		return
	}
	t, err := time.Parse(time.RFC3339, at)
	if err != nil {
		if t, err = time.Parse(time.DateOnly, at); err != nil {
			p.problem(line, ColConsentedAt, fmt.Sprintf("%q is not a date (2026-03-01) or an RFC 3339 time (2026-03-01T09:30:00Z)", at))
			return
		}
	}
	if t.After(p.now) {
		p.problem(line, ColConsentedAt, fmt.Sprintf("%s is in the future", at))
		return
	}
	r.ConsentedAt = t.UTC()
}
