"""Lint: the pinned ruff (pyproject.toml's rules) passes on the library, the book's machinery,
the tools, the tests and the notebooks' code cells."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_is_clean():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        pytest.fail("ruff is not installed: it is pinned in requirements.txt (make venv)")
    out = subprocess.run([ruff, "check", "--no-cache", "mtjlib", "mtjbook", "tools", "tests",
                          "book"], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]
