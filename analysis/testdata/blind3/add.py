import json,sys
M={'hon':'honesty','kw':'keeping_word','tr':'trust','conf':'confiding','hyb':'has_your_back','dist':'distancing','fd':'fear_doubt','fr':'friendship','dep':'dependability','saf':'safety'}
M.update({v:v for v in list(M.values())})
out=open('/work/writers/t/heldout_t.jsonl','a')
n=0
for line in open(sys.argv[1],encoding='utf-8'):
    line=line.rstrip('\n')
    if not line.strip(): continue
    th,fl,tx=line.split('|',2)
    flags=[]
    if fl!='-':
        for f in fl.split(','):
            a,p=f.split(':')
            flags.append({'theme':M[a],'polarity':{'r':'red','g':'green'}[p]})
    out.write(json.dumps({'text':tx.strip(),'theme':M[th],'flags':flags},ensure_ascii=False)+'\n'); n+=1
print(n)
