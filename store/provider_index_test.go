package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// The status callback's lookup by provider id uses the partial index that
// leaves out the empty id of unsent prompts (migration 0016) on both databases,
// on a fresh database and, on PostgreSQL, with a custom or a generic plan:
// were the index to stop serving it, each callback would scan deliveries.
func TestProviderLookupUsesThePartialIndex(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		for _, generic := range []bool{false, true} {
			plan, err := db.ExplainProviderLookupForTest(context.Background(), generic)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(plan, "deliveries_provider_id") || strings.Contains(plan, "SCAN deliveries") || strings.Contains(plan, "Seq Scan") {
				t.Errorf("generic %v: the lookup does not use deliveries_provider_id:\n%s", generic, plan)
			}
		}
	})
}
