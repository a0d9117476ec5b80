"""Execute the book's notebooks with papermill, only when stale, and collect the paper's claims.

A notebook is *stale* when the hash of what determines its outputs differs from the hash stored
in its executed copy. The hash covers

- the source notebook (its bytes),
- the parameters papermill injects,
- every module of the library the notebook imports, transitively (found by parsing the
  notebook's code cells and the modules with :mod:`ast`; ``mtjlib/__init__.py`` counts for every
  notebook that imports the package),
- ``requirements.txt`` (a change of a pinned dependency can change numbers),

so a change to one library module re-executes exactly the notebooks that import it. Executed
notebooks go to ``book/executed/`` (git-ignored) and are what the book is built from.

After the notebooks are up to date the claims each notebook recorded (``mtjlib.claims``) are merged
into ``_build/claims.json`` and rendered as a MyST table in ``_build/claims_table.md``, which the
intro page includes. Files are rewritten only when their content changes, so ``make`` does not
rebuild the HTML when nothing changed.

Command line (from the repository root)::

    python -m mtjlib.runner            # execute stale notebooks, merge claims
    python -m mtjlib.runner --force    # execute all notebooks of the book
    python -m mtjlib.runner --status   # print which notebooks are stale and why; execute nothing
    python -m mtjlib.runner --check-claims  # exit 1 unless every claim of claims.json holds
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import math
import os
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

#: Bump when the way executed notebooks are produced changes, so every notebook re-executes.
RUNNER_VERSION = 1
#: Notebook metadata key holding the runner's record (hash, parameters, modules, claims, time).
META_KEY = "mtjlib_runner"
#: The kernelspec papermill executes with; installed into the running interpreter's prefix.
KERNEL_NAME = "mtjlib"


# ----------------------------------------------------------------------------------------------
# Layout and manifest


@dataclass(frozen=True)
class Layout:
    """Where things live, relative to a repository root (tests point it at a tmp dir)."""

    root: Path
    package: str = "mtjlib"
    book_dir: str = "book"
    manifest: str = "book/notebooks.yml"

    @property
    def package_dir(self) -> Path:
        return self.root / self.package

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

    def kernel_env(self) -> dict[str, str]:
        """Environment variables the notebook kernels need (claims, caches)."""
        return {
            "MTJLIB_CLAIMS_DIR": str(self.claims_dir),
            "MTJLIB_CACHE_DIR": str(self.build_dir / "cache"),
            "NUMBA_CACHE_DIR": str(self.build_dir / "numba-cache"),
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


# ----------------------------------------------------------------------------------------------
# Which library modules does a notebook depend on?


def _module_file(package_dir: Path, package: str, module: str) -> Path | None:
    """The file of dotted ``module`` (inside ``package``), or None if it is not a module."""
    parts = module.split(".")
    if parts[0] != package:
        return None
    base = package_dir.joinpath(*parts[1:])
    if (base / "__init__.py").is_file():
        return base / "__init__.py"
    if base.with_suffix(".py").is_file() and len(parts) > 1:
        return base.with_suffix(".py")
    return None


def _is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def _all_modules(package_dir: Path, package: str) -> set[str]:
    mods = set()
    for f in package_dir.rglob("*.py"):
        rel = f.relative_to(package_dir).with_suffix("")
        parts = [package, *rel.parts]
        if parts[-1] == "__init__":
            parts = parts[:-1]
        mods.add(".".join(parts))
    return mods


def _lazy_exports(tree: ast.Module, module: str, package_dir: Path, package: str) -> dict:
    """Name -> submodule maps of a lazy package ``__init__`` (module-level dict literals)."""
    exports: dict[str, str] = {}
    for node in tree.body:
        value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
        if not isinstance(value, ast.Dict):
            continue
        pairs = list(zip(value.keys, value.values))
        if not pairs or not all(
            isinstance(k, ast.Constant)
            and isinstance(k.value, str)
            and isinstance(v, ast.Constant)
            and isinstance(v.value, str)
            for k, v in pairs
        ):
            continue
        for k, v in pairs:
            target = v.value
            if target.startswith(package + "."):
                full = target
            else:
                full = f"{module}.{target.lstrip('.')}"
            if _module_file(package_dir, package, full) is not None:
                exports[k.value] = full
    return exports


def _has_getattr(tree: ast.Module) -> bool:
    return any(isinstance(n, ast.FunctionDef) and n.name == "__getattr__" for n in tree.body)


class _Resolver:
    """Resolves the library modules a piece of code imports (statically, conservatively)."""

    def __init__(self, package_dir: Path, package: str):
        self.package_dir = Path(package_dir)
        self.package = package
        self._trees: dict[str, ast.Module] = {}

    def tree(self, module: str) -> ast.Module | None:
        if module not in self._trees:
            f = _module_file(self.package_dir, self.package, module)
            self._trees[module] = (
                ast.parse(f.read_text(encoding="utf-8"), filename=str(f)) if f else None
            )
        return self._trees[module]

    def with_parents(self, module: str) -> set[str]:
        """Importing ``a.b.c`` runs ``a/__init__``, ``a/b/__init__`` and ``a/b/c``."""
        parts = module.split(".")
        return {
            ".".join(parts[:i])
            for i in range(1, len(parts) + 1)
            if _module_file(self.package_dir, self.package, ".".join(parts[:i]))
        }

    def member(self, module: str, name: str) -> set[str] | None:
        """Modules that ``module.name`` brings in, or None if ``name`` is a plain attribute."""
        sub = f"{module}.{name}"
        if _module_file(self.package_dir, self.package, sub):
            return self.with_parents(sub)
        tree = self.tree(module)
        f = _module_file(self.package_dir, self.package, module)
        if tree is None or f is None or not _is_package(f):
            return None
        exports = _lazy_exports(tree, module, self.package_dir, self.package)
        if name in exports:
            return self.with_parents(exports[name])
        if _has_getattr(tree) and name not in _defined_names(tree):
            # A lazy package attribute we cannot resolve: depend on everything (stale > wrong).
            return _all_modules(self.package_dir, self.package)
        return None

    def imports(self, tree: ast.AST, module: str | None = None) -> set[str]:
        """Library modules imported by ``tree``; ``module`` names it for relative imports."""
        found: set[str] = set()
        aliases: dict[str, str] = {}  # local name -> library module it is bound to
        is_pkg = bool(module) and _is_package(
            _module_file(self.package_dir, self.package, module) or Path("x.py")
        )
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    if a.name.split(".")[0] != self.package:
                        continue
                    found |= self.with_parents(a.name)
                    if a.asname:
                        aliases[a.asname] = a.name
                    else:
                        aliases[a.name.split(".")[0]] = self.package
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    if not module:
                        continue
                    base = module.split(".") if is_pkg else module.split(".")[:-1]
                    base = base[: len(base) - (node.level - 1)]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                if target.split(".")[0] != self.package:
                    continue
                found |= self.with_parents(target)
                for a in node.names:
                    if a.name == "*":
                        found |= _all_modules(self.package_dir, self.package)
                        continue
                    mods = self.member(target, a.name)
                    if mods:
                        found |= mods
                        sub = f"{target}.{a.name}"
                        if _module_file(self.package_dir, self.package, sub):
                            aliases[a.asname or a.name] = sub
        # attribute chains on bound names: mtjlib.neuron.delta_r, mj.response_curve, ...
        for node in ast.walk(tree):
            if not isinstance(node, ast.Attribute):
                continue
            chain = []
            cur: ast.AST = node
            while isinstance(cur, ast.Attribute):
                chain.append(cur.attr)
                cur = cur.value
            if not isinstance(cur, ast.Name) or cur.id not in aliases:
                continue
            mod = aliases[cur.id]
            for attr in reversed(chain):
                mods = self.member(mod, attr)
                if not mods:
                    break
                found |= mods
                sub = f"{mod}.{attr}"
                if not _module_file(self.package_dir, self.package, sub):
                    break
                mod = sub
        return found

    def closure(self, modules: Iterable[str]) -> set[str]:
        """All library modules reachable from ``modules`` through imports."""
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


def _defined_names(tree: ast.Module) -> set[str]:
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return names


def _cell_to_python(source: str) -> str:
    """Turn IPython cell source (magics, shell escapes) into parseable Python."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        return TransformerManager().transform_cell(source)
    except Exception:  # noqa: BLE001 - IPython missing or odd input: strip magic lines instead
        return "\n".join(
            "" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()
        )


