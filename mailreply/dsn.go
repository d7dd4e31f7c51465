package mailreply

import (
	"regexp"
	"strings"
)

// permanentFailure says whether the body of a message/delivery-status part
// (RFC 3464) reports a permanent failure: a per-recipient block (one with
// Final-Recipient) whose Action is "failed" and whose Status is 5.x.x. A
// 4.x.x status, even with Action "failed", is a temporary problem and does
// not count; neither do "delayed", "delivered", "relayed" or "expanded".
func permanentFailure(body string) bool {
	for _, f := range dsnBlocks(body) {
		if f["final-recipient"] != "" && strings.EqualFold(f["action"], "failed") && permanentStatus.MatchString(f["status"]) {
			return true
		}
	}
	return false
}

// permanentStatus is an RFC 3463 status code of class 5, optionally
// followed by a comment: "5.1.1", "5.7.1 (delivery not authorized)".
var permanentStatus = regexp.MustCompile(`^5\.\d{1,3}\.\d{1,3}(?:[\s(]|$)`)

// dsnBlocks splits a delivery-status body into its blocks of fields (the
// per-message block, then one per recipient), separated by blank lines.
// Field names are lower-cased; folded lines are unfolded; the first of a
// repeated field wins; lines that are not fields are ignored.
func dsnBlocks(body string) []map[string]string {
	var blocks []map[string]string
	var cur map[string]string
	var last string
	for line := range strings.SplitSeq(body, "\n") {
		line = strings.TrimRight(line, "\r")
		switch {
		case strings.TrimSpace(line) == "":
			cur, last = nil, ""
		case line[0] == ' ' || line[0] == '\t':
			if cur != nil && last != "" {
				cur[last] += " " + strings.TrimSpace(line)
			}
		default:
			name, value, ok := strings.Cut(line, ":")
			if !ok {
				last = ""
				continue
			}
			name = strings.ToLower(strings.TrimSpace(name))
			if cur == nil {
				cur = map[string]string{}
				blocks = append(blocks, cur)
			}
			if _, seen := cur[name]; seen {
				last = ""
				continue
			}
			cur[name], last = strings.TrimSpace(value), name
		}
	}
	return blocks
}
