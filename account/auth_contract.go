package account

import (
	"net/http"

	"github.com/steadyapp/steady"
)

// Auth finds the subscriber whose settings session a request carries, and
// the session value, which forms post back in their hidden "t". With ok
// false it has answered the request itself (an expired or missing session).
//
// DUPLICATE: the settings work defines Auth in account/account.go; this
// file only lets the data pages compile on their own branch. The lead
// deletes this file at merge.
type Auth func(w http.ResponseWriter, r *http.Request) (sub steady.Subscriber, sessionValue string, ok bool)
