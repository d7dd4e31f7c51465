# Builds ../labelled_holdout_blind3.jsonl from writer T's file
# (/work/writers/t/heldout_t.jsonl on 2026-12-04): keeps only text, theme
# and flags, and leaves out a reply whose words (case and spacing aside)
# are already in another labelled or training file (27 of 587, nearly all
# short answers such as "no" or "4"). Run from analysis/testdata.
import glob, json, re, sys

def norm(s):
    return re.sub(r'\s+', ' ', s.strip().lower())

seen = set()
others = [f for f in glob.glob('labelled_holdout*.jsonl') if 'blind3' not in f]
for f in others + glob.glob('train/writer_*.jsonl') + ['labelled.jsonl', 'everyday.jsonl']:
    for line in open(f):
        seen.add(norm(json.loads(line)['text']))
out = []
for line in open(sys.argv[1]):
    d = json.loads(line)
    k = norm(d['text'])
    if k in seen:
        continue
    seen.add(k)
    out.append(json.dumps({'text': d['text'], 'theme': d['theme'],
                           'flags': [{'theme': f['theme'], 'polarity': f['polarity']} for f in d['flags']]},
                          ensure_ascii=False))
open('labelled_holdout_blind3.jsonl', 'w').write('\n'.join(out) + '\n')
