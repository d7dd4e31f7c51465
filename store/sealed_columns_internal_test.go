package store

import (
	"fmt"
	"math"
	"testing"

	"github.com/steadyapp/steady"
)

// rowOf writes every value as fmt.Sprint does: what was sealed under one
// AAD opens under the same one.
func TestRowOfIsSprint(t *testing.T) {
	t.Parallel()
	vals := []any{"", "src-1|x", int64(0), int64(-42), int64(math.MaxInt64), int64(math.MinInt64), 7, steady.ChannelSMS, "2026-11", []byte("ab")}
	got := rowOf(vals...)
	for i, v := range vals {
		if want := fmt.Sprint(v); got[i] != want {
			t.Errorf("rowOf(%#v) = %q, want %q", v, got[i], want)
		}
	}
}
