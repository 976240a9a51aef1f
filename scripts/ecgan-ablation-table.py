#!/usr/bin/env python3
"""The table of the ECGAN ablation B1..B8 (paper Table VI) that scripts/ecgan-ablation.sh
scored: OUT/ROW-seedS/eval.json for every row and seed found.

    python3 scripts/ecgan-ablation-table.py OUT

Per row: each seed's mIoU, the mean, the spread of the seeds (max - min), mean pixel
accuracy, small-class mIoU and feature distance, the paper's Cityscapes mIoU, and whether
the row beats the previous row by more than the larger of the two rows' spreads (the
protocol of docs/ecgan.md: only then is a component called helpful here).
"""
import json
import os
import re
import sys

ROWS = {
    "B1": ("E + G_i", 58.6), "B2": ("+ G_e", 60.2), "B3": ("+ G_t", 61.5), "B4": ("+ G_s", 64.5),
    "B5": ("+ G_l (Eq. 2)", 66.8), "B6": ("+ G_c (Eq. 4) = ECGAN", 72.2), "B7": ("+ Eq. 5", 72.8),
    "B8": ("+ Eq. 6 = ECGAN++", 73.3),
}


def runs(out):
    found = {}
    for name in sorted(os.listdir(out)):
        m = re.fullmatch(r"(B\d)-seed(\d+)", name)
        path = os.path.join(out, name, "eval.json")
        if m and os.path.exists(path):
            with open(path) as f:
                found.setdefault(m.group(1), {})[int(m.group(2))] = json.load(f)
    return found


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    found = runs(sys.argv[1])
    if not found:
        sys.exit(f"{sys.argv[1]}: no scored rows (ROW-seedS/eval.json)")
    seeds = sorted({s for r in found.values() for s in r})
    print("| row | components | " + " | ".join(f"seed {s}" for s in seeds)
          + " | mean mIoU | spread | pixel acc. | small | feat. dist. | paper | helps here? |")
    print("|---|---|" + "--:|" * len(seeds) + "--:|--:|--:|--:|--:|--:|---|")
    previous = None
    for row, (components, paper) in ROWS.items():
        reports = found.get(row, {})
        if not reports:
            print(f"| {row} | {components} | " + " | ".join("-" for _ in seeds) + f" | - | - | - | - | - | {paper} | not run |")
            previous = None
            continue
        miou = {s: 100 * r["generated"]["miou"] for s, r in reports.items()}
        mean = sum(miou.values()) / len(miou)
        spread = max(miou.values()) - min(miou.values()) if len(miou) > 1 else None
        accuracy = sum(100 * r["generated"]["pixel_accuracy"] for r in reports.values()) / len(reports)
        small = sum(100 * r["generated"]["miou_small_classes"] for r in reports.values()) / len(reports)
        distance = sum(r["segmenter_feature_frechet_distance"]["value"] for r in reports.values()) / len(reports)
        if row == "B1":
            verdict = "(the base)"
        elif previous is None:
            verdict = "previous row missing"
        elif spread is None or previous[1] is None:
            verdict = f"{mean - previous[0]:+.1f} (one seed: no verdict)"
        else:
            margin = max(spread, previous[1])
            gain = mean - previous[0]
            verdict = f"{gain:+.1f}: " + ("yes" if gain > margin else "no" if gain < -margin else "within the seeds' spread")
        cells = " | ".join(f"{miou[s]:.1f}" if s in miou else "-" for s in seeds)
        spread_text = "-" if spread is None else f"{spread:.1f}"
        print(f"| {row} | {components} | {cells} | {mean:.1f} | {spread_text} | {accuracy:.1f} | {small:.1f} | "
              f"{distance:.2f} | {paper} | {verdict} |")
        previous = (mean, spread)
    real = next(iter(next(iter(found.values())).values()))["real"]
    print(f"\nreal renders: {100 * real['miou']:.1f} mIoU, {100 * real['pixel_accuracy']:.1f}% pixel accuracy, "
          f"small classes {100 * real['miou_small_classes']:.1f}")


if __name__ == "__main__":
    main()
