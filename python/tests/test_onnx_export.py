"""`scenepaint export --onnx` from the user's end: the real binary exports the shipped LGGAN,
onnx's checker accepts the file, ONNX Runtime runs it, and its images are `scenepaint generate`'s
(f32) within one 8-bit level; the same for the shipped ECGAN. Needs onnx, onnxruntime, numpy and pillow (not torch)."""
import math
import os
import subprocess

import pytest

np = pytest.importorskip("numpy")
onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")
Image = pytest.importorskip("PIL.Image")

from conftest import REPO

MODEL = os.path.join(REPO, "models", "landscape-lggan.safetensors")
ECGAN = os.path.join(REPO, "models", "landscape-ecgan.safetensors")
# Float rounding (different convolution algorithms, summation orders) may move a pixel by one
# 8-bit level; measured on the shipped model: max |ORT - ours| 1.5e-5 on fused (bench peers' check).
LEVELS = 1


def run(binary, *arguments):
    result = subprocess.run([binary, *arguments], capture_output=True, text=True,
                            env={**os.environ, "OPENBLAS_NUM_THREADS": "1"})
    assert result.returncode == 0, result.stderr
    return result


class RandomGenerator:
    """scenepaint's RandomGenerator (xoshiro256** seeded by SplitMix64; Box-Muller normals, both used),
    to draw the style code and the texture noise `generate --seed` uses."""
    MASK = (1 << 64) - 1

    def __init__(self, seed):
        x = seed
        state = []
        for _ in range(4):
            x = (x + 0x9E3779B97F4A7C15) & self.MASK
            z = x
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & self.MASK
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & self.MASK
            state.append(z ^ (z >> 31))
        self.s = state
        self.spare = None

    def next(self):
        s0, s1, s2, s3 = self.s
        m = self.MASK
        r = (((s1 * 5) & m) << 7 | ((s1 * 5) & m) >> 57) & m
        result = (r * 9) & m
        t = (s1 << 17) & m
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = ((s3 << 45) | (s3 >> 19)) & m
        self.s = [s0, s1, s2, s3]
        return result

    def normal(self):
        if self.spare is not None:
            value, self.spare = self.spare, None
            return value
        u1 = max((self.next() >> 11) * (1.0 / 9007199254740992.0), 1e-300)
        u2 = (self.next() >> 11) * (1.0 / 9007199254740992.0)
        radius = math.sqrt(-2 * math.log(u1))
        angle = 2 * math.pi * u2
        self.spare = np.float32(radius * math.sin(angle))
        return np.float32(radius * math.cos(angle))


def style_code(meta, width, seed):
    """generate's z for a seed: eps ~ N(0, 1) from RandomGenerator(seed), and with a fitted prior in the
    metadata z = mean + L eps (StylePrior.code: double sums in a fixed order, then float)."""
    rng = RandomGenerator(seed)
    eps = np.array([rng.normal() for _ in range(width)], dtype=np.float32)
    if "style_prior_mean" not in meta:
        return eps[None]
    mean = np.array(meta["style_prior_mean"].split(","), dtype=np.float32)
    cholesky = np.array(meta["style_prior_cholesky"].split(","), dtype=np.float32).reshape(width, width)
    z = mean.astype(np.float64) + np.tril(cholesky).astype(np.float64) @ eps.astype(np.float64)
    return z.astype(np.float32)[None]


def texture_map(channels, height, width, seed):
    """TextureNoise.map: the seed mixed (so the map is not the style code's stream), then
    N(0, 1) values in [1, K, H, W] order."""
    mask = RandomGenerator.MASK
    rng = RandomGenerator(((seed ^ 0x7465787475726531) * 0x9E3779B97F4A7C15) & mask)
    values = [rng.normal() for _ in range(channels * height * width)]
    return np.array(values, dtype=np.float32).reshape(1, channels, height, width)


