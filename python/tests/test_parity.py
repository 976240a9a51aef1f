"""The parity fixture from the Python end: this side reproduces the committed outputs,
and (when the Swift binary is built) Swift's `generate` gives the same images as
this side for a model written here and for the model trained by Swift."""
import os
import subprocess

import numpy as np
import pytest

# The PyTorch twin: without torch (or safetensors) these tests skip, the ONNX test still runs.
torch = pytest.importorskip("torch")
pytest.importorskip("safetensors")
from PIL import Image
from safetensors.torch import load_file

from conftest import FIXTURES, REPO
from scenepaint_torch import read_model
from scenepaint_torch.fixture import PALETTE, fixture_layout
from scenepaint_torch.views import generate_views, rgb_bytes

TOLERANCE = 1e-4


@pytest.mark.parametrize("name", ["tiny", "variants"])
def test_committed_fixture_is_reproduced(name):
    network, palette, _ = read_model(os.path.join(FIXTURES, f"{name}.model.safetensors"))
    expected = load_file(os.path.join(FIXTURES, f"{name}.expected.safetensors"))
    indices = expected["layout"].long().numpy()
    assert (indices == fixture_layout()).all()
    views = generate_views(network, palette, indices)
    assert set("view." + k for k in views) == {k for k in expected if k.startswith("view.")}
    for k, v in views.items():
        err = (v - expected["view." + k]).abs().max().item()
        assert err <= TOLERANCE, f"{name}/{k}: {err}"


def swift_views(binary, model, layout_png, out_dir):
    result = subprocess.run([binary, "generate", layout_png, "--model", model, "--all-views", out_dir, "--precision", "f32"],
                            capture_output=True, text=True, env={**os.environ, "OPENBLAS_NUM_THREADS": "1"})
    assert result.returncode == 0, result.stderr
    return {os.path.splitext(n)[0]: np.array(Image.open(os.path.join(out_dir, n)).convert("RGB"))
            for n in os.listdir(out_dir)}


def write_grey_layout(ids, path):
    Image.fromarray(ids.astype(np.uint8), mode="L").save(path)


@pytest.mark.parametrize("name", ["tiny", "variants"])
def test_swift_generate_gives_the_same_images_as_pytorch(name, scenepaint_bin, tmp_path):
    model = os.path.join(FIXTURES, f"{name}.model.safetensors")
    network, palette, _ = read_model(model)
    indices = fixture_layout()[:30, :45]          # not a multiple of 8/16: both sides pad by repeating edges
    ids = np.array([c.id for c in PALETTE.classes] + [255])[indices]
    layout = str(tmp_path / "layout.png")
    write_grey_layout(ids, layout)
    swift = swift_views(scenepaint_bin, model, layout, str(tmp_path / "views"))
    mine = generate_views(network, palette, indices)
    # Swift's --all-views writes the editor's views: fused, global and local are the raw images
    # (class views are composed with their mask; the float test in Swift covers the class outputs).
    for view in ("fused", "global", "local"):
        diff = np.abs(swift[view].astype(int) - rgb_bytes(mine[view]).astype(int))
        assert diff.max() <= 1, f"{view}: {diff.max()} levels apart"

def test_swift_trained_model_gives_the_same_images_here(scenepaint_bin, tmp_path):
    model = os.path.join(REPO, "models", "landscape-lggan.safetensors")
    network, palette, _ = read_model(model)
    layout = os.path.join(REPO, "samples", "lake.png")
    from scenepaint_torch.data import read_label_ids
    from scenepaint_torch.semantic_input import SemanticInput
    indices = SemanticInput.indices_of(read_label_ids(layout, palette, "paired"), palette)
    swift = swift_views(scenepaint_bin, model, layout, str(tmp_path / "views"))
    mine = generate_views(network, palette, indices)
    for view in ("fused", "global", "local"):
        diff = np.abs(swift[view].astype(int) - rgb_bytes(mine[view]).astype(int))
        assert diff.max() <= 1, f"{view}: {diff.max()} levels apart"
