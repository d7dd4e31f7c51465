import json
from collections import Counter
T={'honesty','keeping_word','trust','confiding','has_your_back','distancing','fear_doubt','friendship','dependability','safety'}
bad=0;seen=set();L=[]
for i,l in enumerate(open('/work/writers/t/heldout_t.jsonl'),1):
    try: o=json.loads(l)
    except Exception as e: print('badjson',i);bad+=1;continue
    ok=set(o)=={'text','theme','flags'} and o['theme'] in T and isinstance(o['flags'],list)
    ths=[f.get('theme') for f in o['flags']]
    ok=ok and len(ths)==len(set(ths)) and all(set(f)=={'theme','polarity'} and f['theme'] in T and f['polarity'] in('red','green') for f in o['flags'])
    ok=ok and all(f['polarity']=='red' for f in o['flags'] if f['theme']=='safety')
    if o['text'] in seen: print('dup',i,o['text']); ok=False
    seen.add(o['text'])
    if not ok: print('bad',i,l);bad+=1
    L.append(o)
print('lines',len(L),'bad',bad)
print('by prompt theme',dict(Counter(o['theme'] for o in L)))
print('by flag',dict(sorted(Counter((f['theme'],f['polarity']) for o in L for f in o['flags']).items())))
n=len(L)
print('safety',sum(any(f['theme']=='safety' for f in o['flags']) for o in L)/n,'none',sum(not o['flags'] for o in L)/n,'multi',sum(len(o['flags'])>1 for o in L)/n)
print('short(<=3 words)',sum(len(o['text'].split())<=3 for o in L))
