"""The scripts behind the docs' model tables: scripts/score-models.sh (runs the real
binary's eval), scripts/score-table.py and scripts/ecgan-ablation-table.py (read its
JSON). A wrong figure here would put a wrong number in docs/."""
import json
import os
import subprocess

from conftest import REPO

SCRIPTS = os.path.join(REPO, "scripts")


def eval_report(miou, accuracy=0.9, small=0.5, distance=0.2, real_miou=0.85, iou=None):
    """The fields of `scenepaint eval --json` that the scripts read (fractions, as eval writes them)."""
    per_class = [{"id": 0, "name": "sky", "iou": 0.98, "pixel_share": 0.3, "small": False},
                 {"id": 12, "name": "house", "iou": iou, "pixel_share": 0.016, "small": True}]
    return {
        "generated": {"miou": miou, "pixel_accuracy": accuracy, "miou_small_classes": small, "per_class": per_class},
        "real": {"miou": real_miou, "pixel_accuracy": 0.97, "miou_small_classes": 0.77,
                 "per_class": [dict(c, iou=0.9) for c in per_class]},
        "segmenter_feature_frechet_distance": {"value": distance},
    }


def write(path, report):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(report, f)


def run(*args, env=None):
    return subprocess.run(list(args), capture_output=True, text=True, env=env)


def test_score_table_rows_choice_and_per_class(tmp_path):
    out = str(tmp_path)
    write(f"{out}/a/val.mix.json", eval_report(0.780, distance=0.305, iou=0.44))
    write(f"{out}/a/val-painted.mix.json", eval_report(0.589))
    write(f"{out}/b/val.mix.json", eval_report(0.785))
    write(f"{out}/b/val-painted.mix.json", eval_report(0.542, iou=None))
    write(f"{out}/a/val.shipped.json", eval_report(0.819, accuracy=0.964, small=0.694, distance=0.170))

    table = run("python3", f"{SCRIPTS}/score-table.py", out, "a", "b")
    assert table.returncode == 0, table.stderr
    rows = table.stdout.splitlines()
    assert "| a | shipped | 81.9 / 96.4 / 69.4 / 0.170 | - |" in rows
    assert "| a | mix | 78.0 / 90.0 / 50.0 / 0.305 | 58.9 / 90.0 / 50.0 / 0.200 |" in rows
    # Shipped evaluator rows come before mix rows, as in the docs.
    assert rows.index("| a | shipped | 81.9 / 96.4 / 69.4 / 0.170 | - |") < rows.index(
        "| a | mix | 78.0 / 90.0 / 50.0 / 0.305 | 58.9 / 90.0 / 50.0 / 0.200 |")

    choice = run("python3", f"{SCRIPTS}/score-table.py", out, "a", "b", "--choose")
    assert choice.returncode == 0, choice.stderr
    # a: (78.0 + 58.9) / 2 = 68.45; b: (78.5 + 54.2) / 2 = 66.35.
    assert "best mean: a (68.5)" in choice.stdout, choice.stdout

    classes = run("python3", f"{SCRIPTS}/score-table.py", out, "a", "b", "--per-class", "val")
    assert "| house (small) | 1.60% | 90.0 | 44.0 | - |" in classes.stdout, classes.stdout

    missing = run("python3", f"{SCRIPTS}/score-table.py", out, "a", "nope")
    assert missing.returncode != 0 and "no scores for nope" in missing.stderr


def test_ablation_table_calls_a_component_helpful_only_beyond_the_seed_spread(tmp_path):
    out = str(tmp_path)
    for row, mious in {"B1": (0.30, 0.32), "B2": (0.40, 0.41), "B3": (0.405, 0.415), "B4": (0.30,)}.items():
        for seed, miou in enumerate(mious, start=1):
            write(f"{out}/{row}-seed{seed}/eval.json", eval_report(miou))
    table = run("python3", f"{SCRIPTS}/ecgan-ablation-table.py", out)
    assert table.returncode == 0, table.stderr
    lines = {line.split(" | ")[0].lstrip("| "): line for line in table.stdout.splitlines() if line.startswith("| B")}
    assert "| 31.0 | 2.0 |" in lines["B1"] and "(the base)" in lines["B1"]
    assert "+9.5: yes" in lines["B2"]
    assert "+0.5: within the seeds' spread" in lines["B3"]
    assert "one seed: no verdict" in lines["B4"]
    assert "not run" in lines["B5"]


def test_score_models_scores_with_the_real_binary_and_keeps_what_it_has(tmp_path, scenepaint_bin):
    data = tmp_path / "data"
    synth = run(scenepaint_bin, "dataset", "synth", "--out", str(data), "--split", "test", "--count", "2",
                "--size", "64x64", "--seed", "5")
    assert synth.returncode == 0, synth.stderr
    env = dict(os.environ, SCENEPAINT_BIN=scenepaint_bin, DATA=str(data), SPLITS="test", EVALUATORS="shipped")
    out = tmp_path / "scores"
    model = os.path.join(REPO, "models", "landscape-lggan.safetensors")
    first = run("bash", f"{SCRIPTS}/score-models.sh", str(out), f"default={model}", env=env)
    assert first.returncode == 0, first.stderr
    report_path = out / "default" / "test.shipped.json"
    with open(report_path) as f:
        report = json.load(f)
    assert report["count"] == 2 and 0 <= report["generated"]["miou"] <= 1
    written = os.stat(report_path).st_mtime_ns
    again = run("bash", f"{SCRIPTS}/score-models.sh", str(out), f"default={model}", env=env)
    assert again.returncode == 0 and os.stat(report_path).st_mtime_ns == written, "an existing score is kept"

    no_model = run("bash", f"{SCRIPTS}/score-models.sh", str(out), "x=/nonexistent.safetensors", env=env)
    assert no_model.returncode == 2 and "/nonexistent.safetensors: no such model file (for x)" in no_model.stderr
    no_split = run("bash", f"{SCRIPTS}/score-models.sh", str(out), f"y={model}", env=dict(env, SPLITS="val"))
    assert no_split.returncode == 2 and "no such split" in no_split.stderr