def notebook_code(nb_path: Path) -> str:
    """The code cells of a notebook as one Python source (magics transformed)."""
    nb = json.loads(Path(nb_path).read_text(encoding="utf-8"))
    cells = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            src = cell.get("source", "")
            cells.append(_cell_to_python("".join(src) if isinstance(src, list) else src))
    return "\n".join(cells)


def notebook_modules(nb_path: Path, package_dir: Path, package: str = "mtjlib") -> list[Path]:
    """Files of the library a notebook imports, transitively, sorted.

    A cell that does not parse is skipped (it would fail at execution anyway).
    """
    resolver = _Resolver(package_dir, package)
    direct: set[str] = set()
    nb = json.loads(Path(nb_path).read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        src = cell.get("source", "")
        try:
            tree = ast.parse(_cell_to_python("".join(src) if isinstance(src, list) else src))
        except SyntaxError:
            continue
        direct |= resolver.imports(tree)
    files = {_module_file(package_dir, package, m) for m in resolver.closure(direct)}
    return sorted(f for f in files if f is not None)


# ----------------------------------------------------------------------------------------------
# Hashes and staleness


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def source_hash(layout: Layout, entry: NotebookEntry, params: dict) -> tuple[str, list[str]]:
    """The hash deciding whether ``entry`` must be re-executed with ``params``.

    Returns the hex digest and the library files (relative to the root) it covers.
    """
    src = layout.root / entry.path
    mods = notebook_modules(src, layout.package_dir, layout.package)
    rels = [m.relative_to(layout.root).as_posix() for m in mods]
    h = hashlib.sha256()
    h.update(f"runner-v{RUNNER_VERSION}\n".encode())
    h.update(f"notebook {entry.path} {_sha256(src.read_bytes())}\n".encode())
    h.update(f"params {json.dumps(params, sort_keys=True, default=str)}\n".encode())
    for rel, m in zip(rels, mods):
        h.update(f"module {rel} {_sha256(m.read_bytes())}\n".encode())
    req = layout.root / "requirements.txt"
    if req.is_file():
        h.update(f"requirements {_sha256(req.read_bytes())}\n".encode())
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
    if old.get(entry.path) != _sha256(src.read_bytes()):
        changed.append("notebook")
    for m in mods:
        if old.get(m) != _sha256((layout.root / m).read_bytes()):
            changed.append(m)
    if rec.get("parameters") != entry.params:
        changed.append("parameters")
    return "changed: " + (", ".join(changed) if changed else "environment or runner")


# ----------------------------------------------------------------------------------------------
# Execution


class NotebookFailed(RuntimeError):
    """A notebook raised during execution; ``kept`` is the failed executed copy."""

    def __init__(self, notebook: str, kept: Path, message: str):
        super().__init__(f"{notebook} failed (executed copy kept at {kept}):\n{message}")
        self.notebook = notebook
        self.kept = kept


def ensure_kernel(name: str = KERNEL_NAME) -> str:
    """Make sure kernelspec ``name`` runs *this* interpreter; install it into sys.prefix if not.

    papermill started from the venv then executes notebooks with the venv's Python even when the
    user has other kernels called ``python3``.
    """
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    ksm = KernelSpecManager()
    try:
        spec = ksm.get_kernel_spec(name)
        argv0 = spec.argv[0] if spec.argv else ""
        if Path(argv0).absolute() == Path(sys.executable).absolute():
            return name
        if not Path(spec.resource_dir).is_relative_to(sys.prefix):
            raise RuntimeError(
                f"kernelspec {name!r} at {spec.resource_dir} runs {argv0}, not {sys.executable}; "
                f"remove it (jupyter kernelspec remove {name}) so the runner can install its own"
            )
    except NoSuchKernel:
        pass
    from ipykernel.kernelspec import install

    install(kernel_name=name, display_name=f"Python ({name})", prefix=sys.prefix)
    return name


#: No cell of a book notebook may run longer than this (s): a hung kernel fails the build with the
#: notebook's name instead of stalling CI (the slowest paper-scale cell takes well under a minute).
CELL_TIMEOUT_S = 900


def papermill_execute(
    src: Path, out: Path, params: dict, cwd: Path, env: dict[str, str], kernel: str | None = None
) -> None:
    """Execute ``src`` into ``out`` with papermill; the kernel inherits ``env``.

    Raises ``papermill.PapermillExecutionError`` when a cell fails (``out`` then holds the
    failed notebook).
    """
    import papermill as pm

    kernel = kernel or ensure_kernel()
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        pm.execute_notebook(
            str(src),
            str(out),
            parameters=params,
            kernel_name=kernel,
            cwd=str(cwd),
            progress_bar=False,
            log_output=False,
            execution_timeout=CELL_TIMEOUT_S,
        )
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def error_summary(exc: BaseException) -> str:
    """A papermill error as plain text (traceback without ANSI colours)."""
    text = str(exc)
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def _tag_injected_cells(nb) -> None:
    for cell in nb.cells:
        tags = cell.setdefault("metadata", {}).setdefault("tags", [])
        if "injected-parameters" in tags and "remove-cell" not in tags:
            tags.append("remove-cell")


def _atomic_write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _same_notebook(recorded, path: str) -> bool:
    """A claim's ``notebook`` names ``path`` (the full path, or only its file name)."""
    if not isinstance(recorded, str):
        return False
    rec = Path(recorded).as_posix()
    return rec == Path(path).as_posix() or ("/" not in rec and rec == Path(path).name)


def _claims_of(claims_dir: Path, notebook: str) -> dict[str, dict]:
    out = {}
    for f in sorted(claims_dir.glob("*.json")):
        try:
            entry = json.loads(f.read_text(encoding="utf-8"))
        except ValueError:
            continue
        if isinstance(entry, dict) and _same_notebook(entry.get("notebook"), notebook):
            out[f.stem] = entry
    return out


Executor = Callable[[Path, Path, dict, Path, dict], None]


def execute_entry(
    layout: Layout,
    entry: NotebookEntry,
    digest: str,
    mods: list[str],
    executor: Executor = papermill_execute,
) -> float:
    """Execute one notebook into ``book/executed/``; returns the wall time in seconds.

    The executed copy is written only on success (atomically), with the injected-parameters cell
    tagged ``remove-cell`` and the runner's record in its metadata. On failure the failed copy is
    kept in ``_build/failed/`` and :class:`NotebookFailed` is raised.
    """
    import nbformat

    src = layout.root / entry.path
    final = layout.executed_path(entry.path)
    work = layout.build_dir / "running" / Path(entry.path).name
    work.parent.mkdir(parents=True, exist_ok=True)
    layout.claims_dir.mkdir(parents=True, exist_ok=True)
    for stale_claim in _claims_of(layout.claims_dir, entry.path):
        (layout.claims_dir / f"{stale_claim}.json").unlink(missing_ok=True)
    t0 = time.perf_counter()
    try:
        executor(src, work, dict(entry.params), src.parent, layout.kernel_env())
    except Exception as exc:
        kept = layout.failed_dir / Path(entry.path).name
        kept.parent.mkdir(parents=True, exist_ok=True)
        if work.is_file():
            shutil.move(str(work), kept)
        raise NotebookFailed(entry.path, kept, error_summary(exc)) from exc
    seconds = time.perf_counter() - t0
    nb = nbformat.read(work, as_version=4)
    _tag_injected_cells(nb)
    inputs = {entry.path: _sha256(src.read_bytes())}
    inputs.update({m: _sha256((layout.root / m).read_bytes()) for m in mods})
    nb.metadata[META_KEY] = {
        "source_hash": digest,
        "parameters": entry.params,
        "inputs": inputs,
        "claims": _claims_of(layout.claims_dir, entry.path),
        "seconds": round(seconds, 2),
    }
    _atomic_write_text(final, nbformat.writes(nb))
    work.unlink(missing_ok=True)
    (layout.failed_dir / Path(entry.path).name).unlink(missing_ok=True)
    return seconds


@dataclass
class RunReport:
    executed: list[str] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def run(
    layout: Layout,
    entries: list[NotebookEntry],
    force: bool = False,
    executor: Executor = papermill_execute,
    log: Callable[[str], None] = print,
    keep_going: bool = False,
) -> RunReport:
    """Execute the stale notebooks of ``entries`` in order; print progress.

    Stops at the first failure (raising :class:`NotebookFailed`) unless ``keep_going``.
    """
    report = RunReport()
    n = len(entries)
    for i, entry in enumerate(entries, 1):
        src = layout.root / entry.path
        if not src.is_file():
            raise FileNotFoundError(f"{entry.path} is listed in {layout.manifest} but missing")
        stale, reason, digest, mods = staleness(layout, entry)
        if not (stale or force):
            log(f"[{i}/{n}] {entry.path}: up to date")
            report.up_to_date.append(entry.path)
            continue
        log(f"[{i}/{n}] {entry.path}: executing ({'forced' if force else reason}) ...")
        try:
            seconds = execute_entry(layout, entry, digest, mods, executor)
        except NotebookFailed as exc:
            log(f"[{i}/{n}] {entry.path}: FAILED; failed notebook kept at {exc.kept}")
            report.failed.append(entry.path)
            if not keep_going:
                raise
            continue
        log(f"[{i}/{n}] {entry.path}: done in {seconds:.1f} s")
        report.executed.append(entry.path)
    return report


# ----------------------------------------------------------------------------------------------
# Claims


def merge_claims(layout: Layout, entries: list[NotebookEntry]) -> dict[str, dict]:
    """Claims of the book's notebooks, sorted by id.

    The claims a notebook recorded in its last successful execution are kept in its executed
    copy; they are written back to ``_build/claims/`` if missing (e.g. after ``_build`` was
    deleted), so the directory and ``claims.json`` always agree with the executed notebooks.
    """
    claims: dict[str, dict] = {}
    for entry in entries:
        rec = read_record(layout.executed_path(entry.path)) or {}
        for cid, c in (rec.get("claims") or {}).items():
            f = layout.claims_dir / f"{cid}.json"
            if not f.is_file():
                _atomic_write_text(f, json.dumps(c, indent=2, sort_keys=True) + "\n")
        claims.update(_claims_of(layout.claims_dir, entry.path))
    keys = ("paper", "value", "holds", "notebook")
    return {cid: {k: claims[cid].get(k) for k in keys} for cid in sorted(claims)}


def _fmt_number(x) -> str:
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, int):
        return str(x)
    if isinstance(x, float):
        a = abs(x)
        if not math.isfinite(x) or a == 0.0:
            return str(x)
        if 1e-3 <= a < 1e6:  # four significant digits, no exponent
            return f"{x:.{max(0, 3 - math.floor(math.log10(a)))}f}"
        mant, exp = f"{x:.3e}".split("e")
        mant = mant.rstrip("0").rstrip(".")
        return f"{mant}e{int(exp)}"  # 8.329e10, 1e-05 -> 1e-5, 0.0003077 -> 3.077e-4
    return str(x)


