package steady_test

import (
	"sync"
	"testing"

	"github.com/steadyapp/steady"
)

func TestLocations(t *testing.T) {
	t.Parallel()
	var zones steady.Locations
	first, err := zones.Load("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	if first.String() != "Europe/London" {
		t.Fatalf("loaded %q", first)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			loc, err := zones.Load("Europe/London")
			if err != nil || loc != first {
				t.Errorf("second load: %p %v, want the cached %p", loc, err, first)
			}
		})
	}
	wg.Wait()
	for _, bad := range []string{"", "Local", "Mars/Olympus"} {
		if _, err := zones.Load(bad); err == nil {
			t.Errorf("Load(%q) succeeded", bad)
		}
	}
}

func BenchmarkLocations(b *testing.B) {
	b.Run("cached", func(b *testing.B) {
		var zones steady.Locations
		for b.Loop() {
			if _, err := zones.Load("America/New_York"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("uncached", func(b *testing.B) {
		for b.Loop() {
			if _, err := steady.LoadLocation("America/New_York"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
