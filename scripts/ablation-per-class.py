# Per-class IoU (fused), mean over the seeds available, S1..S5 and real at 64x64.
import json, os, statistics as st
import sys
dirs = sys.argv[1:]  # one run directory per seed (scripts/ablation.sh OUT=...)
S = ['s1', 's2', 's3', 's4', 's5']
def runs(s):
    return [json.load(open(f'{d}/{s}.eval.json')) for d in dirs if os.path.exists(f'{d}/{s}.eval.json')]
first = runs('s1')[0]
classes = [(c['name'], c['small'], c['pixel_share']) for c in first['generated']['per_class']]
print('| class | share | ' + ' | '.join(s.upper() for s in S) + ' | real |')
print('|---|--:|' + '--:|' * (len(S) + 1))
for i, (name, small, share) in enumerate(classes):
    cells = []
    for s in S:
        v = [r['generated']['per_class'][i]['iou'] for r in runs(s) if r['generated']['per_class'][i]['iou'] is not None]
        cells.append(f'{st.mean(v)*100:.1f}' if v else '-')
    real = first['real']['per_class'][i]['iou']
    print(f"| {name}{' (small)' if small else ''} | {share*100:.2f}% | " + ' | '.join(cells) + f' | {real*100:.1f} |')
