package summary

import (
	"strconv"
	"strings"
	"sync"
)

// chartCacheSize bounds the charts a Service keeps: many subscribers'
// months have the same weekly counts (no red flags at all, one in one
// week, ...), and those share one image.
const chartCacheSize = 512

// chartCache keeps the PNGs of recent charts by their weekly series.
type chartCache struct {
	mu  sync.Mutex
	png map[string][]byte
}

// chart is Chart(d), drawn once per distinct series.
func (c *chartCache) chart(d Data) ([]byte, error) {
	key := seriesKey(d.Weeks)
	c.mu.Lock()
	b, ok := c.png[key]
	c.mu.Unlock()
	if ok {
		return b, nil
	}
	b, err := Chart(d)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.png == nil || len(c.png) >= chartCacheSize {
		c.png = make(map[string][]byte, chartCacheSize)
	}
	c.png[key] = b
	c.mu.Unlock()
	return b, nil
}

// seriesKey names everything Chart draws: each week's counts by theme.
func seriesKey(weeks []Week) string {
	var b strings.Builder
	for _, w := range weeks {
		b.WriteByte('|')
		for _, c := range w.Red {
			b.WriteString(c.Theme)
			b.WriteByte('=')
			b.WriteString(strconv.Itoa(c.Count))
			b.WriteByte(',')
		}
	}
	return b.String()
}
