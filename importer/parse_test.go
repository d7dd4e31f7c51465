package importer_test

import (
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/importer"
	"github.com/steadyapp/steady/importer/importertest"
	"github.com/steadyapp/steady/phones"
	"github.com/steadyapp/steady/web"
)

// now is the clock of every test here.
var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// signupRules are the address rules of a programme sending email and
// texts to GB numbers (the rules web sign-up uses).
func signupRules() importer.Addresses {
	return web.NewAddressRules(web.Config{SMS: &web.SMSConfig{
		Phones: phones.Rules{DefaultRegion: importertest.Region, Countries: []string{importertest.Region}}}})
}

func options() importer.Options {
	return importer.Options{Addresses: signupRules(), Clock: steady.NewManualClock(now)}
}

func TestParseReadsGoodRowsAsSignUpDoes(t *testing.T) {
	t.Parallel()
	// A BOM, CRLF line ends, an empty line, columns in any order and case.
	in := "\uFEFFTime,EMAIL,phone,Timezone,cadence,days,every\r\n" +
		"20:30, Ana@Example.ORG ,,Europe/London,daily,,\r\n" +
		"\r\n" +
		"7:15,,07400 123456,Eastern,weekly,\"thu, mon\",\r\n" +
		"12:00,bo@example.org,,tokyo,every_n_days,,3\r\n"
	plan, err := importer.Parse(strings.NewReader(in), options())
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Problems) != 0 || plan.Read != 3 || len(plan.Rows) != 3 {
		t.Fatalf("plan %+v", plan)
	}
	want := []struct {
		line     int
		ch       steady.Channel
		addr     string
		zone     string
		schedule string
	}{
		{2, steady.ChannelEmail, "ana@example.org", "Europe/London", "daily 20:30"},
		{4, steady.ChannelSMS, "+447400123456", "America/New_York", "weekly mon,thu 07:15"},
		{5, steady.ChannelEmail, "bo@example.org", "Asia/Tokyo", "every 3 from 2026-03-01 12:00"},
	}
	for i, w := range want {
		r := plan.Rows[i]
		if r.Line != w.line || r.Channel != w.ch || r.Address != w.addr || r.TimeZone != w.zone || r.Schedule.String() != w.schedule {
			t.Errorf("row %d: %+v, want %+v", i, r, w)
		}
	}
}

func TestParseReportsEachKindOfBadRow(t *testing.T) {
	t.Parallel()
	const header = "email,phone,timezone,cadence,days,every,time,consent_text,consented_at\n"
	cases := []struct {
		name, row, column, reason string
		consented                 bool
	}{
		{"bad email", "ana.example.org,,Europe/London,daily,,,08:00,,", "email", "not an email address", false},
		{"bad phone", ",+44 12,Europe/London,daily,,,08:00,,", "phone", "phone", false},
		{"country not allowed", ",+1 212 555 0123,Europe/London,daily,,,08:00,,", "phone", "", false},
		{"both", "a@example.org,07400 123456,Europe/London,daily,,,08:00,,", "phone", "not both", false},
		{"neither", ",,Europe/London,daily,,,08:00,,", "email", "required", false},
		{"unknown zone", "a@example.org,,Mars/Olympus,daily,,,08:00,,", "timezone", "", false},
		{"abbreviation", "a@example.org,,EST,daily,,,08:00,,", "timezone", "", false},
		{"no zone", "a@example.org,,,daily,,,08:00,,", "timezone", "", false},
		{"bad cadence", "a@example.org,,Europe/London,hourly,,,08:00,,", "cadence", "hourly", false},
		{"weekly without days", "a@example.org,,Europe/London,weekly,,,08:00,,", "days", "at least one day", false},
		{"bad day", "a@example.org,,Europe/London,weekly,mon;blursday,,08:00,,", "days", "blursday", false},
		{"bad time", "a@example.org,,Europe/London,daily,,,8pm,,", "time", "8pm", false},
		{"every without N", "a@example.org,,Europe/London,every_n_days,,,08:00,,", "every", "every column", false},
		{"every out of range", "a@example.org,,Europe/London,every_n_days,,1,08:00,,", "every", "from 2 to 30", false},
		{"NUL byte", "a@exa\x00mple.org,,Europe/London,daily,,,08:00,,", "email", "NUL", false},
		{"invalid UTF-8", "a@example.org,,Europe/Lond\xff,daily,,,08:00,,", "timezone", "UTF-8", false},
		{"too many fields", "a@example.org,,Europe/London,daily,,,08:00,,,", "", "10 fields, the header has 9", false},
		{"too few fields", "a@example.org,,Europe/London", "", "3 fields", false},
		{"bare quote", "a@exa\"mple.org,,Europe/London,daily,,,08:00,,", "", "CSV", false},
		{"text without date", "a@example.org,,Europe/London,daily,,,08:00,I agreed,", "consented_at", "empty", false},
		{"date without text", "a@example.org,,Europe/London,daily,,,08:00,,2026-01-01", "consent_text", "empty", false},
		{"bad date", "a@example.org,,Europe/London,daily,,,08:00,I agreed,01/02/2026", "consented_at", "not a date", false},
		{"future date", "a@example.org,,Europe/London,daily,,,08:00,I agreed,2027-01-01", "consented_at", "future", false},
		{"control characters", "a@example.org,,Europe/London,daily,,,08:00,I\x07 agreed,2026-01-01", "consent_text", "control", false},
		{"consented without evidence", "a@example.org,,Europe/London,daily,,,08:00,,", "consent_text", "--consented", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			opts := options()
			opts.Consented = c.consented
			// A good row before and after: only the bad one is reported,
			// on its own line.
			in := header + "ok1@example.org,,Europe/London,daily,,,08:00,x,2026-01-01\n" + c.row + "\n" +
				"ok2@example.org,,Europe/London,daily,,,08:00,x,2026-01-01\n"
			plan, err := importer.Parse(strings.NewReader(in), opts)
			if err != nil {
				t.Fatal(err)
			}
			if len(plan.Problems) != 1 {
				t.Fatalf("problems %+v", plan.Problems)
			}
			p := plan.Problems[0]
			if p.Line != 3 || p.Column != c.column || !strings.Contains(p.Reason, c.reason) || p.Reason == "" {
				t.Errorf("problem %+v, want line 3, column %q, a reason with %q", p, c.column, c.reason)
			}
			if len(plan.Rows) != 2 || plan.Rows[1].Line != 4 || plan.Bad() != 1 {
				t.Errorf("good rows %+v", plan.Rows)
			}
		})
	}
}

