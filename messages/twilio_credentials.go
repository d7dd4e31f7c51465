package messages

import (
	"errors"
	"fmt"
)

// ValidateTwilioCredentials checks the shape of TWILIO_ACCOUNT_SID and
// TWILIO_AUTH_TOKEN before anything is sent. twilio-go refuses, without
// contacting Twilio, any account SID or auth token that is not made of
// letters and digits only; a stray quote, space or line break copied with
// the token is the usual cause.
func ValidateTwilioCredentials(accountSID, authToken string) error {
	if accountSID == "" || authToken == "" {
		return errors.New("messages: twilio: TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are required")
	}
	if i := firstNotAlnum(accountSID); i >= 0 {
		return fmt.Errorf("messages: twilio: TWILIO_ACCOUNT_SID has a character other than a letter or digit at position %d "+
			"(a stray quote, space or line break?); it should look like AC followed by 32 letters and digits", i+1)
	}
	if i := firstNotAlnum(authToken); i >= 0 {
		return fmt.Errorf("messages: twilio: TWILIO_AUTH_TOKEN has a character other than a letter or digit at position %d "+
			"(a stray quote, space or line break?); copy it again from the Twilio console", i+1)
	}
	return nil
}

// firstNotAlnum is the index of the first byte of s that is not an ASCII
// letter or digit, or -1.
func firstNotAlnum(s string) int {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return i
		}
	}
	return -1
}
