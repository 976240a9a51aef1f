#!/usr/bin/env python3
"""Tables of what scripts/score-models.sh wrote.

    score-table.py OUT NAME...                    mIoU / pixel accuracy / small-class mIoU /
                                                  feature distance, one row per model and evaluator
    score-table.py OUT NAME... --choose           snapshot choice: the mean mIoU over the splits
                                                  (one evaluator, default mix), best marked
    score-table.py OUT NAME... --per-class SPLIT  IoU per class on one split (one evaluator)

--evaluator shipped|mix picks the evaluator where one is used (default: every one found;
--choose and --per-class: mix). The real renders' row comes from the first model's files.
"""
import argparse
import json
import os
import sys


def load(out, name, split, evaluator):
    path = os.path.join(out, name, f"{split}.{evaluator}.json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def splits_of(out, names):
    found = []
    for name in names:
        directory = os.path.join(out, name)
        if not os.path.isdir(directory):
            sys.exit(f"{directory}: no scores for {name} (run scripts/score-models.sh first)")
        for file in sorted(os.listdir(directory)):
            if file.endswith(".json"):
                split, evaluator = file[:-5].rsplit(".", 1)
                if (split, evaluator) not in found:
                    found.append((split, evaluator))
    # A procedural split before its painted twin (test, test-painted), as in the docs' tables.
    return sorted(found, key=lambda f: (f[0].replace("-painted", ""), f[0].endswith("-painted"), f[1]))


def cell(report, which="generated"):
    if report is None:
        return "-"
    g = report[which]
    text = f"{100 * g['miou']:.1f} / {100 * g['pixel_accuracy']:.1f} / {100 * g['miou_small_classes']:.1f}"
    if which == "generated":
        text += f" / {report['segmenter_feature_frechet_distance']['value']:.3f}"
    return text


def overview(out, names, evaluator_filter):
    found = splits_of(out, names)
    splits = list(dict.fromkeys(s for s, _ in found))
    # The shipped evaluator first, as in the docs' tables.
    evaluators = sorted({e for _, e in found if evaluator_filter in (None, e)}, key=lambda e: (e != "shipped", e))
    print("mIoU / pixel accuracy / small-class mIoU / feature distance (real renders: no distance)\n")
    print("| model | evaluator | " + " | ".join(splits) + " |")
    print("|---|---|" + "---|" * len(splits))
    for name in names:
        for ev in evaluators:
            print(f"| {name} | {ev} | " + " | ".join(cell(load(out, name, s, ev)) for s in splits) + " |")
    for ev in evaluators:
        print(f"| real renders | {ev} | " + " | ".join(cell(load(out, names[0], s, ev), "real") for s in splits) + " |")


def choose(out, names, evaluator):
    splits = [s for s, e in splits_of(out, names) if e == evaluator]
    print(f"mIoU / small-class mIoU / feature distance, {evaluator} evaluator; mean of the splits' mIoU\n")
    print("| model | " + " | ".join(splits) + " | mean mIoU |")
    print("|---|" + "---|" * (len(splits) + 1))
    means = {}
    for name in names:
        reports = [load(out, name, s, evaluator) for s in splits]
        cells = []
        for r in reports:
            if r is None:
                cells.append("-")
            else:
                g = r["generated"]
                cells.append(f"{100 * g['miou']:.1f} / {100 * g['miou_small_classes']:.1f} / "
                             f"{r['segmenter_feature_frechet_distance']['value']:.3f}")
        if all(r is not None for r in reports):
            means[name] = sum(100 * r["generated"]["miou"] for r in reports) / len(reports)
        mean = f"{means[name]:.1f}" if name in means else "-"
        print(f"| {name} | " + " | ".join(cells) + f" | {mean} |")
    if means:
        best = max(means, key=means.get)
        print(f"\nbest mean: {best} ({means[best]:.1f})")


def percent(iou):
    # None: the class is in neither the prediction nor the truth of this split.
    return "-" if iou is None else f"{100 * iou:.1f}"


def per_class(out, names, split, evaluator):
    reports = {n: load(out, n, split, evaluator) for n in names}
    first = next((r for r in reports.values() if r is not None), None)
    if first is None:
        sys.exit(f"no scores on {split} with the {evaluator} evaluator")
    print(f"IoU per class (%), {split}, {evaluator} evaluator\n")
    print("| class | share | real | " + " | ".join(names) + " |")
    print("|---|--:|--:|" + "--:|" * len(names))
    for c in first["real"]["per_class"]:
        row = [c["name"] + (" (small)" if c["small"] else ""), f"{100 * c['pixel_share']:.2f}%", percent(c["iou"])]
        for n in names:
            r = reports[n]
            iou = None if r is None else next((x["iou"] for x in r["generated"]["per_class"] if x["id"] == c["id"]), None)
            row.append(percent(iou))
        print("| " + " | ".join(row) + " |")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out")
    p.add_argument("names", nargs="+")
    p.add_argument("--evaluator", choices=["shipped", "mix"])
    p.add_argument("--choose", action="store_true")
    p.add_argument("--per-class", metavar="SPLIT")
    a = p.parse_args()
    if a.choose:
        choose(a.out, a.names, a.evaluator or "mix")
    elif a.per_class:
        per_class(a.out, a.names, a.per_class, a.evaluator or "mix")
    else:
        overview(a.out, a.names, a.evaluator)


if __name__ == "__main__":
    main()
