package main

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady/apikeys"
	"github.com/steadyapp/steady/messages/smtptest"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// apiCall sends one request to the JSON API v1 with key.
func apiCall(t *testing.T, method, u, key, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("%s %s: %d, not JSON: %v", method, u, resp.StatusCode, err)
	}
	return resp.StatusCode, out
}

// `steady serve` mounts the API: a key from api-keys creates a subscriber,
// whose confirmation the SMTP server refuses; the API lists it as failed,
// and once the server takes mail again, "resend" wakes the sender and the
// confirmation arrives. Without the key nothing answers.
func TestServeMountsTheAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		r := startServe(t, db, time.Date(2026, 11, 26, 14, 0, 0, 0, time.UTC))
		key, _, err := (&apikeys.Keys{Store: db, Clock: r.clock}).Create(context.Background(), "partner")
		if err != nil {
			t.Fatal(err)
		}
		if status, out := apiCall(t, http.MethodGet, r.baseURL+"/api/v1/subscribers", "", ""); status != http.StatusUnauthorized {
			t.Fatalf("without a key: %d %v", status, out)
		}
		r.mail.SetFault(smtptest.RejectData)
		status, out := apiCall(t, http.MethodPost, r.baseURL+"/api/v1/subscribers", key,
			`{"email":"via-api@example.org","timezone":"Europe/Paris","cadence":"daily","time":"08:00","consent_text":"Send me prompts."}`)
		if status != http.StatusCreated {
			t.Fatalf("create: %d %v", status, out)
		}
		var failedID float64
		eventually(t, "the refused confirmation is listed as failed", func() bool {
			_, page := apiCall(t, http.MethodGet, r.baseURL+"/api/v1/deliveries?status=failed", key, "")
			ds, _ := page["deliveries"].([]any)
			if len(ds) != 1 {
				return false
			}
			failedID = ds[0].(map[string]any)["id"].(float64)
			return true
		})
		r.mail.SetFault(smtptest.NoFault)
		status, out = apiCall(t, http.MethodPost, r.baseURL+"/api/v1/deliveries/"+strconv.FormatInt(int64(failedID), 10)+"/resend", key, "")
		if status != http.StatusOK || out["status"] != "queued" {
			t.Fatalf("resend: %d %v", status, out)
		}
		got := parseMail(t, r.mail.WaitMessages(t, 1, 10*time.Second)[0])
		if got.to != "via-api@example.org" {
			t.Fatalf("confirmation to %q", got.to)
		}
		// The API's changes are in the console's audit log, by the key.
		entries, err := db.AuditLog(context.Background(), 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range entries {
			if e.Operator == "api:partner" {
				actions = append(actions, e.Action+" "+e.Target)
			}
		}
		if want := []string{"send again delivery " + strconv.FormatInt(int64(failedID), 10), "create (pending, confirmation queued) subscriber 1"}; !slices.Equal(actions, want) {
			t.Errorf("audit log %v, want %v", actions, want)
		}
	})
}
