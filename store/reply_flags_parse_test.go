package store

import (
	"encoding/json"
	"reflect"
	"testing"
)

// The hand parser reads every stored form exactly as encoding/json does,
// and gives up (so json.Unmarshal reads it) on anything it was not made
// for.
func TestParseStoredFlagsAgreesWithJSON(t *testing.T) {
	t.Parallel()
	inputs := []string{`[]`, `[{"t":"honesty","p":"red"}]`, `[{"t":"honesty","p":"red","e":[[0,12]]},{"t":"trust","p":"green","e":[[3,4],[10,20]]}]`}
	eachLabelledReply(t, func(text, theme string) {
		if stored, _, _ := analyseReply(text, theme); stored != "" {
			inputs = append(inputs, stored)
		}
	})
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
