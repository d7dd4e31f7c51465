package steady

import (
	"errors"
	"fmt"
)

// Sentinel errors shared by every layer. Only the web layer maps them to
// HTTP status codes.
var (
	// ErrNotFound: the thing asked for does not exist. Never (nil, nil).
	ErrNotFound = errors.New("not found")
	// ErrConflict: the write would break a uniqueness rule.
	ErrConflict = errors.New("conflict")
	// ErrDuplicate: the same event (a webhook, a reply, a slot) was already recorded.
	ErrDuplicate = errors.New("already recorded")
	// ErrOutcomeUnknown: a send may or may not have reached the provider.
	// Such a delivery is flagged, never silently sent again.
	ErrOutcomeUnknown = errors.New("send outcome unknown")
	// ErrRejected: the provider refused the message for good (an SMTP 5xx,
	// an invalid recipient); retrying will not help.
	ErrRejected = errors.New("rejected by the provider")
	// ErrOptedOut: the provider refuses to send because the recipient opted
	// out with it (Twilio 21610). It wraps ErrRejected.
	ErrOptedOut = fmt.Errorf("recipient opted out with the provider: %w", ErrRejected)
	// ErrAddressInvalid: the address cannot receive messages (Twilio 21211,
	// 21614). It wraps ErrRejected.
	ErrAddressInvalid = fmt.Errorf("address cannot receive messages: %w", ErrRejected)
	// ErrSchemaTooNew: the database was migrated by a newer Steady.
	ErrSchemaTooNew = errors.New("database schema is newer than this program")
)

// ValidationError says which input was wrong and why, in words fit to show
// the person who typed it.
type ValidationError struct {
	Field   string
	Message string
}

func (e *ValidationError) Error() string {
	if e.Field == "" {
		return e.Message
	}
	return fmt.Sprintf("%s: %s", e.Field, e.Message)
}

// Invalid returns a *ValidationError for field.
func Invalid(field, format string, args ...any) error {
	return &ValidationError{Field: field, Message: fmt.Sprintf(format, args...)}
}

// IsInvalid reports whether err is (or wraps) a *ValidationError.
func IsInvalid(err error) bool {
	var v *ValidationError
	return errors.As(err, &v)
}
