"""Training end to end on a Cityscapes-style directory: one process, resume, and a two-process
DDP job over gloo started by torchrun, all on the CPU; the model file loads in Swift's generate."""
import json
import os
import subprocess
import sys

import pytest

# The PyTorch twin: without torch (or safetensors) these tests skip, the ONNX test still runs.
torch = pytest.importorskip("torch")
pytest.importorskip("safetensors")

from conftest import HERE
from scenepaint_torch import read_model
from test_data import make_cityscapes

PYTHON_DIR = os.path.dirname(HERE)
COMMON = ["--format", "cityscapes", "--size", "32x16", "--batch", "1", "--preset", "tiny", "--workers", "0",
          "--threads", "1", "--log-every", "1"]


def run(args, **kw):
    env = {**os.environ, "PYTHONPATH": PYTHON_DIR, "OMP_NUM_THREADS": "1"}
    return subprocess.run(args, capture_output=True, text=True, env=env, cwd=PYTHON_DIR, timeout=600, **kw)


def test_train_resume_and_model_file(tmp_path, request):
    data, out = str(tmp_path / "cs"), str(tmp_path / "run")
    make_cityscapes(data)
    r = run([sys.executable, "-m", "scenepaint_torch.train", "--data", data, "--out", out, "--steps", "2", *COMMON])
    assert r.returncode == 0, r.stderr
    lines = [json.loads(l) for l in open(os.path.join(out, "log.jsonl"))]
    assert [l["step"] for l in lines] == [1, 2]
    for key in ("ganFused", "ganGlobal", "ganLocal", "featureMatching", "localL1", "globalL1", "classification",
                "discriminatorReal", "discriminatorFake"):
        assert key in lines[0], key
    again = run([sys.executable, "-m", "scenepaint_torch.train", "--data", data, "--out", out, "--steps", "2", *COMMON])
    assert again.returncode == 2 and "already holds a checkpoint" in again.stderr
    r = run([sys.executable, "-m", "scenepaint_torch.train", "--data", data, "--out", out, "--resume", "--steps", "3",
             *COMMON])
    assert r.returncode == 0, r.stderr
    assert "resuming" in r.stderr and "at step 2 of 3" in r.stderr
    assert [json.loads(l)["step"] for l in open(os.path.join(out, "log.jsonl"))] == [1, 2, 3]
    network, palette, meta = read_model(os.path.join(out, "model.safetensors"))
    assert meta["step"] == "3" and palette.name == "cityscapes" and network.config.baseWidth == 8


def test_torchrun_two_processes_gloo(tmp_path):
    data, out = str(tmp_path / "cs"), str(tmp_path / "ddp")
    make_cityscapes(data)
    r = run([sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2",
             "-m", "scenepaint_torch.train", "--data", data, "--out", out, "--steps", "2", "--device", "cpu", *COMMON])
    assert r.returncode == 0, r.stderr[-3000:]
    assert "batch 1 x 2 processes" in r.stderr
    network, _, meta = read_model(os.path.join(out, "model.safetensors"))
    assert meta["step"] == "2"


def test_pytorch_trained_model_runs_in_swift_generate(tmp_path, scenepaint_bin):
    data, out = str(tmp_path / "cs"), str(tmp_path / "run")
    make_cityscapes(data)
    r = run([sys.executable, "-m", "scenepaint_torch.train", "--data", data, "--out", out, "--steps", "1", *COMMON])
    assert r.returncode == 0, r.stderr
    import numpy as np
    from PIL import Image
    ids = np.full((20, 40), 7, np.uint8)   # road below sky, a size that is not a multiple of 8
    ids[:8] = 23
    layout = str(tmp_path / "layout.png")
    Image.fromarray(ids, mode="L").save(layout)
    g = subprocess.run([scenepaint_bin, "generate", layout, "--model", os.path.join(out, "model.safetensors"),
                        "-o", str(tmp_path / "fused.png")], capture_output=True, text=True)
    assert g.returncode == 0, g.stderr
    assert os.path.getsize(tmp_path / "fused.png") > 0