def scene_ids(class_ids, size=256):
    """A landscape-like label-id layout using every class: bands, then discs of the others."""
    ids = np.full((size, size), class_ids[0], dtype=np.uint8)
    ids[size * 2 // 5:, :] = class_ids[1]
    yy, xx = np.mgrid[0:size, 0:size]
    for k, cid in enumerate(class_ids[2:]):
        radius = max(4, size // 7 - k * size // 90)
        cx, cy = (k * 73 + 31) % size, size // 3 + (k * 41) % (size * 2 // 3)
        ids[(xx - cx) ** 2 + (yy - cy) ** 2 < radius ** 2] = cid
    return ids


def to_bytes(image):
    """generate's float -> 8-bit rule: (v + 1) * 127.5, truncated, clamped (TensorImages.rgbImage)."""
    v = image.astype(np.float32) * np.float32(127.5) + np.float32(128)
    return np.clip(v, 0, 255.99).astype(np.uint8).transpose(1, 2, 0)


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    binary = os.environ.get("SCENEPAINT_BIN") or os.path.join(REPO, ".build", "release", "scenepaint")
    if not os.access(binary, os.X_OK):
        pytest.skip(f"no scenepaint binary at {binary} (make test sets SCENEPAINT_BIN)")
    directory = tmp_path_factory.mktemp("onnx")
    path = str(directory / "lggan.onnx")
    run(binary, "export", "--onnx", MODEL, path)
    return binary, path, directory


def test_checker_accepts_the_export(exported):
    _, path, _ = exported
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    assert model.opset_import[0].version == 17
    outputs = [o.name for o in model.graph.output]
    assert outputs[:5] == ["fused", "global", "local", "weight_global", "weight_local"]
    names = dict((p.key, p.value) for p in model.metadata_props)["classes"].split(",")
    assert outputs[5:] == ["class_" + n for n in names]


def generate_and_run(binary, model, onnx_path, directory):
    """generate's --all-views of a label-id layout using every class, and ONNX Runtime's outputs for it."""
    graph = onnx.load(onnx_path)
    meta = dict((p.key, p.value) for p in graph.metadata_props)
    class_ids = [int(i) for i in meta["class_ids"].split(",")]
    ids = scene_ids(class_ids)
    layout = str(directory / "layout.png")
    Image.fromarray(ids, mode="L").save(layout)
    views = str(directory / ("views-" + os.path.basename(onnx_path)))
    run(binary, "generate", layout, "--model", model, "--all-views", views, "--precision", "f32", "--seed", "0")

    one_hot = np.zeros((1, len(class_ids)) + ids.shape, dtype=np.float32)
    for k, cid in enumerate(class_ids):
        one_hot[0, k][ids == cid] = 1
    feeds = {"layout": one_hot}
    for value in graph.graph.input:
        if value.name == "style":
            feeds["style"] = style_code(meta, value.type.tensor_type.shape.dim[1].dim_value, seed=0)
        elif value.name == "texture":
            feeds["texture"] = texture_map(value.type.tensor_type.shape.dim[1].dim_value, *ids.shape, seed=0)
        elif value.name == "noise":
            pytest.skip("noise models: the test draws only style codes")
    session = ort.InferenceSession(onnx_path, providers=["CPUExecutionProvider"])
    names = [o.name for o in session.get_outputs()]
    return ids, views, dict(zip(names, session.run(None, feeds))), names, feeds


def assert_reads_texture(path, feeds, result):
    """A graph with a texture input reads it: zeros (the mean path) give another picture."""
    if "texture" not in feeds:
        return
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    flat = session.run(["fused"], {**feeds, "texture": np.zeros_like(feeds["texture"])})[0]
    assert np.abs(flat - result["fused"]).mean() > 1e-3


def assert_same_images(views, result, names):
    for view in names:
        mine = np.array(Image.open(os.path.join(views, view + ".png")).convert("RGB")).astype(int)
        theirs = to_bytes(result[view][0]).astype(int)
        difference = np.abs(mine - theirs)
        assert difference.max() <= LEVELS, f"{view}: {difference.max()} levels apart ({(difference > 0).mean():.4%} of channels differ)"


# The shipped model; the style-code model (the style input, drawn as generate draws it, through the
# fitted prior when the file has one, and the texture input when it has texture noise); the parity
# fixture with the other architecture choices (bilinear upsampling, sum fusion, 7x7 input conv,
# 3x3 SPADE modulation, depth 4); and any models named in SCENEPAINT_ONNX_MODELS (paths separated
# by ':', e.g. a run's model before it ships).
LGGAN_MODELS = [MODEL, os.path.join(REPO, "models", "landscape-lggan-styles.safetensors"),
                os.path.join(REPO, "Tests", "Fixtures", "parity", "variants.model.safetensors")] + \
    [p for p in os.environ.get("SCENEPAINT_ONNX_MODELS", "").split(":") if p]


@pytest.mark.parametrize("model", LGGAN_MODELS, ids=lambda p: os.path.basename(p).split(".")[0])
def test_onnxruntime_gives_generates_images(exported, model, tmp_path):
    if not os.path.exists(model):
        pytest.skip(f"{model} is not in this checkout")
    binary = exported[0]
    path = str(tmp_path / "model.onnx")
    run(binary, "export", "--onnx", model, path)
    onnx.checker.check_model(onnx.load(path), full_check=True)
    ids, views, result, names, feeds = generate_and_run(binary, model, path, tmp_path)
    assert_same_images(views, result, ("fused", "global", "local"))
    assert_reads_texture(path, feeds, result)
    # The weight maps are a softmax over two channels, and fused is their blend (Eq. 7).
    wg, wl = result["weight_global"], result["weight_local"]
    assert np.abs(wg + wl - 1).max() < 1e-5
    assert np.abs(wg * result["global"] + wl * result["local"] - result["fused"]).max() < 1e-5
    # Each class output is a tanh image of the layout's size.
    for name in names[5:]:
        assert result[name].shape == (1, 3) + ids.shape
        assert np.abs(result[name]).max() <= 1 + 1e-6   # ORT's tanh may round to 1.0000001


# The shipped ECGAN and any ECGAN models named in SCENEPAINT_ONNX_ECGAN_MODELS (paths separated by ':',
# e.g. one with texture noise: its map is drawn as generate draws it).
ECGAN_MODELS = [ECGAN] + [p for p in os.environ.get("SCENEPAINT_ONNX_ECGAN_MODELS", "").split(":") if p]


@pytest.mark.parametrize("model", ECGAN_MODELS, ids=lambda p: os.path.basename(p).split(".")[0])
def test_onnxruntime_gives_generates_ecgan_images(exported, model, tmp_path):
    if not os.path.exists(model):
        pytest.skip(f"{model} is not in this checkout")
    binary = exported[0]
    path = str(tmp_path / "ecgan.onnx")
    run(binary, "export", "--onnx", model, path)
    onnx.checker.check_model(onnx.load(path), full_check=True)
    _, views, result, names, feeds = generate_and_run(binary, model, path, tmp_path)
    assert names[:4] == ["fused", "coarse", "edge", "attention"]
    assert_same_images(views, result, ("fused", "coarse", "edge"))
    assert 0 <= result["attention"].min() and result["attention"].max() <= 1
    assert_reads_texture(path, feeds, result)


def test_a_wrong_model_file_is_one_clear_line(exported, tmp_path):
    binary, _, _ = exported
    bad = tmp_path / "bad.safetensors"
    bad.write_bytes(b"not a model")
    out = tmp_path / "out.onnx"
    result = subprocess.run([binary, "export", "--onnx", str(bad), str(out)], capture_output=True, text=True)
    assert result.returncode != 0
    assert str(bad) in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert not out.exists()
