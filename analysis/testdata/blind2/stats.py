import json, collections
THEMES = ["honesty","keeping_word","trust","confiding","has_your_back","distancing","fear_doubt","friendship","dependability","safety"]
n = 0; by_theme = collections.Counter(); pol = collections.Counter(); flag_theme = collections.Counter()
nflags = collections.Counter(); zero = 0
for i, line in enumerate(open("labelled_holdout_blind2.jsonl", encoding="utf-8"), 1):
    r = json.loads(line)
    assert set(r) == {"text", "theme", "flags"}, i
    assert isinstance(r["text"], str) and r["text"].strip(), i
    assert r["theme"] in THEMES, i
    seen = set()
    for f in r["flags"]:
        assert set(f) == {"theme", "polarity"}, i
        assert f["theme"] in THEMES and f["polarity"] in ("red", "green"), i
        assert f["theme"] not in seen, i; seen.add(f["theme"])
        if f["theme"] == "safety": assert f["polarity"] == "red", i
        pol[f["polarity"]] += 1; flag_theme[(f["theme"], f["polarity"])] += 1
    nflags[len(r["flags"])] += 1; zero += not r["flags"]
    by_theme[r["theme"]] += 1; n += 1
print("lines (all valid JSON, known ids/polarities):", n)
print("\nby prompt theme:")
for t in THEMES: print(f"  {t:14s} {by_theme[t]}")
print("\nflags by polarity:", dict(pol), " total flags:", sum(pol.values()))
print("replies with 0 flags:", zero, " flags-per-reply:", dict(sorted(nflags.items())))
print("\nflags by flagged theme (red / green):")
for t in THEMES: print(f"  {t:14s} red {flag_theme[(t,'red')]:3d}  green {flag_theme[(t,'green')]:3d}")
