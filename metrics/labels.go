package metrics

import (
	"slices"
	"strings"

	"github.com/steadyapp/steady"
)

// The fixed label sets. A value outside its set is counted as other.
var (
	sendChannels     = []string{string(steady.ChannelEmail), string(steady.ChannelSMS)}
	replyChannels    = []string{string(steady.ChannelSMS), string(steady.ChannelEmail), string(steady.ChannelWeb)}
	deliveryOutcomes = []string{"sent", "failed", "retry", "unknown", "cancelled"}
	summaryOutcomes  = []string{string(steady.SummarySent), string(steady.SummaryFailed), string(steady.SummaryUnknown)}
	safetyOutcomes   = []string{"sent", "failed", "retry"}
	// heldReasons are inbox.HeldUnmatched, HeldUnauthenticated and
	// HeldRejected (inbox is not imported: it reports here, not the
	// other way round).
	heldReasons = []string{"unmatched", "unauthenticated", "rejected"}
	// refusalScopes are abuse.Scope*, and login for the console's login
	// limit.
	refusalScopes = []string{"ip", "mailbox", "phone", "confirm-hour:email", "confirm-hour:sms", "sms-day", "login"}
	// errorClasses are messages.ErrorClass*.
	errorClasses = []string{"timeout", "connection", "rejected_permanent", "rejected_temporary", "auth", "other"}
	classList    = strings.Join(errorClasses, ", ")
)

// other is the label value of anything outside its fixed set.
const other = "other"

func oneOf(v string, set []string) string {
	if slices.Contains(set, v) {
		return v
	}
	return other
}

func channelOf(ch steady.Channel) string { return oneOf(string(ch), sendChannels) }

// outcomeOf names a recorded delivery status: queued again is a retry.
func outcomeOf(s steady.DeliveryStatus) string {
	if s == steady.DeliveryQueued {
		return "retry"
	}
	return oneOf(string(s), deliveryOutcomes)
}
