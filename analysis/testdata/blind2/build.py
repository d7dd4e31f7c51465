import json, glob, collections
THEMES = ["honesty","keeping_word","trust","confiding","has_your_back","distancing","fear_doubt","friendship","dependability","safety"]
P = {"g":"green","r":"red"}
rows, cats = [], collections.Counter()
seen = set()
for fn in sorted(glob.glob("source_part*.txt")):
    for ln, line in enumerate(open(fn, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if not line.strip(): continue
        parts = [p.strip() for p in line.split(" || ")]
        assert len(parts) == 4, (fn, ln, line)
        cat, theme, flags, text = parts
        assert theme in THEMES, (fn, ln, theme)
        assert (text, theme) not in seen, ("dup", text); seen.add((text, theme))
        fl = []
        if flags != "-":
            for f in flags.split(","):
                t, p = f.split(":")
                assert t in THEMES and p in P, (fn, ln, f)
                if t == "safety": assert p == "r"
                fl.append({"theme": t, "polarity": P[p]})
        assert len({f["theme"] for f in fl}) == len(fl), (fn, ln)
        cats[cat] += 1
        rows.append({"text": text, "theme": theme, "flags": fl})
import random
random.Random(2).shuffle(rows)
with open("labelled_holdout_blind2.jsonl", "w", encoding="utf-8") as o:
    for r in rows: o.write(json.dumps(r, ensure_ascii=False) + "\n")
print(len(rows)); print(dict(cats))
