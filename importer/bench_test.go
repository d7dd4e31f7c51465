package importer_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/steadyapp/steady/importer"
	"github.com/steadyapp/steady/importer/importertest"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// BenchmarkImport100k parses and imports 100,000 rows (a quarter of them
// phone numbers) into a fresh database, each a pending subscriber with a
// consent record and a queued confirmation. Run it once:
//
//	go test -run '^$' -bench Import100k -benchtime 1x ./importer/
//
// (with TEST_DATABASE_URL for the PostgreSQL figure).
func BenchmarkImport100k(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchImport(b, storetest.SQLite) })
	b.Run("postgres", func(b *testing.B) { benchImport(b, storetest.Postgres) })
}

func benchImport(b *testing.B, open func(testing.TB) *store.DB) {
	data, _ := importertest.Generate(100_000, 0, false)
	h := importOptions(b)
	for b.Loop() {
		b.StopTimer()
		db := open(b)
		b.StartTimer()
		plan, err := importer.Parse(bytes.NewReader(data), h)
		if err != nil {
			b.Fatal(err)
		}
		tally, err := importer.Import(context.Background(), db, plan, h, nil)
		if err != nil {
			b.Fatal(err)
		}
		if tally.Imported != 100_000 {
			b.Fatalf("tally %+v", tally)
		}
	}
}
