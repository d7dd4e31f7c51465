package mailreply_test

import (
	"bytes"
	"encoding/base64"
	"flag"
	"fmt"
	"hash/fnv"
	"html"
	"mime/quotedprintable"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/steadyapp/steady/mailreply"
)

var update = flag.Bool("update", false, "rewrite the generated corpus: testdata/prompts/*.eml and the replies of corpusCases")

// corpusCase is one reply in the generated part of the corpus: what a
// subscriber's mail program sends when they answer one of Steady's real
// prompts. The prompt is rendered with the real templates and catalog
// and captured from the real SMTP sender (testdata/prompts/NAME.eml); the
// reply quotes it as that mail program does (testdata/replies/NAME.eml),
// and NAME.txt holds the text Steady must store.
type corpusCase struct {
	name   string // file name
	lang   string // language of the mail program
	class  string // the failure class of issue 10 (part 3) it covers
	prompt string // catalogue prompt id
	who    string // the subscriber, "Name <address>"
	tz     string // the subscriber's time zone; the prompt is sent at 09:00 there on 3 March 2026
	client string // gmail, apple, iphone, outlook, owa, outlook-mobile, thunderbird, yahoo, plain, html
	mailer string // X-Mailer (or User-Agent) when the client's default will not do
	// charset is the text part's charset (UTF-8 when empty).
	charset string
	subject string // the reply's Subject; "Re: {subject}" when empty
	// text is the text/plain part and html the text/html part, with
	// placeholders for the prompt (see expand). A client that sends both
	// gets an HTML part made from text when html is empty.
	text, html string
	want       string
}

// expand fills a case's placeholders from the prompt it answers:
//
//	{subject} {to} {replyto}  the prompt's subject, the subscriber, the Reply-To
//	{plain}     the prompt's text body, unquoted
//	{quoted}    the text body quoted with "> "
//	{quotedbom} the same, starting with the byte-order mark iOS Mail leaves
//	{quoted76}  the text body re-wrapped to 76 columns and quoted (Gmail)
//	{fquoted}   the text body quoted as format=flowed (Thunderbird)
//	{outlook}   the HTML body as Outlook renders it in its text part, unquoted
//	{yahoo}     the text body indented by a space (Yahoo)
//	{question}  the prompt's question alone
//	{prompthtml} the HTML body's content, for an HTML reply to quote
func expand(s string, p sentPrompt) string {
	question, _, _ := strings.Cut(p.Text, "\n\n")
	return strings.NewReplacer(
		"{subject}", p.Subject, "{to}", p.To, "{replyto}", p.ReplyTo,
		"{plain}", p.Text, "{quoted}", quoteLines(p.Text), "{quotedbom}", quoteLines("\ufeff"+p.Text), "{quoted76}", quoteLines(wrap(p.Text, 74)),
		"{fquoted}", flowedQuote(p.Text), "{outlook}", outlookText(p.HTML), "{yahoo}", indent(p.Text, " "),
		"{question}", question, "{prompthtml}", htmlBody(p.HTML),
	).Replace(s)
}

// wrap re-wraps each line of text to width columns, as Gmail does.
func wrap(text string, width int) string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		cur := ""
		for _, w := range strings.Fields(line) {
			if cur != "" && len(cur)+1+len(w) > width {
				out = append(out, cur)
				cur = w
				continue
			}
			cur = strings.TrimSpace(cur + " " + w)
		}
		out = append(out, cur)
	}
	return strings.Join(out, "\n")
}

// flowedQuote quotes text as Thunderbird does in a format=flowed part:
// long lines broken at 76 columns with a trailing space (a soft break).
func flowedQuote(text string) string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		pieces := strings.Split(wrap(line, 74), "\n")
		for k, pc := range pieces {
			l := ">"
			if pc != "" {
				l = "> " + pc
			}
			if k < len(pieces)-1 {
				l += " " // a soft break: the next line continues this one
			}
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func indent(text, prefix string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = prefix + l
	}
	return strings.Join(lines, "\n")
}

