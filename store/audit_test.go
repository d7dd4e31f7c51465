package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

func TestAuditLog(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for i, e := range []store.AuditEntry{
			{Operator: "sam", Action: "login", At: t0},
			{Operator: "sam", Action: "pause", Target: "subscriber 4", At: t0.Add(time.Minute)},
			{Operator: strings.Repeat("é", 300), Action: "login failed", At: t0.Add(2 * time.Minute)},
		} {
			if err := db.RecordAudit(ctx, e); err != nil {
				t.Fatalf("entry %d: %v", i, err)
			}
		}
		if err := db.RecordAudit(ctx, store.AuditEntry{Operator: "sam", At: t0}); err == nil {
			t.Error("an entry without an action was recorded")
		}
		got, err := db.AuditLog(ctx, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 3 || got[0].Action != "login failed" || got[2].Action != "login" {
			t.Fatalf("newest first: %+v", got)
		}
		if n := len(got[0].Operator); n > 200 || !strings.HasPrefix(got[0].Operator, "éé") || strings.ContainsRune(got[0].Operator, '\uFFFD') {
			t.Errorf("a long name is cut to 200 bytes on a character boundary: %d bytes %q", n, got[0].Operator[:10])
		}
		if got[1].Target != "subscriber 4" || !got[1].At.Equal(t0.Add(time.Minute).Truncate(time.Microsecond)) {
			t.Errorf("entry %+v", got[1])
		}
		older, err := db.AuditLog(ctx, got[0].ID, 1)
		if err != nil || len(older) != 1 || older[0].ID != got[1].ID {
			t.Errorf("paging before %d: %+v %v", got[0].ID, older, err)
		}
	})
}
