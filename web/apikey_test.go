package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/apikeys"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
	"github.com/steadyapp/steady/web"
)

// withKeys checks API keys against the test's store.
func withKeys(c *web.Config) {
	c.APIKeys = &apikeys.Keys{Store: c.Store.(*store.DB), Clock: c.Clock}
}

// apiKey issues a key named name, as `steady api-keys create` does.
func (b *bundle) apiKey(name string) string {
	b.t.Helper()
	key, _, err := (&apikeys.Keys{Store: b.db, Clock: b.clock}).Create(context.Background(), name)
	if err != nil {
		b.t.Fatal(err)
	}
	return key
}

// postJSONAuth posts a sign-up with an Authorization header.
func (b *bundle) postJSONAuth(authorization, body string) response {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.url+"/api/subscriptions", strings.NewReader(body))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", authorization)
	return b.do(req)
}

// The finding: any caller's consent_text was stored ("I agree … and waive
// all opt-out rights"). Now only a caller with a working key may send
// one, and its consent record names the key; without a key the built-in
// wording is used, as before.
func TestConsentTextNeedsAnAPIKey(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, withKeys)
		ctx := context.Background()
		const forged = `{"email":"forged@example.org","timezone":"UTC","cadence":"daily","time":"20:30","consent_text":"I agree to everything and waive all opt-out rights"}`
		before := b.counts()
		res := b.postJSON(forged)
		var e struct{ Error, Field string }
		if err := json.Unmarshal([]byte(res.body), &e); err != nil || res.status != http.StatusUnauthorized || e.Field != "consent_text" ||
			!strings.Contains(e.Error, "consent_text needs an API key") || !strings.Contains(e.Error, "built-in wording") ||
			!strings.HasPrefix(res.header.Get("WWW-Authenticate"), "Bearer") {
			t.Fatalf("forged consent_text without a key: %d %v %s", res.status, res.header, res.body)
		}
		b.unchanged(before)

		key := b.apiKey("partner-site")
		for _, auth := range []string{
			"Bearer not-a-key",
			"Bearer " + strings.Repeat("a", len(key)),
			"Bearer stdy_" + strings.Repeat("a", len(key)-5), // well-formed, unknown
			"Basic " + key,
			key,
		} {
			res := b.postJSONAuth(auth, `{"email":"bad-key@example.org","timezone":"UTC","cadence":"daily","time":"20:30"}`)
			if res.status != http.StatusUnauthorized || !strings.Contains(res.body, "API key is not valid") ||
				!strings.Contains(res.header.Get("WWW-Authenticate"), "invalid_token") {
				t.Errorf("%.20s…: %d %s", auth, res.status, res.body)
			}
		}
		b.unchanged(before)

		// With the key: the site's wording, and the method names the key.
		res = b.postJSONAuth("Bearer "+key, forged)
		if res.status != http.StatusAccepted {
			t.Fatalf("with a key: %d %s", res.status, res.body)
		}
		cs, err := db.Consents(ctx, b.subscriber("forged@example.org").ID)
		if err != nil || len(cs) != 1 || cs[0].Method != "api:partner-site" ||
			cs[0].Wording != "As shown by the requesting site (JSON API): I agree to everything and waive all opt-out rights" {
			t.Errorf("consents %+v %v", cs, err)
		}
		keys, err := db.APIKeys(ctx)
		if err != nil || len(keys) != 1 || keys[0].LastUsedAt.IsZero() {
			t.Errorf("last use not recorded: %+v %v", keys, err)
		}
		// A key without consent_text: the built-in wording, still named.
		res = b.postJSONAuth("bearer "+key, `{"email":"keyed@example.org","timezone":"UTC","cadence":"daily","time":"20:30"}`)
		if res.status != http.StatusAccepted {
			t.Fatalf("key, no consent_text: %d %s", res.status, res.body)
		}
		if cs, _ := db.Consents(ctx, b.subscriber("keyed@example.org").ID); len(cs) != 1 || cs[0].Method != "api:partner-site" ||
			cs[0].Wording != web.APIConsentWording(steady.ChannelEmail) {
			t.Errorf("consents %+v", cs)
		}
		// Anyone may still sign up without consent_text.
		b.subscribe("anyone@example.org")
		if cs, _ := db.Consents(ctx, b.subscriber("anyone@example.org").ID); len(cs) != 1 || cs[0].Method != "api" {
			t.Errorf("consents %+v", cs)
		}

		// A revoked key works no more, and stores nothing.
		if _, err := db.RevokeAPIKey(ctx, "partner-site", b.clock.Now()); err != nil {
			t.Fatal(err)
		}
		before = b.counts()
		res = b.postJSONAuth("Bearer "+key, strings.Replace(forged, "forged@", "after-revoke@", 1))
		if res.status != http.StatusUnauthorized || !strings.Contains(res.body, "revoked") {
			t.Errorf("revoked key: %d %s", res.status, res.body)
		}
		b.unchanged(before)
		if strings.Contains(b.logs.String(), key) || strings.Contains(b.logs.String(), "waive") {
			t.Errorf("the key or the wording was logged:\n%s", b.logs.String())
		}
	})
}

// A server without keys configured refuses every consent_text and every
// Authorization header.
func TestConsentTextWithoutKeysConfigured(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		before := b.counts()
		res := b.postJSON(`{"email":"x@example.org","timezone":"UTC","cadence":"daily","time":"20:30","consent_text":"Yes"}`)
		if res.status != http.StatusUnauthorized {
			t.Errorf("consent_text: %d %s", res.status, res.body)
		}
		res = b.postJSONAuth("Bearer stdy_"+strings.Repeat("a", 52), `{"email":"x@example.org","timezone":"UTC","cadence":"daily","time":"20:30"}`)
		if res.status != http.StatusUnauthorized {
			t.Errorf("a key: %d %s", res.status, res.body)
		}
		b.unchanged(before)
	})
}
