package store

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// The hand parser reads every stored form exactly as encoding/json does,
// and gives up (so json.Unmarshal reads it) on anything it was not made
// for.
func TestParseStoredFlagsAgreesWithJSON(t *testing.T) {
	t.Parallel()
	inputs := []string{`[]`, `[{"t":"honesty","p":"red"}]`, `[{"t":"honesty","p":"red","e":[[0,12]]},{"t":"trust","p":"green","e":[[3,4],[10,20]]}]`}
	files, err := filepath.Glob("../analysis/testdata/*.jsonl")
	if err != nil || len(files) == 0 {
		t.Fatalf("no labelled replies: %v", err)
	}
	for _, file := range files {
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var c struct{ Text, Theme string }
			if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			if stored, _, _ := analyseReply(c.Text, c.Theme); stored != "" {
				inputs = append(inputs, stored)
			}
		}
		f.Close()
	}
	for _, in := range inputs {
		got, ok := parseStoredFlags(in)
		var want []storedFlag
		if err := json.Unmarshal([]byte(in), &want); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if !ok || !reflect.DeepEqual(got, want) {
			t.Errorf("parseStoredFlags(%s) = %+v, %v; want %+v", in, got, ok, want)
		}
	}
	for _, in := range []string{``, `null`, `[`, `[{}]`, `[ ]`, `[{"t":"a\"b","p":"red"}]`, `[{"p":"red","t":"honesty"}]`,
		`[{"t":"honesty","p":"red","e":[]}]`, `[{"t":"honesty","p":"red","e":[[1,2]]}]x`, `[{"t":"honesty","p":"red","e":[[-1,2]]}]`,
		`[{"t":"honesty","p":"red","e":[[01,2]]}]`, `[{"t":"honesty","p":"red","e":[[1,2,3]]}]`, `[{"t":"honesty","p":"red"},]`} {
		if got, ok := parseStoredFlags(in); ok {
			t.Errorf("parseStoredFlags(%q) = %+v, want it left to encoding/json", in, got)
		}
	}
	if len(inputs) < 100 {
		t.Fatalf("only %d stored forms compared", len(inputs))
	}
}
