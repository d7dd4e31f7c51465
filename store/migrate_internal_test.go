package store

import "testing"

// Both dialects must know the same migrations, or one would refuse a
// database the other wrote.
func TestDialectsHaveSameMigrations(t *testing.T) {
	lite, err := sqliteDialect.migrations()
	if err != nil {
		t.Fatal(err)
	}
	pg, err := postgresDialect.migrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(lite) != len(pg) || len(lite) == 0 {
		t.Fatalf("sqlite has %d migrations, postgres %d", len(lite), len(pg))
	}
	for i := range lite {
		if lite[i].name != pg[i].name {
			t.Errorf("migration %d: sqlite %s, postgres %s", i+1, lite[i].name, pg[i].name)
		}
	}
}
