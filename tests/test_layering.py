"""The layering of the repository, declared once and enforced here.

notebooks -> mtjbook (runner, claims, benchmarks, page helpers) -> mtjlib; inside mtjlib,
studies -> tasks -> training -> networks -> physics, with the physics-free sweep and the private
helpers below; nothing upward, no module importing another's privates.

- The import-linter contracts of ``pyproject.toml`` (``[tool.importlinter]``) must all be kept,
  and they must break when a violation is planted (so a contract that checks nothing fails here).
- Importing every public module of ``mtjlib`` in a fresh process imports none of the book's or
  the peers' packages, and works when they are not installed at all.
- Within ``mtjlib`` no module imports a private name (``_x``) of another, except from the shared
  private helpers ``_numba``, ``_validate`` and ``_io`` (import-linter sees modules, not names).
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LIB = ROOT / "mtjlib"
#: Packages mtjlib must never import (the library depends on numpy, numba and scipy only).
FORBIDDEN = ("papermill", "nbformat", "yaml", "jupyter_client", "matplotlib", "cmtj",
             "reservoirpy", "mtjbook")
#: mtjlib's shared private helpers: any mtjlib module may import their names.
HELPERS = ("_numba", "_validate", "_io")

LINT = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True))"


def _public_modules() -> list[str]:
    """Every public module of mtjlib, subpackages included (dotted names)."""
    out = []
    for f in LIB.rglob("*.py"):
        parts = f.relative_to(LIB).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts and not any(p.startswith("_") for p in parts):
            out.append(".".join(("mtjlib", *parts)))
    return sorted(out)


def _run(code: str, cwd: Path, pythonpath: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300, check=False)


def test_import_contracts_are_kept():
    out = _run(LINT, ROOT, ROOT)
    assert out.returncode == 0, f"import-linter contracts broken:\n{out.stdout}\n{out.stderr}"
    assert "0 broken" in out.stdout


def test_import_contracts_break_on_planted_violations(tmp_path):
    """Each contract of pyproject.toml reports a violation planted in a copy of the packages."""
    for name in ("mtjlib", "mtjbook"):
        shutil.copytree(ROOT / name, tmp_path / name,
                        ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    plant = {
        "mtjlib/_io.py": "from mtjlib.physics import device  # noqa\n",  # a helper on the library
        "mtjlib/physics/device.py": "import matplotlib  # noqa\n",  # a forbidden dependency
        "mtjlib/physics/llg.py": "def _up():\n    import mtjbook.pages.page  # noqa\n",  # upward, lazily
        "mtjbook/pages/page.py": "from mtjlib._validate import check_real  # noqa\n",  # a private
        # a layer importing the one above it, even lazily
        "mtjlib/physics/neuron.py": "def _up():\n    from mtjlib.networks import network  # noqa\n",
        "mtjlib/sweep.py": "from mtjlib.tasks import metrics  # noqa\n",  # sweep on a layer
        # the book's claims on its pages (independent siblings below build and bench)
        "mtjbook/claims/table.py": "def _side():\n    from mtjbook.pages import page  # noqa\n",
    }
    for rel, line in plant.items():
        with open(tmp_path / rel, "a", encoding="utf-8") as fh:
            fh.write("\n" + line)
    out = _run(LINT, tmp_path, tmp_path)
    assert out.returncode != 0
    assert "0 kept, 7 broken" in out.stdout, out.stdout


def test_public_modules_import_no_book_or_peer_package():
    """A fresh process: what mtjlib adds to sys.modules beyond numpy, numba and scipy."""
    code = textwrap.dedent(f"""
        import importlib, sys
        import numpy, numba, scipy  # the declared dependencies (numba imports yaml if present)
        before = set(sys.modules)
        for m in {_public_modules()!r}:
            importlib.import_module(m)
        new = {{k.split('.')[0] for k in set(sys.modules) - before}}
        print(sorted(new & set({FORBIDDEN!r})))
    """)
    out = _run(code, Path("/"), ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stdout


def test_public_modules_import_without_book_or_peer_packages():
    """The same modules import in a process where none of those packages can be imported."""
    code = textwrap.dedent(f"""
        import importlib, importlib.abc, sys

        class Block(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path=None, target=None):
                if name.split('.')[0] in {FORBIDDEN!r}:
                    raise ModuleNotFoundError(f"No module named {{name!r}} (blocked)", name=name)
                return None

        sys.meta_path.insert(0, Block())
        for m in {_public_modules()!r}:
            importlib.import_module(m)
        print(sorted(k for k in sys.modules if k.split('.')[0] in {FORBIDDEN!r}))
    """)
    out = _run(code, Path("/"), ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stdout


def _private_imports(path: Path) -> list[str]:
    """``file:line`` of every private name one mtjlib module takes from another (not a helper)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    bad, bound = [], {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                mod = node.module or ""
            elif (node.module or "").startswith("mtjlib"):
                mod = (node.module or "").removeprefix("mtjlib").lstrip(".")
            else:
                continue
            for a in node.names:
                target = f"{mod}.{a.name}".lstrip(".") if not mod else mod
                if not mod:  # from . import x: a module
                    if a.name.startswith("_") and a.name not in HELPERS:
                        bad.append(f"{path.name}:{node.lineno}: imports module {a.name}")
                    bound[a.asname or a.name] = a.name
                elif (a.name.startswith("_") and not a.name.startswith("__")
                      and mod.split(".")[0] not in HELPERS):
                    bad.append(f"{path.name}:{node.lineno}: imports {a.name} from {target}")
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("mtjlib.") and a.asname:
                    bound[a.asname] = a.name.removeprefix("mtjlib.")
    for node in ast.walk(tree):  # network._int after `from . import network`
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id in bound and bound[node.value.id] not in HELPERS
                and node.attr.startswith("_") and not node.attr.startswith("__")):
            bad.append(f"{path.name}:{node.lineno}: uses {node.value.id}.{node.attr}")
    return bad


