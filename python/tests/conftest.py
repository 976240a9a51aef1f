import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
FIXTURES = os.path.join(REPO, "Tests", "Fixtures", "parity")


@pytest.fixture
def scenepaint_bin():
    """The Swift binary ($SCENEPAINT_BIN, as `make test` sets it, else .build/release): tests that run
    the Swift side from here skip without it."""
    path = os.environ.get("SCENEPAINT_BIN") or os.path.join(REPO, ".build", "release", "scenepaint")
    if not os.access(path, os.X_OK):
        pytest.skip(f"no scenepaint binary at {path} (make test sets SCENEPAINT_BIN)")
    return path
