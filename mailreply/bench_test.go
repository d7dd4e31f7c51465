package mailreply

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkExtractCorpus extracts every reply of the corpus once per
// iteration.
func BenchmarkExtractCorpus(b *testing.B) {
	paths, _ := filepath.Glob("testdata/replies/*.eml")
	var raws [][]byte
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		raws = append(raws, raw)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, raw := range raws {
			if _, err := Extract(raw); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkExtractLargeText is the worst case the size limit allows: a
// megabyte of plain text.
func BenchmarkExtractLargeText(b *testing.B) {
	raw := []byte("From: a@example.com\r\nContent-Type: text/plain\r\n\r\n" +
		strings.Repeat("On a good day we talk; wrote: nothing more\r\n> quoted\r\n", (MaxTextBytes-100)/56))
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, err := Extract(raw); err != nil {
			b.Fatal(err)
		}
	}
}
