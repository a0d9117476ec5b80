"""Execute the book's notebooks with papermill, only when stale, and collect the paper's claims.

A notebook is *stale* when the hash of what determines its outputs differs from the hash stored
in its executed copy. The hash covers

- the source notebook (its bytes),
- the parameters papermill injects,
- every module of the library ``mtjlib`` and of the book package ``mtjbook`` the notebook
  imports, transitively (found by parsing the notebook's code cells and the modules with
  :mod:`ast`; a package's ``__init__.py`` counts for every notebook that imports from it),
- ``requirements.txt`` (a change of a pinned dependency can change numbers),

so a change to one module re-executes exactly the notebooks that import it. Executed notebooks
go to ``book/executed/`` (git-ignored) and are what the book is built from.

The kernels run with the repository root on ``PYTHONPATH`` (so ``import mtjbook`` works
whatever the kernel's working directory, ``book/``) and with numba's on-disk cache in
``_build/numba/<key>``, the key a hash of every ``mtjlib/*.py``: numba checks only a cached
function's own file, so a kernel calling a changed kernel of another module would otherwise run
stale machine code.

After the notebooks are up to date the claims each notebook recorded (:mod:`mtjbook.claims`) are
merged into ``_build/claims.json`` and rendered as a MyST table in ``_build/claims_table.md``,
which the intro page includes, and the build report (:func:`render_build_report`: machine,
versions, each notebook's execution time, input hash and parameters, the commands) is written to
``_build/build_report.md``, which ``book/build_report.md`` includes. Files are rewritten only when
their content changes (the report's date is the newest notebook execution's, not the time of the
run), so ``make`` does not rebuild the HTML when nothing changed.

Command line (from the repository root)::

    python -m mtjbook.runner            # execute stale notebooks, merge claims
    python -m mtjbook.runner --force    # execute all notebooks of the book
    python -m mtjbook.runner --status   # print which notebooks are stale and why; execute nothing
    python -m mtjbook.runner --check-claims     # exit 1 when a claim's verdict differs from the record
    python -m mtjbook.runner --numba-cache-dir  # print the numba cache directory and exit
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import hashlib
import json
import os
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from .claims import (
    CLAIMS_DIR_ENV,
    atomic_write_text,
    check_claims,
    claims_of,
    write_claims,
    write_if_changed,
)

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


def _cell_to_python(source: str) -> str:
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
            tree = ast.parse(_cell_to_python("".join(src) if isinstance(src, list) else src))
        except SyntaxError:
            continue
        direct |= resolver.imports(tree)
    files = {resolver.file(m) for m in resolver.closure(direct)}
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
    mods = notebook_modules(src, layout.root, layout.packages)
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
    for stale_claim in claims_of(layout.claims_dir, entry.path):
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
        "claims": claims_of(layout.claims_dir, entry.path),
        "seconds": round(seconds, 2),
        "executed_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": "{cpu} ({cores} cores)".format(**machine_info()),
    }
    atomic_write_text(final, nbformat.writes(nb))
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


def collect_claims(layout: Layout, entries: list[NotebookEntry]) -> dict[str, dict]:
    """Merge the claims of ``entries`` and write ``claims.json`` and the table (if changed)."""
    kept = {e.path: (read_record(layout.executed_path(e.path)) or {}).get("claims") or {}
            for e in entries}
    return write_claims(layout.build_dir, kept, layout.book_dir)


# ----------------------------------------------------------------------------------------------
# The build report ("How this book was built")

#: Distributions whose versions the build report lists, in this order.
REPORT_PACKAGES = (
    "numpy", "numba", "llvmlite", "scipy", "matplotlib", "ipywidgets", "papermill",
    "jupyter-book", "sphinx", "myst-nb", "sphinx-book-theme", "cmtj", "reservoirpy",
)


def machine_info() -> dict[str, str]:
    """This machine: CPU model (from ``/proc/cpuinfo`` where there is one), cores, system."""
    import platform

    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.lower().startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "cpu": cpu or platform.processor() or platform.machine() or "unknown",
        "cores": str(os.cpu_count() or "unknown"),
        "system": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
    }


def package_versions(names: Iterable[str] = REPORT_PACKAGES) -> dict[str, str]:
    """Installed version of each distribution in ``names`` ("not installed" if missing)."""
    from importlib import metadata

    out = {}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def _assignments(source: str) -> dict[str, str]:
    """``name -> value source`` of the top-level ``name = value`` statements of a cell."""
    try:
        tree = ast.parse(_cell_to_python(source))
    except SyntaxError:
        return {}
    code = _cell_to_python(source)
    out = {}
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else (
            [node.target] if isinstance(node, ast.AnnAssign) and node.value is not None else [])
        for t in targets:
            if isinstance(t, ast.Name):
                out[t.id] = " ".join((ast.get_source_segment(code, node.value) or "").split())
    return out


def executed_parameters(executed: Path) -> dict[str, str]:
    """The parameters an executed notebook ran with: its ``parameters`` cell's values, replaced by
    those papermill injected (``injected-parameters``), as source text."""
    nb = json.loads(Path(executed).read_text(encoding="utf-8"))
    params: dict[str, str] = {}
    for tag in ("parameters", "injected-parameters"):
        for cell in nb.get("cells", []):
            if cell.get("cell_type") == "code" and tag in cell.get("metadata", {}).get("tags", []):
                src = cell.get("source", "")
                params.update(_assignments("".join(src) if isinstance(src, list) else src))
    return params


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|")


def _papermill_command(entry: NotebookEntry) -> str:
    args = "".join(f" -p {k} {json.dumps(v) if not isinstance(v, str) else v}"
                   for k, v in entry.params.items())
    return f".venv/bin/papermill {entry.path} /tmp/{entry.stem}.ipynb -k {KERNEL_NAME}{args}"


def render_build_report(
    layout: Layout,
    entries: list[NotebookEntry],
    machine: dict[str, str] | None = None,
    versions: dict[str, str] | None = None,
) -> str:
    """The MyST text of the build report, from the records of the executed notebooks.

    Its date is that of the newest notebook execution (the record's ``executed_at``, else the
    executed file's modification time), so the text changes only when a notebook is re-executed
    or the environment changes, never because the report was written again.
    """
    machine = machine_info() if machine is None else machine
    versions = package_versions() if versions is None else versions
    rows, details, dates, machines = [], [], [], set()
    for e in entries:
        out = layout.executed_path(e.path)
        rec = read_record(out) if out.is_file() else None
        doc = out.relative_to(layout.root).with_suffix("").as_posix()
        if rec is None:
            rows.append(f"| {_md_cell(e.path)} | not executed | – | – | – |")
            continue
        when = rec.get("executed_at") or datetime.fromtimestamp(
            out.stat().st_mtime, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        dates.append(when)
        if rec.get("machine"):
            machines.add(rec["machine"])
        params = executed_parameters(out)
        seeds = ", ".join(f"`{k} = {v}`" for k, v in params.items() if "seed" in k) or "–"
        digest = str(rec.get("source_hash", ""))[:12]
        seconds = rec.get("seconds")
        took = f"{seconds:.1f} s" if isinstance(seconds, (int, float)) else "–"
        rows.append(
            f"| {{doc}}`{Path(doc).name} </{doc}>` ({{download}}`.ipynb </{doc}.ipynb>`) "
            f"| {when.replace('T', ' ').replace('Z', ' UTC')} | {took} | `{digest}` "
            f"| {_md_cell(seeds)} |"
        )
        scale = ("the notebook's defaults (the paper's scale)" if not e.params
                 else "manifest parameters " + ", ".join(f"`{k}`" for k in e.params))
        body = "\n".join(f"{k} = {v}" for k, v in params.items()) or "# no parameters cell"
        inputs = "\n".join(f"{h[:12]}  {f}" for f, h in sorted(rec.get("inputs", {}).items()))
        details += [
            f"````{{dropdown}} {e.path}: parameters and inputs",
            f"Executed with {scale}; rerun it alone with",
            "```text", _papermill_command(e), "```",
            "Parameters as executed:",
            "```python", body, "```",
            (f"Inputs (first 12 hex digits of their SHA-256; the input hash `{digest}` covers "
            "these, the parameters and `requirements.txt`):"),
            "```text", inputs or "(none recorded)", "```",
            "````", "",
        ]
    newest = max(dates) if dates else None
    current = f"{machine['cpu']} ({machine['cores']} cores)"
    lines = [
        (f"The notebooks of this edition were last executed on "
         f"**{newest.replace('T', ' ').replace('Z', ' UTC')}**."
         if newest else "No notebook of this edition has been executed yet."),
        "",
        "## Machine and software",
        "",
        "| | this build |",
        "|---|---|",
        f"| CPU | {_md_cell(current)} |",
    ]
    other = sorted(machines - {current})
    if other:
        lines.append(f"| notebooks executed on | {_md_cell('; '.join(sorted(machines)))} |")
    lines += [
        f"| system | {_md_cell(machine['system'])} |",
        f"| Python | {_md_cell(machine['python'])} |",
    ]
    lines += [f"| {_md_cell(k)} | {_md_cell(v)} |" for k, v in versions.items()]
    lines += [
        "",
        "Every other package is pinned in `requirements.txt`.",
        "",
        "## Notebooks",
        "",
        ("Each notebook was executed by papermill (`python -m mtjbook.runner`) when its *input "
        "hash* changed: a SHA-256 of the notebook, its parameters, every module of `mtjlib` and "
        "`mtjbook` it imports and `requirements.txt`. The seeds column lists the parameters "
        "whose name says they are seeds; every parameter is in the notebook's dropdown below."),
        "",
        "| notebook | executed | time | input hash | seeds |",
        "|---|---|---|---|---|",
        *rows,
        "",
        *details,
        "## Reproducing this book",
        "",
        "```text",
        "make book         # venv from requirements.txt, pinned JS assets, stale notebooks, HTML",
        "make check-claims # exit 1 when a verdict differs from the recorded one",
        "make test         # unit tests and every notebook at its quick parameters",
        "```",
        "",
        ("`make book` re-executes only the notebooks whose input hash changed; "
        "`python -m mtjbook.runner --force` re-executes all of them, "
        "`python -m mtjbook.runner --status` says which are stale and why."),
        "",
    ]
    return "\n".join(lines)


def write_build_report(layout: Layout, entries: list[NotebookEntry]) -> bool:
    """Write ``_build/build_report.md`` (:func:`render_build_report`) if its text changed."""
    return write_if_changed(layout.build_dir / "build_report.md",
                            render_build_report(layout, entries))


# ----------------------------------------------------------------------------------------------
# Command line


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m mtjbook.runner", description=__doc__.split("\n")[0])
    ap.add_argument("--root", type=Path, default=Path.cwd(), help="repository root (default: cwd)")
    ap.add_argument("--force", action="store_true", help="execute every notebook")
    ap.add_argument("--status", action="store_true", help="print staleness; execute nothing")
    ap.add_argument("--keep-going", action="store_true", help="continue after a failed notebook")
    ap.add_argument(
        "--check-claims",
        action="store_true",
        help="execute nothing; exit 1 when a claim of _build/claims.json is missing or its "
        "verdict differs from the one recorded in mtjbook.claims.CLAIMS",
    )
    ap.add_argument(
        "--numba-cache-dir",
        action="store_true",
        help="print the numba cache directory the kernels use (keyed by mtjlib's source) and exit",
    )
    ap.add_argument("notebooks", nargs="*", help="only these notebooks of the manifest")
    args = ap.parse_args(argv)

    layout = Layout(root=args.root.resolve())
    if args.numba_cache_dir:
        print(layout.numba_cache_dir)
        return 0
    entries = read_manifest(layout.root / layout.manifest)
    selected = entries
    if args.notebooks:
        wanted = {Path(p).as_posix() for p in args.notebooks}
        selected = [e for e in entries if e.path in wanted]
        missing = wanted - {e.path for e in selected}
        if missing:
            ap.error(f"not in {layout.manifest}: {sorted(missing)}")

    if args.check_claims:
        return check_claims(layout.build_dir / "claims.json")

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
    claims = collect_claims(layout, entries)
    write_build_report(layout, entries)
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