def test_private_checker_finds_what_it_should(tmp_path):
    f = tmp_path / "mod.py"
    f.write_text(
        "from .network import _int, build_network\n"
        "from ._validate import check_real, _helper\n"
        "from mtjlib.physics.llg import _rhs\n"
        "from . import neuron, _numba\n"
        "x = neuron._curve(1) + neuron.response_curve\n"
    )
    assert _private_imports(f) == [
        "mod.py:1: imports _int from network",
        "mod.py:3: imports _rhs from physics.llg",
        "mod.py:5: uses neuron._curve",
    ]


@pytest.mark.parametrize("path", sorted(LIB.rglob("*.py")),
                         ids=lambda p: p.relative_to(LIB).as_posix())
def test_no_mtjlib_module_imports_another_modules_privates(path):
    assert _private_imports(path) == []


def test_import_mtjlib_loads_nothing_else():
    """``import mtjlib`` loads no book machinery, no yaml, not even numba: nothing but itself."""
    code = textwrap.dedent("""
        import sys
        before = set(sys.modules)
        import mtjlib
        new = set(sys.modules) - before
        print(sorted(k for k in new if k.startswith("mtjlib")))
        print(sorted({k.split(".")[0] for k in new} & {"numpy", "numba", "scipy", "yaml",
                                                       "mtjbook", "matplotlib"}))
    """)
    out = _run(code, Path("/"), ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-2:] == ["['mtjlib']", "[]"], out.stdout


def test_public_modules_import_no_yaml():
    """numba imports yaml (to read a .numba_config.yaml) unless mtjlib._numba hides it; every
    public module together leaves yaml unimported, and yaml still imports afterwards."""
    code = textwrap.dedent(f"""
        import importlib, sys
        for m in {_public_modules()!r}:
            importlib.import_module(m)
        print("yaml" in sys.modules, "numba" in sys.modules)
        import yaml  # the hiding is undone
        print(yaml.__name__)
    """)
    out = _run(code, Path("/"), ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "True", "yaml"], out.stdout


@pytest.mark.parametrize("old", ["mtjlib.neuron", "mtjlib.network", "mtjlib.innate",
                                 "mtjlib.s3_study", "mtjlib.force"])
def test_old_module_paths_fail_with_the_ordinary_error(old):
    """The module paths from before the layers are gone (no finder keeps them alive)."""
    import importlib

    with pytest.raises(ModuleNotFoundError, match=re.escape(f"No module named {old!r}")):
        importlib.import_module(old)
