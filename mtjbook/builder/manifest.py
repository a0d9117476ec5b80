"""The book's layout and manifest: where notebooks, executed copies, claims and caches live
(:class:`Layout`), and the notebooks in book order with their parameters
(:class:`NotebookEntry`, :func:`read_manifest` of ``book/notebooks.yml``)."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from mtjbook.claims.record import CLAIMS_DIR_ENV

#: Bump when the way executed notebooks are produced changes, so every notebook re-executes.
RUNNER_VERSION = 2
#: Notebook metadata key holding the runner's record (hash, parameters, modules, claims, time).
META_KEY = "mtjbook_runner"
#: The kernelspec papermill executes with; installed into the running interpreter's prefix.
KERNEL_NAME = "mtjlib"


# ----------------------------------------------------------------------------------------------
# Layout and manifest


@dataclass(frozen=True)
class Layout:
    """Where things live, relative to a repository root (tests point it at a tmp dir)."""

    root: Path
    library: str = "mtjlib"
    book_package: str = "mtjbook"
    book_dir: str = "book"
    manifest: str = "book/notebooks.yml"

    @property
    def packages(self) -> tuple[str, str]:
        """The packages whose modules a notebook's hash covers (directories under ``root``)."""
        return (self.library, self.book_package)

    @property
    def executed_dir(self) -> Path:
        return self.root / self.book_dir / "executed"

    @property
    def build_dir(self) -> Path:
        return self.root / "_build"

    @property
    def claims_dir(self) -> Path:
        return self.build_dir / "claims"

    @property
    def failed_dir(self) -> Path:
        return self.build_dir / "failed"

    def executed_path(self, source: str) -> Path:
        """``book/x.ipynb`` -> ``book/executed/x.ipynb`` (sub-folders kept)."""
        rel = Path(source).relative_to(self.book_dir)
        return self.executed_dir / rel

    def library_key(self) -> str:
        """First 12 hex digits of a hash of every ``*.py`` of the library (paths and bytes)."""
        h = hashlib.sha256()
        lib = self.root / self.library
        for f in sorted(lib.rglob("*.py")):
            h.update(f"{f.relative_to(lib).as_posix()}\0".encode())
            h.update(hashlib.sha256(f.read_bytes()).digest())
        return h.hexdigest()[:12]

    @property
    def numba_cache_dir(self) -> Path:
        """numba's cache for this exact library source: ``_build/numba/<library_key>``."""
        return self.build_dir / "numba" / self.library_key()

    def kernel_env(self) -> dict[str, str]:
        """Environment variables the notebook kernels need (import path, claims, caches)."""
        path = [str(self.root)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep)
                                   if p and p != str(self.root)]
        return {
            "PYTHONPATH": os.pathsep.join(path),
            CLAIMS_DIR_ENV: str(self.claims_dir),
            "MTJLIB_CACHE_DIR": str(self.build_dir / "cache"),
            "NUMBA_CACHE_DIR": str(self.numba_cache_dir),
            # the character data of Fig. 3, staged by `make assets` from the pinned npm package
            "MTJLIB_HANZI_DIR": str(self.build_dir / "npm" / "node_modules" / "hanzi-writer-data"),
        }


@dataclass(frozen=True)
class NotebookEntry:
    """One notebook of the book: its source path, quick (CI) parameters and book parameters.

    ``params`` are the parameters of the book build; empty means the notebook's own defaults,
    which are the paper's scale.
    """

    path: str
    quick: dict = field(default_factory=dict)
    params: dict = field(default_factory=dict)

    @property
    def stem(self) -> str:
        return Path(self.path).stem


def read_manifest(path: Path) -> list[NotebookEntry]:
    """Read ``book/notebooks.yml``: a list of ``{path, quick, params}`` in book order."""
    import yaml

    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    if not isinstance(data, list):
        raise TypeError(f"{path}: expected a list of notebook entries, got {type(data).__name__}")
    entries = []
    for i, item in enumerate(data):
        if not isinstance(item, dict) or "path" not in item:
            raise ValueError(f"{path}: entry {i} must be a mapping with a 'path' key: {item!r}")
        unknown = set(item) - {"path", "quick", "params"}
        if unknown:
            raise ValueError(f"{path}: entry {item['path']!r} has unknown keys {sorted(unknown)}")
        entries.append(
            NotebookEntry(
                path=str(item["path"]),
                quick=dict(item.get("quick") or {}),
                params=dict(item.get("params") or {}),
            )
        )
    paths = [e.path for e in entries]
    dupes = sorted({p for p in paths if paths.count(p) > 1})
    if dupes:
        raise ValueError(f"{path}: notebooks listed twice: {dupes}")
    return entries


