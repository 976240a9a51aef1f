# Aggregates the S1..S5 ablation over seeds: per-seed mIoU and mean +- sd (sample) per setting.
import json, os, re, statistics as st
import sys
# One run directory per seed (scripts/ablation.sh OUT=...), in seed order.
dirs = {k + 1: d for k, d in enumerate(sys.argv[1:])}
names = {'s1': 'S1 global only', 's2': 'S2 + local, sum (Eq. 3)', 's3': 'S3 + conv fusion (Eq. 4)',
         's4': 'S4 + class loss (Eq. 5)', 's5': 'S5 + weight map (Eq. 7) = LGGAN'}
paper = {'s1': 62.3, 's2': 64.6, 's3': 65.8, 's4': 67.0, 's5': 68.4}
def load(seed, s):
    p = f'{dirs[seed]}/{s}.eval.json'
    return json.load(open(p)) if os.path.exists(p) else None
def times(seed):
    t = {}
    p = dirs[seed] + '/times.txt'
    if os.path.exists(p):
        for line in open(p):
            m = re.match(r'(s\d) train exit (\d+) seconds (\d+)', line)
            if m: t[m.group(1)] = int(m.group(3))
    return t
def sps(s):
    v = []
    for k in seeds:
        p = f'{dirs[k]}/{s}/log.jsonl'
        if os.path.exists(p):
            v += [json.loads(l)['secondsPerStep'] for l in open(p)]
    v.sort()
    return f'{v[len(v)//2]:.2f}' if v else '-'
def ms(v):
    v = [x * 100 for x in v]
    if not v: return '-'
    if len(v) == 1: return f'{v[0]:.1f}'
    return f'{st.mean(v):.1f} ± {st.stdev(v):.1f}'
seeds = [k for k in dirs if any(load(k, s) for s in names)]
print('seeds (directories) with results:', seeds)
print('| | paper mIoU (Cityscapes) | ' + ' | '.join(f'mIoU seed {k}' for k in seeds) +
      ' | mIoU mean ± sd | pixel acc. | small-class mIoU | large-class mIoU | global alone | local alone | feature distance | s/step (median, all seeds) |')
print('|---|' + '---|' * (len(seeds) + 9))
for s in names:
    rs = {k: load(k, s) for k in seeds}
    ok = [r for r in rs.values() if r]
    if not ok: continue
    g = lambda key: [r['generated'][key] for r in ok]
    br = lambda b: [r['branches'][b]['miou'] for r in ok if b in r['branches']]
    fd = [r['segmenter_feature_frechet_distance']['value'] for r in ok]
    t = times(1).get(s)
    per = ' | '.join(f"{rs[k]['generated']['miou']*100:.1f}" if rs[k] else '-' for k in seeds)
    print(f"| {names[s]} | {paper[s]} | {per} | **{ms(g('miou'))}** | {ms(g('pixel_accuracy'))} | {ms(g('miou_small_classes'))} | "
          f"{ms(g('miou_large_classes'))} | {ms(br('global'))} | {ms(br('local'))} | "
          f"{st.mean(fd):.3f} | {sps(s)} |")
r = load(1, 's1')
if r:
    real = r['real']
    print(f"| real renders at 64x64 (upper bound) | |" + " |" * len(seeds) + f" {real['miou']*100:.1f} | {real['pixel_accuracy']*100:.1f} | {real['miou_small_classes']*100:.1f} | {real['miou_large_classes']*100:.1f} | | | 0 (halves {r['segmenter_feature_frechet_distance']['real_halves']:.3f}) | |")