def format_value(value, depth: int = 0) -> str:
    """A claim's value (number, list or nested dict of numbers) as readable one-line text."""
    if isinstance(value, dict):
        parts = [f"{k} = {format_value(v, depth + 1)}" for k, v in value.items()]
        body = "; ".join(parts) if depth == 0 else ", ".join(parts)
        return body if depth == 0 else "(" + body + ")"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(format_value(v, depth + 1) for v in value) + "]"
    return _fmt_number(value)


def _md_escape(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]<>|$#])", r"\\\1", text)


def _value_cell(value) -> list[str]:
    """A claim's value as the lines of a list-table cell: one bullet per top-level key."""
    if not isinstance(value, dict) or not value:
        return [f"  - {_md_escape(format_value(value))}"]
    lines = []
    for i, (k, v) in enumerate(value.items()):
        text = f"`{k}` = {_md_escape(format_value(v, depth=1))}"
        lines.append(("  - - " if i == 0 else "    - ") + text)
    return lines


def render_claims_table(claims: dict[str, dict], book_dir: str = "book") -> str:
    """MyST ``list-table`` of the claims (included by the intro page)."""
    if not claims:
        return (
            "```{note}\nNo claim has been computed yet: no notebook of the book has "
            "recorded one.\n```\n"
        )
    lines = [
        "````{list-table}",
        ":header-rows: 1",
        ":widths: 6 36 40 8 10",
        ":class: claims-table",
        "",
        "* - id",
        "  - the paper says",
        "  - our run computed",
        "  - holds",
        "  - notebook",
    ]
    for cid, c in claims.items():
        nb = str(c.get("notebook") or "")
        doc = Path(nb).with_suffix("")
        try:
            doc = Path(book_dir) / "executed" / doc.relative_to(book_dir)
            link = f"{{doc}}`{doc.name} </{doc.as_posix()}>`"
        except ValueError:
            link = _md_escape(nb)
        holds = "yes" if c.get("holds") else "**NO**"
        lines += [f"* - {_md_escape(cid)}", f"  - {_md_escape(str(c.get('paper', '')))}"]
        lines += _value_cell(c.get("value"))
        lines += [f"  - {holds}", f"  - {link}"]
    return "\n".join(lines) + "\n````\n"


