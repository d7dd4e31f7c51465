package store

import "testing"

// TestSQLiteChunks: a batch of any size is cut into consecutive chunks of
// 100, 10 or 1 rows that cover it exactly, so a claim's statements
// take one of three shapes.
func TestSQLiteChunks(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 9, 10, 11, 999, 1000, 1001, 2000, 2345, 10007} {
		chunks := sqliteChunks(n)
		next := 0
		for _, c := range chunks {
			size := c[1] - c[0]
			if c[0] != next || (size != 100 && size != 10 && size != 1) {
				t.Fatalf("sqliteChunks(%d) = %v: chunk %v", n, chunks, c)
			}
			next = c[1]
		}
		if next != n {
			t.Errorf("sqliteChunks(%d) covers %d rows", n, next)
		}
	}
	if got := len(sqliteChunks(2345)); got != 23+4+5 {
		t.Errorf("sqliteChunks(2345) has %d chunks, want 32", got)
	}
}
