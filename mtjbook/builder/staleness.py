"""Whether a notebook is stale: the modules of ``mtjlib`` and ``mtjbook`` it imports
(transitively, found with :mod:`ast`), the hash of everything that determines its outputs, and the
record the runner stores in each executed copy."""

from __future__ import annotations

import ast
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

from mtjbook.builder.manifest import META_KEY, RUNNER_VERSION, Layout, NotebookEntry

# ----------------------------------------------------------------------------------------------
# Which modules of the two packages does a notebook depend on?


def _module_file(root: Path, packages: Iterable[str], module: str) -> Path | None:
    """The file of dotted ``module`` (inside one of ``packages`` under ``root``), or None."""
    parts = module.split(".")
    if parts[0] not in packages:
        return None
    base = Path(root).joinpath(*parts)
    if (base / "__init__.py").is_file():
        return base / "__init__.py"
    if len(parts) > 1 and base.with_suffix(".py").is_file():
        return base.with_suffix(".py")
    return None


class _Resolver:
    """Resolves the modules of ``packages`` a piece of code imports (statically, conservatively).

    Every ``import`` and ``from ... import`` naming one of the packages counts, wherever it is
    (inside functions too); importing ``a.b.c`` counts ``a/__init__``, ``a/b/__init__`` and
    ``a/b/c``. Dynamic imports (``importlib``) are not seen.
    """

    def __init__(self, root: Path, packages: Iterable[str]):
        self.root = Path(root)
        self.packages = tuple(packages)
        self._trees: dict[str, ast.Module | None] = {}

    def file(self, module: str) -> Path | None:
        return _module_file(self.root, self.packages, module)

    def tree(self, module: str) -> ast.Module | None:
        if module not in self._trees:
            f = self.file(module)
            self._trees[module] = (
                ast.parse(f.read_text(encoding="utf-8"), filename=str(f)) if f else None
            )
        return self._trees[module]

    def with_parents(self, module: str) -> set[str]:
        parts = module.split(".")
        return {
            ".".join(parts[:i]) for i in range(1, len(parts) + 1) if self.file(".".join(parts[:i]))
        }

    def _absolute(self, node: ast.ImportFrom, module: str | None) -> str | None:
        if not node.level:
            return node.module or ""
        if not module:
            return None
        f = self.file(module)
        base = module.split(".") if f is not None and f.name == "__init__.py" else (
            module.split(".")[:-1])
        base = base[: len(base) - (node.level - 1)]
        return ".".join(base + ([node.module] if node.module else []))

    def imports(self, tree: ast.AST, module: str | None = None) -> set[str]:
        """Modules of the packages imported by ``tree``; ``module`` names it (relative imports)."""
        found: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    found |= self.with_parents(a.name)
            elif isinstance(node, ast.ImportFrom):
                target = self._absolute(node, module)
                if not target or target.split(".")[0] not in self.packages:
                    continue
                found |= self.with_parents(target)
                for a in node.names:  # from pkg import submodule
                    if a.name != "*":
                        found |= self.with_parents(f"{target}.{a.name}")
        return found

    def closure(self, modules: Iterable[str]) -> set[str]:
        """All modules of the packages reachable from ``modules`` through imports."""
        todo, seen = list(modules), set()
        while todo:
            m = todo.pop()
            if m in seen:
                continue
            seen.add(m)
            tree = self.tree(m)
            if tree is not None:
                todo.extend(self.imports(tree, module=m) - seen)
        return seen


def cell_to_python(source: str) -> str:
    """Turn IPython cell source (magics, shell escapes) into parseable Python."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        return TransformerManager().transform_cell(source)
    except Exception:  # noqa: BLE001 - IPython missing or odd input: strip magic lines instead
        return "\n".join(
            "" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()
        )


def notebook_modules(nb_path: Path, root: Path, packages: Iterable[str]) -> list[Path]:
    """Files of ``packages`` (directories under ``root``) a notebook imports, transitively, sorted.

    A cell that does not parse is skipped (it would fail at execution anyway).
    """
    resolver = _Resolver(root, packages)
    direct: set[str] = set()
    nb = json.loads(Path(nb_path).read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        src = cell.get("source", "")
        try:
            tree = ast.parse(cell_to_python("".join(src) if isinstance(src, list) else src))
        except SyntaxError:
            continue
        direct |= resolver.imports(tree)
    files = {resolver.file(m) for m in resolver.closure(direct)}
    return sorted(f for f in files if f is not None)


# ----------------------------------------------------------------------------------------------
# Hashes and staleness


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def source_hash(layout: Layout, entry: NotebookEntry, params: dict) -> tuple[str, list[str]]:
    """The hash deciding whether ``entry`` must be re-executed with ``params``.

    Returns the hex digest and the library files (relative to the root) it covers.
    """
    src = layout.root / entry.path
    mods = notebook_modules(src, layout.root, layout.packages)
    rels = [m.relative_to(layout.root).as_posix() for m in mods]
    h = hashlib.sha256()
    h.update(f"runner-v{RUNNER_VERSION}\n".encode())
    h.update(f"notebook {entry.path} {sha256_hex(src.read_bytes())}\n".encode())
    h.update(f"params {json.dumps(params, sort_keys=True, default=str)}\n".encode())
    for rel, m in zip(rels, mods):
        h.update(f"module {rel} {sha256_hex(m.read_bytes())}\n".encode())
    req = layout.root / "requirements.txt"
    if req.is_file():
        h.update(f"requirements {sha256_hex(req.read_bytes())}\n".encode())
    return h.hexdigest(), rels


def read_record(executed: Path) -> dict | None:
    """The runner's record stored in an executed notebook, or None."""
    try:
        nb = json.loads(executed.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    rec = nb.get("metadata", {}).get(META_KEY)
    return rec if isinstance(rec, dict) else None


def staleness(layout: Layout, entry: NotebookEntry) -> tuple[bool, str, str, list[str]]:
    """``(stale, reason, hash, modules)`` for one notebook of the book."""
    digest, mods = source_hash(layout, entry, entry.params)
    out = layout.executed_path(entry.path)
    if not out.is_file():
        return True, "never executed", digest, mods
    rec = read_record(out)
    if rec is None:
        return True, "executed copy has no runner record", digest, mods
    if rec.get("source_hash") != digest:
        return True, _why_changed(layout, entry, rec, mods), digest, mods
    return False, "up to date", digest, mods


def _why_changed(layout: Layout, entry: NotebookEntry, rec: dict, mods: list[str]) -> str:
    old = rec.get("inputs", {})
    src = layout.root / entry.path
    changed = []
    if old.get(entry.path) != sha256_hex(src.read_bytes()):
        changed.append("notebook")
    for m in mods:
        if old.get(m) != sha256_hex((layout.root / m).read_bytes()):
            changed.append(m)
    if rec.get("parameters") != entry.params:
        changed.append("parameters")
    return "changed: " + (", ".join(changed) if changed else "environment or runner")