func TestParseReportsADuplicateOnItsSecondLine(t *testing.T) {
	t.Parallel()
	in := "phone,email,timezone,cadence,time\n" +
		",ana@example.org,Europe/London,daily,08:00\n" +
		"07400 123456,,Europe/London,daily,08:00\n" +
		",ANA@example.org,Europe/Paris,daily,09:00\n" +
		"+447400123456,,Europe/London,daily,08:00\n"
	plan, err := importer.Parse(strings.NewReader(in), options())
	if err != nil {
		t.Fatal(err)
	}
	want := []importer.Problem{
		{Line: 4, Column: "email", Reason: "the same address as line 2"},
		{Line: 5, Column: "phone", Reason: "the same address as line 3"},
	}
	if len(plan.Problems) != 2 || plan.Problems[0] != want[0] || plan.Problems[1] != want[1] || len(plan.Rows) != 2 {
		t.Fatalf("plan %+v", plan)
	}
}

func TestParseRefusesAFileItCannotRead(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, in, want string }{
		{"empty", "", "empty"},
		{"unknown column", "email,timezone,cadence,time,colour\n", `unknown column(s) "colour"; the columns are email, phone, timezone`},
		{"no address column", "timezone,cadence,time\n", "neither an email nor a phone column"},
		{"missing columns", "email,days\n", "lacks the column(s) timezone, cadence, time"},
		{"twice", "email,email,timezone,cadence,time\n", "twice"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, err := importer.Parse(strings.NewReader(c.in), options())
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one with %q", err, c.want)
			}
		})
	}
}

func TestParseRefusesAChannelNotOffered(t *testing.T) {
	t.Parallel()
	opts := options()
	opts.Addresses = web.NewAddressRules(web.Config{}) // email only, no SMS provider
	in := "email,phone,timezone,cadence,time\n,07400 123456,Europe/London,daily,08:00\n"
	plan, err := importer.Parse(strings.NewReader(in), opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Problems) != 1 || plan.Problems[0].Column != "phone" || !strings.Contains(plan.Problems[0].Reason, "text message") {
		t.Fatalf("problems %+v", plan.Problems)
	}
}

func TestParseReportsEveryGeneratedBadRow(t *testing.T) {
	t.Parallel()
	data, want := importertest.Generate(10_000, 50, false)
	plan, err := importer.Parse(strings.NewReader(string(data)), options())
	if err != nil {
		t.Fatal(err)
	}
	if plan.Read != 10_000 || len(plan.Rows) != 9_950 || plan.Bad() != 50 || len(plan.Problems) != 50 {
		t.Fatalf("read %d, %d good, %d bad, %d problems", plan.Read, len(plan.Rows), plan.Bad(), len(plan.Problems))
	}
	for i, w := range want {
		if p := plan.Problems[i]; p.Line != w.Line || p.Column != w.Column || p.Reason == "" {
			t.Errorf("problem %d: %+v, want line %d column %q (%s)", i, p, w.Line, w.Column, w.Reason)
		}
	}
}
