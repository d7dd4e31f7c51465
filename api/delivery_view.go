package api

import (
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
)

// deliveryView is one outgoing message as the API shows it: what it was
// for and where it stands, never its text.
type deliveryView struct {
	ID           int64  `json:"id"`
	SubscriberID int64  `json:"subscriber_id"`
	Kind         string `json:"kind"`
	// Purpose tells apart what rides on one kind: "prompt",
	// "confirmation", "settings_notice", "move_confirmation", "goodbye".
	Purpose string `json:"purpose"`
	Channel string `json:"channel"`
	// Slot is the time the delivery is for: a prompt's scheduled time, or
	// when another message was asked for.
	Slot          time.Time  `json:"slot"`
	PromptID      string     `json:"prompt_id,omitempty"`
	Theme         string     `json:"theme,omitempty"`
	Status        string     `json:"status"`
	Attempts      int        `json:"attempts"`
	NextAttemptAt *time.Time `json:"next_attempt_at"`
	// LastError is the last failure's reason as the sender reported it.
	LastError      string     `json:"last_error,omitempty"`
	ProviderStatus string     `json:"provider_status,omitempty"`
	ProviderError  string     `json:"provider_error,omitempty"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
	SentAt         *time.Time `json:"sent_at"`
	// ResendAllowed: POST .../resend may send it again (failed, or an
	// email whose outcome is unknown).
	ResendAllowed bool `json:"resend_allowed"`
}

func purpose(d steady.Delivery) string {
	switch {
	case d.IsNotice():
		return "settings_notice"
	case d.IsMove():
		return "move_confirmation"
	case d.Kind == steady.KindConfirm:
		return "confirmation"
	}
	return string(d.Kind)
}

func viewDelivery(d steady.Delivery) deliveryView {
	v := deliveryView{
		ID:             d.ID,
		SubscriberID:   d.SubscriberID,
		Kind:           string(d.Kind),
		Purpose:        purpose(d),
		Channel:        string(d.Channel),
		Slot:           d.Slot.UTC(),
		Status:         string(d.Status),
		Attempts:       d.Attempts,
		NextAttemptAt:  stamp(d.NextAttemptAt),
		LastError:      d.LastError,
		ProviderStatus: d.ProviderStatus,
		ProviderError:  d.ProviderError,
		CreatedAt:      d.CreatedAt.UTC(),
		UpdatedAt:      d.UpdatedAt.UTC(),
		SentAt:         stamp(d.SentAt),
		ResendAllowed:  store.ResendAllowed(d),
	}
	if d.Kind == steady.KindPrompt {
		v.PromptID, v.Theme = d.PromptID, d.Theme
	}
	return v
}