def write_if_changed(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` only if different (keeps mtimes, so make does no work)."""
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    _atomic_write_text(path, text)
    return True


def write_claims(layout: Layout, entries: list[NotebookEntry]) -> dict[str, dict]:
    """Write ``_build/claims.json`` and ``_build/claims_table.md`` (only if changed)."""
    claims = merge_claims(layout, entries)
    write_if_changed(
        layout.build_dir / "claims.json",
        json.dumps(claims, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
    )
    write_if_changed(
        layout.build_dir / "claims_table.md", render_claims_table(claims, layout.book_dir)
    )
    return claims


def check_claims(layout: Layout) -> int:
    """Print each claim of ``_build/claims.json``; 1 if any does not hold or none exists."""
    path = layout.build_dir / "claims.json"
    if not path.is_file():
        print(f"ERROR: {path} does not exist: build the book first", file=sys.stderr)
        return 1
    claims = json.loads(path.read_text(encoding="utf-8"))
    for cid, c in claims.items():
        print(
            f"{cid}: {'holds' if c['holds'] else 'DOES NOT HOLD'}  ({c['notebook']}) "
            f"{format_value(c['value'])}"
        )
    failing = [cid for cid, c in claims.items() if not c["holds"]]
    if failing or not claims:
        print(
            f"ERROR: claims not reproduced: {', '.join(failing) or 'no claims at all'}",
            file=sys.stderr,
        )
        return 1
    print(f"all {len(claims)} claims hold")
    return 0


# ----------------------------------------------------------------------------------------------
# Command line


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m mtjlib.runner", description=__doc__.split("\n")[0])
    ap.add_argument("--root", type=Path, default=Path.cwd(), help="repository root (default: cwd)")
    ap.add_argument("--force", action="store_true", help="execute every notebook")
    ap.add_argument("--status", action="store_true", help="print staleness; execute nothing")
    ap.add_argument("--keep-going", action="store_true", help="continue after a failed notebook")
    ap.add_argument(
        "--check-claims",
        action="store_true",
        help="execute nothing; exit 1 unless every claim in _build/claims.json holds",
    )
    ap.add_argument("notebooks", nargs="*", help="only these notebooks of the manifest")
    args = ap.parse_args(argv)

    layout = Layout(root=args.root.resolve())
    entries = read_manifest(layout.root / layout.manifest)
    selected = entries
    if args.notebooks:
        wanted = {Path(p).as_posix() for p in args.notebooks}
        selected = [e for e in entries if e.path in wanted]
        missing = wanted - {e.path for e in selected}
        if missing:
            ap.error(f"not in {layout.manifest}: {sorted(missing)}")

    if args.check_claims:
        return check_claims(layout)

    if args.status:
        for e in selected:
            stale, reason, _, mods = staleness(layout, e)
            print(f"{e.path}: {'STALE' if stale else 'ok'} ({reason}); imports {', '.join(mods)}")
        return 0

    t0 = time.perf_counter()
    try:
        report = run(layout, selected, force=args.force, keep_going=args.keep_going)
    except NotebookFailed as exc:
        print(
            f"\nERROR: notebook {exc.notebook} failed; inspect {exc.kept}\n\n{exc}", file=sys.stderr
        )
        return 1
    claims = write_claims(layout, entries)
    held = sum(bool(c["holds"]) for c in claims.values())
    print(
        f"notebooks: {len(report.executed)} executed, {len(report.up_to_date)} up to date "
        f"({time.perf_counter() - t0:.1f} s); claims: {held}/{len(claims)} hold "
        f"-> {layout.build_dir / 'claims.json'}"
    )
    if report.failed:
        print(f"ERROR: failed notebooks: {', '.join(report.failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
