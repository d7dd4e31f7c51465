// Package zones turns what a person types for their time zone ("london",
// "New York", "Eastern", "europe/london") into an IANA name, and lists the
// zones with friendly names for a sign-up form. It reads no files: the
// names are embedded, and time.LoadLocation is only asked about names the
// caller typed exactly.
package zones

import (
	_ "embed"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
)

//go:embed names.txt
var namesTxt string

// names is the embedded list of canonical zones, in file order.
var names = parseNames(namesTxt)

func parseNames(txt string) []string {
	var out []string
	for _, l := range strings.Split(txt, "\n") {
		l = strings.TrimSpace(l)
		if l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

// extra are the aliases a zone's own name does not give: countries, the
// usual names of North American zones, big cities that share a zone with
// another.
var extra = map[string]string{
	"eastern": "America/New_York", "eastern time": "America/New_York", "us eastern": "America/New_York",
	"central": "America/Chicago", "central time": "America/Chicago", "us central": "America/Chicago",
	"mountain": "America/Denver", "mountain time": "America/Denver", "us mountain": "America/Denver",
	"arizona": "America/Phoenix",
	"pacific": "America/Los_Angeles", "pacific time": "America/Los_Angeles", "us pacific": "America/Los_Angeles",
	"alaska": "America/Anchorage", "hawaii": "Pacific/Honolulu",
	"atlantic": "America/Halifax", "atlantic time": "America/Halifax",
	"newfoundland": "America/St_Johns",
	"uk":           "Europe/London", "britain": "Europe/London", "great britain": "Europe/London", "united kingdom": "Europe/London",
	"england": "Europe/London", "scotland": "Europe/London", "wales": "Europe/London", "edinburgh": "Europe/London",
	"manchester": "Europe/London", "northern ireland": "Europe/London",
	"ireland": "Europe/Dublin", "france": "Europe/Paris", "germany": "Europe/Berlin", "spain": "Europe/Madrid",
	"italy": "Europe/Rome", "netherlands": "Europe/Amsterdam", "portugal": "Europe/Lisbon", "poland": "Europe/Warsaw",
	"sweden": "Europe/Stockholm", "norway": "Europe/Oslo", "denmark": "Europe/Copenhagen", "finland": "Europe/Helsinki",
	"greece": "Europe/Athens", "ukraine": "Europe/Kyiv", "kiev": "Europe/Kyiv", "turkey": "Europe/Istanbul",
	"india": "Asia/Kolkata", "mumbai": "Asia/Kolkata", "bombay": "Asia/Kolkata", "delhi": "Asia/Kolkata",
	"new delhi": "Asia/Kolkata", "calcutta": "Asia/Kolkata", "bangalore": "Asia/Kolkata", "chennai": "Asia/Kolkata",
	"japan": "Asia/Tokyo", "china": "Asia/Shanghai", "beijing": "Asia/Shanghai", "korea": "Asia/Seoul",
	"south korea": "Asia/Seoul", "philippines": "Asia/Manila", "indonesia": "Asia/Jakarta", "pakistan": "Asia/Karachi",
	"vietnam": "Asia/Ho_Chi_Minh", "saigon": "Asia/Ho_Chi_Minh", "israel": "Asia/Jerusalem", "tel aviv": "Asia/Jerusalem",
	"nigeria": "Africa/Lagos", "kenya": "Africa/Nairobi", "south africa": "Africa/Johannesburg", "egypt": "Africa/Cairo",
	"cape town": "Africa/Johannesburg", "brazil": "America/Sao_Paulo", "rio de janeiro": "America/Sao_Paulo",
	"rio": "America/Sao_Paulo", "argentina": "America/Argentina/Buenos_Aires", "buenos aires": "America/Argentina/Buenos_Aires",
	"washington": "America/New_York", "washington dc": "America/New_York", "boston": "America/New_York",
	"miami": "America/New_York", "atlanta": "America/New_York", "philadelphia": "America/New_York",
	"dallas": "America/Chicago", "houston": "America/Chicago", "san francisco": "America/Los_Angeles",
	"seattle": "America/Los_Angeles", "san diego": "America/Los_Angeles", "las vegas": "America/Los_Angeles",
	"montreal": "America/Toronto", "ottawa": "America/Toronto", "quebec": "America/Toronto",
	"melbourne": "Australia/Melbourne", "canberra": "Australia/Sydney", "new zealand": "Pacific/Auckland",
	"wellington": "Pacific/Auckland", "mexico": "America/Mexico_City", "mexico city": "America/Mexico_City",
	"canada": "America/Toronto",
}

// abbreviations are refused (they never follow summer time) but answered
// with the place they usually mean.
var abbreviations = map[string][]string{
	"est": {"America/New_York"}, "edt": {"America/New_York"}, "cst": {"America/Chicago"}, "cdt": {"America/Chicago"},
	"mst": {"America/Denver", "America/Phoenix"}, "mdt": {"America/Denver"}, "pst": {"America/Los_Angeles"},
	"pdt": {"America/Los_Angeles"}, "gmt": {"Europe/London", "UTC"}, "bst": {"Europe/London"},
	"cet": {"Europe/Paris", "Europe/Berlin"}, "cest": {"Europe/Paris", "Europe/Berlin"}, "ist": {"Asia/Kolkata", "Europe/Dublin"},
	"est5edt": {"America/New_York"}, "cst6cdt": {"America/Chicago"}, "mst7mdt": {"America/Denver"}, "pst8pdt": {"America/Los_Angeles"},
	"wet": {"Europe/Lisbon"}, "eet": {"Europe/Athens"}, "met": {"Europe/Paris"}, "hst": {"Pacific/Honolulu"},
	"jst": {"Asia/Tokyo"}, "aest": {"Australia/Sydney"}, "aedt": {"Australia/Sydney"}, "z": {"UTC"}, "zulu": {"UTC"},
}

// fixedOffset is "utc+1", "gmt-05:00", "+0100", "etc/gmt+5", lower-cased
// with spaces taken out.
var fixedOffset = regexp.MustCompile(`^(etc/)?(utc|gmt)?[+-]\d{1,2}(:?\d{2})?$`)

// index maps a folded key (a zone's whole name, or its city) to the zone.
var index = buildIndex()

func buildIndex() map[string]string {
	idx := map[string]string{"utc": "UTC", "etc/utc": "UTC", "universal": "UTC", "coordinated universal time": "UTC"}
	for _, n := range names {
		idx[fold(n)] = n
		city := n[strings.LastIndex(n, "/")+1:]
		if _, taken := idx[fold(city)]; !taken {
			idx[fold(city)] = n
		}
	}
	for k, v := range extra {
		idx[fold(k)] = v
	}
	return idx
}

// fold makes a key of what was typed: lower case, accents taken off,
// "_", "-", "." and runs of spaces made one space, spaces around "/" dropped.
func fold(s string) string {
	s = strings.Map(func(r rune) rune {
		if a, ok := accents[r]; ok {
			return a
		}
		if r == '_' || r == '-' || r == '.' || r == ',' {
			return ' '
		}
		return r
	}, strings.ToLower(s))
	s = strings.Join(strings.Fields(s), " ")
	return strings.ReplaceAll(strings.ReplaceAll(s, " /", "/"), "/ ", "/")
}

var accents = map[rune]rune{
	'á': 'a', 'à': 'a', 'â': 'a', 'ä': 'a', 'ã': 'a', 'å': 'a', 'ç': 'c', 'é': 'e', 'è': 'e', 'ê': 'e', 'ë': 'e',
	'í': 'i', 'ì': 'i', 'î': 'i', 'ï': 'i', 'ñ': 'n', 'ó': 'o', 'ò': 'o', 'ô': 'o', 'ö': 'o', 'õ': 'o', 'ø': 'o',
	'ú': 'u', 'ù': 'u', 'û': 'u', 'ü': 'u', 'ý': 'y', 'ÿ': 'y', 'ß': 's',
}

// Error is what Resolve says about input it could not place.
type Error struct {
	Input string
	// Abbreviation: the input is a zone abbreviation such as EST, which
	// never follows summer time.
	Abbreviation bool
	// Suggestions are the zones the input most likely meant, best first.
	Suggestions []string
}

func (e *Error) Error() string {
	var msg string
	switch {
	case strings.TrimSpace(e.Input) == "":
		return "a time zone such as Europe/London is required"
	case e.Abbreviation:
		msg = fmt.Sprintf("%q is an abbreviation or a fixed offset, which does not follow summer time: give a place", e.Input)
	default:
		msg = fmt.Sprintf("%q is not a time zone we know: give a city such as London or a name such as Europe/London", e.Input)
	}
	if len(e.Suggestions) > 0 {
		msg += ". Did you mean " + orList(e.Suggestions) + "?"
	}
	return msg
}

func orList(s []string) string {
	if len(s) == 1 {
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}

// Resolve returns the IANA name for what was typed: an IANA name in any
// case, a city ("london", "São Paulo"), or a common alias ("Eastern",
// "UK", "India"). Anything else is an *Error, with suggestions for near
// misses. An exact IANA name outside the embedded list (a link such as
// America/Indianapolis) is accepted as typed when time.LoadLocation knows it.
func Resolve(input string) (string, error) {
	key := fold(input)
	if key == "" {
		return "", &Error{Input: input}
	}
	if name, ok := index[key]; ok {
		return name, nil
	}
	if sugg, ok := abbreviations[key]; ok {
		return "", &Error{Input: input, Abbreviation: true, Suggestions: sugg}
	}
	if fixedOffset.MatchString(strings.ToLower(strings.Join(strings.Fields(input), ""))) {
		return "", &Error{Input: input, Abbreviation: true}
	}
	typed := strings.TrimSpace(input)
	if strings.Contains(typed, "/") {
		if _, err := time.LoadLocation(typed); err == nil {
			return typed, nil
		}
	}
	return "", &Error{Input: input, Suggestions: suggest(key)}
}

// suggest finds up to three zones whose name or city is within a few
// edits of key.
func suggest(key string) []string {
	type cand struct {
		name string
		d    int
	}
	limit := max(1, min(3, len([]rune(key))/4))
	best := map[string]int{}
	for k, name := range index {
		d := distance(key, k)
		if i := strings.LastIndex(k, "/"); d > limit && i >= 0 {
			d = distance(key, k[i+1:]) // "londn" against "london", not "europe/london"
		}
		if d <= limit {
			if old, ok := best[name]; !ok || d < old {
				best[name] = d
			}
		}
	}
	var cs []cand
	for n, d := range best {
		cs = append(cs, cand{n, d})
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].d != cs[j].d {
			return cs[i].d < cs[j].d
		}
		return cs[i].name < cs[j].name
	})
	var out []string
	for i := 0; i < len(cs) && i < 3; i++ {
		out = append(out, cs[i].name)
	}
	return out
}

// distance is the Levenshtein distance between a and b, in runes.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