var (
	bodyContent = regexp.MustCompile(`(?s)<body[^>]*>(.*)</body>`)
	anchorTag   = regexp.MustCompile(`(?s)<a [^>]*href="([^"]*)"[^>]*>(.*?)</a>`)
	hrTag       = regexp.MustCompile(`<hr[^>]*>`)
	brTag       = regexp.MustCompile(`<br\s*/?>`)
	paraEnd     = regexp.MustCompile(`</p>|</div>`)
	anyTag      = regexp.MustCompile(`<[^>]+>`)
)

// htmlBody returns the content of an HTML document's body.
func htmlBody(doc string) string {
	if m := bodyContent.FindStringSubmatch(doc); m != nil {
		return strings.TrimSpace(m[1])
	}
	return doc
}

// outlookText renders the prompt's HTML as Outlook writes a quoted HTML
// message into the text part of its reply: paragraphs apart, a link's
// address after its words in angle brackets, a rule as underscores.
func outlookText(doc string) string {
	s := htmlBody(doc)
	s = strings.ReplaceAll(s, "\n", " ")
	s = anchorTag.ReplaceAllString(s, "$2<$1>")
	s = hrTag.ReplaceAllString(s, "\n________________________________\n")
	s = brTag.ReplaceAllString(s, "\n")
	s = paraEnd.ReplaceAllString(s, "\n\n")
	s = anyTag.ReplaceAllStringFunc(s, func(t string) string {
		if strings.HasPrefix(t, "<http") {
			return t // a link's address, kept as Outlook shows it
		}
		return ""
	})
	var out []string
	for _, l := range strings.Split(html.UnescapeString(s), "\n") {
		l = strings.Join(strings.Fields(l), " ")
		if l == "" && (len(out) == 0 || out[len(out)-1] == "") {
			continue
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

// autoHTML is the HTML part a client sends beside its text part: the
// sender's lines as divs and the quoted lines in a cited blockquote.
func autoHTML(text string) string {
	var b strings.Builder
	b.WriteString(`<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body><div dir="ltr">`)
	inQuote := false
	for _, l := range strings.Split(text, "\n") {
		q := strings.HasPrefix(l, ">")
		if q != inQuote {
			if q {
				b.WriteString(`<blockquote type="cite">`)
			} else {
				b.WriteString(`</blockquote>`)
			}
			inQuote = q
		}
		l = strings.TrimSpace(strings.TrimLeft(l, "> "))
		if l == "" {
			b.WriteString("<div><br></div>")
		} else {
			b.WriteString("<div>" + html.EscapeString(l) + "</div>")
		}
	}
	if inQuote {
		b.WriteString(`</blockquote>`)
	}
	b.WriteString("</div></body></html>")
	return b.String()
}

func hashHex(s string, n int) string {
	h := fnv.New128a()
	h.Write([]byte(s))
	return fmt.Sprintf("%x", h.Sum(nil))[:n]
}

// sentAt is when a case's prompt goes out: 09:00 on Tuesday 3 March 2026
// in the subscriber's time zone.
func sentAt(t testing.TB, tz string) time.Time {
	loc, err := time.LoadLocation(tz)
	if err != nil {
		t.Fatal(err)
	}
	return time.Date(2026, 3, 3, 9, 0, 0, 0, loc).UTC()
}

// buildReply writes the raw reply of case c to prompt p as c's mail
// program would send it.
func buildReply(t testing.TB, c corpusCase, p sentPrompt) []byte {
	text := expand(c.text, p)
	htmlPart := expand(c.html, p)
	subject := expand(c.subject, p)
	if subject == "" {
		subject = "Re: " + p.Subject
	}
	h := hashHex(c.name, 32)
	date := p.Date.Add(time.Duration(7+len(c.name)*3) * time.Minute)
	var hdr []string
	add := func(k, v string) { hdr = append(hdr, k+": "+v) }
	var msgID, mailer, boundary string
	switch c.client {
	case "gmail":
		msgID, boundary = "CA+"+h[:24]+"@mail.gmail.com", "0000000000"+h[:18]
	case "apple", "iphone":
		msgID, boundary = strings.ToUpper(h[:8]+"-"+h[8:12]+"-"+h[12:16]+"-"+h[16:20]+"-"+h[20:32])+"@icloud.com", "Apple-Mail-"+strings.ToUpper(h[:8]+"-"+h[8:12]+"-"+h[12:16])
	case "outlook":
		msgID, boundary, mailer = "000001dcab"+h[:6]+"$"+h[6:14]+"$"+h[14:22]+"@"+domainOf(c.who), "----=_NextPart_000_0001_01DCAB"+strings.ToUpper(h[:10]), "Microsoft Outlook 16.0"
	case "owa", "outlook-mobile":
		id := strings.ToUpper("AM9P191MB" + h[:20])
		msgID, boundary = id+"@AM9P191MB1234.EURP191.PROD.OUTLOOK.COM", "_000_"+id+"AM9P191MB1234EURP_"
	case "yahoo":
		msgID, boundary, mailer = fmt.Sprint(len(c.name)*7919)+"."+h[:6]+".1772528400123@mail.yahoo.com", "----=_Part_"+h[:7]+"_"+h[7:14]+".1772528400123", "WebService/1.1.25198 YMailNorrin"
	default:
		msgID, boundary = h[:8]+"-"+h[8:12]+"-"+h[12:16]+"-"+h[16:20]+"-"+h[20:32]+"@"+domainOf(c.who), "=_"+h[:24]
	}
	if c.mailer != "" {
		mailer = c.mailer
	}
	add("Return-Path", "<"+addressOf(c.who)+">")
	add("Delivered-To", p.ReplyTo)
	add("From", c.who)
	add("To", "Steady <"+p.ReplyTo+">")
	add("Subject", mimeWord(subject))
	add("Date", date.Format("Mon, 2 Jan 2006 15:04:05 -0700"))
	add("Message-ID", "<"+msgID+">")
	add("In-Reply-To", "<"+p.MessageID+">")
	add("References", "<"+p.MessageID+">")
	add("MIME-Version", "1.0")
	if mailer != "" {
		if c.client == "thunderbird" {
			add("User-Agent", mailer)
		} else {
			add("X-Mailer", mailer)
		}
	}

	charset := c.charset
	if charset == "" {
		charset = "UTF-8"
	}
	cte := "quoted-printable"
	switch c.client {
	case "thunderbird", "plain":
		cte = "8bit"
	case "outlook-mobile":
		cte = "base64"
	}
	textType := "text/plain; charset=\"" + charset + "\""
	if c.client == "thunderbird" {
		textType = "text/plain; charset=" + charset + "; format=flowed"
	}
	textPart := "Content-Type: " + textType + "\nContent-Transfer-Encoding: " + cte + "\n\n" + encode(t, text, charset, cte)
	var body string
	switch {
	case c.client == "html":
		hdr = append(hdr, "Content-Type: text/html; charset=\"UTF-8\"", "Content-Transfer-Encoding: quoted-printable")
		body = encode(t, htmlPart, "UTF-8", "quoted-printable")
	case c.client == "thunderbird" || c.client == "plain" || c.client == "iphone" && htmlPart == "":
		parts := strings.SplitN(textPart, "\n\n", 2)
		hdr = append(hdr, strings.Split(parts[0], "\n")...)
		body = parts[1]
	default:
		if htmlPart == "" {
			htmlPart = autoHTML(text)
		}
		hdr = append(hdr, "Content-Type: multipart/alternative; boundary=\""+boundary+"\"")
		body = "--" + boundary + "\n" + textPart + "\n--" + boundary + "\nContent-Type: text/html; charset=\"UTF-8\"\nContent-Transfer-Encoding: quoted-printable\n\n" +
			encode(t, htmlPart, "UTF-8", "quoted-printable") + "\n--" + boundary + "--\n"
		if c.client == "outlook" {
			body = "This is a multipart message in MIME format.\n\n" + body
		}
	}
	raw := strings.Join(hdr, "\n") + "\n\n" + body
	return []byte(strings.ReplaceAll(strings.ReplaceAll(raw, "\r\n", "\n"), "\n", "\r\n"))
}

// encode writes s in charset with a transfer encoding.
func encode(t testing.TB, s, charset, cte string) string {
	b := []byte(s)
	switch strings.ToLower(charset) {
	case "utf-8":
	case "iso-8859-1":
		b = mustEncode(t, charmap.ISO8859_1, s)
	case "iso-8859-2":
		b = mustEncode(t, charmap.ISO8859_2, s)
	case "windows-1252":
		b = mustEncode(t, charmap.Windows1252, s)
	case "windows-1250":
		b = mustEncode(t, charmap.Windows1250, s)
	case "windows-1251":
		b = mustEncode(t, charmap.Windows1251, s)
	case "koi8-r":
		b = mustEncode(t, charmap.KOI8R, s)
	default:
		t.Fatalf("charset %s", charset)
	}
	switch cte {
	case "quoted-printable":
		var out bytes.Buffer
		w := quotedprintable.NewWriter(&out)
		w.Write(bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n")))
		w.Close()
		return out.String()
	case "base64":
		enc := base64.StdEncoding.EncodeToString(b)
		var out strings.Builder
		for len(enc) > 76 {
			out.WriteString(enc[:76] + "\n")
			enc = enc[76:]
		}
		return out.String() + enc
	}
	return string(b)
}

// mustEncode encodes s in cm as a mail client saving in a legacy charset
// does: a character the charset lacks (the invisible filler of an email's
// preview line, say) becomes '?'.
func mustEncode(t testing.TB, cm *charmap.Charmap, s string) []byte {
	t.Helper()
	var b []byte
	for _, r := range s {
		if c, ok := cm.EncodeRune(r); ok {
			b = append(b, c)
		} else {
			b = append(b, '?')
		}
	}
	return b
}

// mimeWord encodes a header value that is not ASCII as an RFC 2047 word.
func mimeWord(s string) string {
	for _, r := range s {
		if r > 126 {
			return "=?UTF-8?B?" + base64.StdEncoding.EncodeToString([]byte(s)) + "?="
		}
	}
	return s
}

func addressOf(who string) string {
	if i := strings.LastIndex(who, "<"); i >= 0 {
		return strings.Trim(who[i:], "<> ")
	}
	return who
}

func domainOf(who string) string {
	_, d, _ := strings.Cut(addressOf(who), "@")
	return d
}

// TestGenerateCorpus rewrites the generated corpus with -update:
//
//	go test ./mailreply -run TestGenerateCorpus -update
func TestGenerateCorpus(t *testing.T) {
	if !*update {
		t.Skip("run with -update to rewrite the generated corpus")
	}
	for i, c := range corpusCases() {
		p := promptFor(t, c.prompt, addressOf(c.who), c.tz, sentAt(t, c.tz), int64(5000+i))
		write(t, filepath.Join("testdata", "prompts", c.name+".eml"), p.Raw)
		write(t, filepath.Join("testdata", "replies", c.name+".eml"), buildReply(t, c, p))
		write(t, filepath.Join("testdata", "replies", c.name+".txt"), []byte(c.want+"\n"))
	}
}

func write(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCorpusPromptsAreCurrent checks that every prompt in testdata/prompts
// is what Steady sends today: the templates and catalog render the same
// text, subject and From address. If a template changed, regenerate the
// corpus with -update (see TestGenerateCorpus).
func TestCorpusPromptsAreCurrent(t *testing.T) {
	t.Parallel()
	cases := corpusCases()
	for i, c := range cases {
		raw, err := os.ReadFile(filepath.Join("testdata", "prompts", c.name+".eml"))
		if err != nil {
			t.Fatalf("%s: %v (regenerate with go test ./mailreply -run TestGenerateCorpus -update)", c.name, err)
		}
		got, err := mailreply.KnownFromMessage(raw)
		if err != nil {
			t.Fatalf("%s: KnownFromMessage: %v", c.name, err)
		}
		want := knownOf(composePrompt(t, c.prompt, addressOf(c.who), c.tz, sentAt(t, c.tz), int64(5000+i)))
		want.Text = strings.TrimSpace(want.Text)
		if got != want {
			t.Errorf("%s: the stored prompt is not what the templates render now; regenerate with go test ./mailreply -run TestGenerateCorpus -update\n got %+v\nwant %+v", c.name, got, want)
		}
	}
	prompts, _ := filepath.Glob(filepath.Join("testdata", "prompts", "*.eml"))
	if len(prompts) != len(cases) {
		t.Errorf("%d prompts in testdata/prompts, %d cases", len(prompts), len(cases))
	}
}
