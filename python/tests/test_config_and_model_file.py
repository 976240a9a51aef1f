import json
import os
import struct

import pytest

# The PyTorch twin: without torch (or safetensors) these tests skip, the ONNX test still runs.
torch = pytest.importorskip("torch")
pytest.importorskip("safetensors")

from conftest import REPO
from scenepaint_torch import ConfigError, LGGANConfig, LGGANNetwork, ModelFileError, Palette, read_model, write_model
from scenepaint_torch.semantic_input import SemanticInput

SHIPPED = os.path.join(REPO, "models", "landscape-lggan.safetensors")


def header(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        return json.loads(f.read(n))


def test_swift_model_file_loads_with_identical_names_shapes_and_metadata():
    network, palette, metadata = read_model(SHIPPED)
    h = header(SHIPPED)
    h.pop("__metadata__")
    mine = network.state_dict()
    assert set(mine) == set(h)
    for name, entry in h.items():
        assert list(mine[name].shape) == entry["shape"], name
    # The JSON this side writes is byte-identical to Swift's (config compact and sorted, palette pretty).
    assert network.config.to_json() == metadata["config"]
    assert palette.to_json() == metadata["palette"]
    assert palette.name == "landscape" and palette.count == network.config.classCount == 15


def test_written_file_has_scenepaint_metadata_and_round_trips(tmp_path):
    config = LGGANConfig.tiny(4)
    palette = Palette.from_dict({"name": "four", "classes": [{"id": i, "name": f"c{i}", "color": [i, 2 * i, 100]}
                                                             for i in range(4)]})
    network = LGGANNetwork(config, seed=3)
    path = str(tmp_path / "m.safetensors")
    write_model(network, palette, path, dtype="f16", metadata={"step": "7"})
    meta = header(path)["__metadata__"]
    assert meta["format"] == "scenepaint-lggan" and meta["version"] == "1" and meta["step"] == "7"
    assert json.loads(meta["config"])["classCount"] == 4
    assert header(path)["encoder.input.weight"]["dtype"] == "F16"
    loaded, p2, _ = read_model(path)
    assert p2 == palette
    for name, t in network.state_dict().items():
        assert torch.allclose(loaded.state_dict()[name], t.half().float()), name


def test_bad_files_are_one_line_errors(tmp_path):
    bad = tmp_path / "bad.safetensors"
    bad.write_bytes(b"\x10\x00\x00\x00\x00\x00\x00\x00{not json}      ")
    with pytest.raises(ModelFileError) as e:
        read_model(str(bad))
    assert str(e.value).startswith(f"{bad}: not a usable scenepaint model") and "\n" not in str(e.value)
    network, palette, _ = read_model(SHIPPED)
    other = tmp_path / "other.safetensors"
    from safetensors.torch import save_file
    save_file({"x": torch.zeros(2)}, str(other), metadata={"format": "something-else"})
    with pytest.raises(ModelFileError, match="format 'something-else'"):
        read_model(str(other))


def test_config_json_rejects_unknown_keys_and_fills_defaults():
    c = LGGANConfig.from_json('{"classCount": 3}')
    assert c == LGGANConfig.standard(3)
    with pytest.raises(ConfigError, match="key 'styleWidth' is unknown"):
        LGGANConfig.from_json('{"classCount": 3, "styleWidth": 4}')
    with pytest.raises(ConfigError, match="global depth 9"):
        LGGANConfig(classCount=3, globalDepth=9).validate()
    a = LGGANConfig.authors(35)
    assert (a.baseWidth, a.localResBlocks, a.classKernel, a.spadeHidden, a.discriminatorWidth) == (64, 9, 7, 128, 64)


def test_sparse_class_outputs_equal_the_dense_definition():
    config = LGGANConfig.tiny(4)
    network = LGGANNetwork(config, seed=1)
    with torch.no_grad():
        for p in network.parameters():
            p.normal_(0, 0.3)
    labels = torch.zeros(2, 16, 24, dtype=torch.long)
    labels[0, 4:9, 3:10] = 2
    labels[1, :, 12:] = 3
    labels[1, 0, 0] = -1
    inp = SemanticInput(labels, 4)
    network.eval()
    with torch.no_grad():
        sparse = network(inp)["classImages"]
        dense = network.dense_class_images(inp)
    assert (sparse - dense).abs().max().item() < 1e-5
