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
which the intro page includes, and the build report (:mod:`mtjbook.build_report`: machine,
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
    python -m mtjbook.runner --out DIR -p n_seeds=10 book/x.ipynb   # a full run of one page
                                        # into DIR (the book's copy and claims untouched)
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from .build_report import machine_info, write_build_report
from .claims import CLAIMS_DIR_ENV, atomic_write_text
from .claims_report import check_claims, claims_of, write_claims
from .manifest import KERNEL_NAME, META_KEY, Layout, NotebookEntry, read_manifest
from .staleness import read_record, sha256_hex, staleness

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


#: The cell timeout (s) of a full run outside the book (:func:`execute_to`, ``make ablation``),
#: whose sweeps run many times the book's seeds in one cell.
FULL_RUN_CELL_TIMEOUT_S = 6 * 3600


#: Longest single wait (s) of the notebook client on one kernel channel. nbclient waits for a
#: cell's reply in one poll as long as the cell's timeout, and for its outputs without any; a
#: wake-up that the event loop misses (seen as a rare, unreproduced hang of cells that display
#: widgets, nbclient issue #312) then stalls until the timeout. Polling in slices of this length
#: finds a message that is already there within this time; it changes nothing else.
POLL_SLICE_S = 1.0


#: How the runner talks to its kernels: ZeroMQ over Unix domain sockets ("ipc") in the kernel's
#: runtime folder (mode 0700), not TCP on 127.0.0.1. A kernel on TCP without CurveZMQ keys logs
#: "Kernel is running over TCP without encryption" (ipykernel >= 7.2) to the build's stderr
#: once per notebook: a warning the reader cannot act on, about a channel that never leaves the
#: machine. IPC sockets are local by construction, need no port and no keys, and the kernel
#: logs nothing; where libzmq has no IPC transport (``zmq.has("ipc")`` false) the runner keeps
#: jupyter_client's TCP default.
KERNEL_TRANSPORT = "ipc"


def _polling_classes():
    """A kernel manager whose clients wait on the shell and IOPub channels in slices of
    :data:`POLL_SLICE_S`, and whose kernels listen on :data:`KERNEL_TRANSPORT` (built on first
    use: jupyter_client is a book-only dependency)."""
    global _POLLING
    if _POLLING is None:
        from queue import Empty

        import zmq
        from jupyter_client.asynchronous.client import AsyncKernelClient
        from jupyter_client.channels import AsyncZMQSocketChannel
        from jupyter_client.manager import AsyncKernelManager
        from traitlets import default

        class SlicedChannel(AsyncZMQSocketChannel):
            async def get_msg(self, timeout=None):
                deadline = None if timeout is None else time.monotonic() + timeout
                while True:
                    left = POLL_SLICE_S if deadline is None else deadline - time.monotonic()
                    try:
                        return await super().get_msg(timeout=max(0.0, min(POLL_SLICE_S, left)))
                    except Empty:
                        if deadline is not None and time.monotonic() >= deadline:
                            raise

        class SlicedClient(AsyncKernelClient):
            shell_channel_class = SlicedChannel
            iopub_channel_class = SlicedChannel

        class SlicedKernelManager(AsyncKernelManager):
            @default("client_factory")
            def _client_factory_default(self):
                return SlicedClient

            @default("transport")
            def _transport_default(self):
                return KERNEL_TRANSPORT if zmq.has(KERNEL_TRANSPORT) else "tcp"

        _POLLING = SlicedKernelManager
    return _POLLING


_POLLING = None


def papermill_execute(
    src: Path, out: Path, params: dict, cwd: Path, env: dict[str, str], kernel: str | None = None,
    *, timeout: float | None = None,
) -> None:
    """Execute ``src`` into ``out`` with papermill; the kernel inherits ``env``; a cell running
    longer than ``timeout`` seconds (default :data:`CELL_TIMEOUT_S`) fails the run.

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
            execution_timeout=CELL_TIMEOUT_S if timeout is None else timeout,
            kernel_manager_class=_polling_classes(),
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
    inputs = {entry.path: sha256_hex(src.read_bytes())}
    inputs.update({m: sha256_hex((layout.root / m).read_bytes()) for m in mods})
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


def execute_to(
    layout: Layout,
    entry: NotebookEntry,
    params: dict,
    out_dir: Path,
    executor: Executor | None = None,
) -> Path:
    """Execute ``entry`` with ``params`` over its book parameters into ``out_dir``.

    For a run beyond the book's time budget (``make ablation``): the book's executed copy, its
    record and ``_build/claims`` are left alone (the kernel's claims, if any, go to
    ``out_dir/claims``). A cell may run up to :data:`FULL_RUN_CELL_TIMEOUT_S` (default
    executor). Returns the executed notebook's path; on failure the executor's error propagates
    and the failed copy stays at that path.
    """
    if executor is None:
        from functools import partial

        executor = partial(papermill_execute, timeout=FULL_RUN_CELL_TIMEOUT_S)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    env = layout.kernel_env()
    env[CLAIMS_DIR_ENV] = str(out_dir / "claims")
    src = layout.root / entry.path
    out = out_dir / Path(entry.path).name
    executor(src, out, {**entry.params, **params}, src.parent, env)
    return out


def _param(text: str) -> tuple[str, object]:
    """``NAME=VALUE`` of ``--param``, the value read as YAML (``10``, ``[1, 2]``, ``null``)."""
    import yaml

    name, sep, value = text.partition("=")
    if not sep or not name.isidentifier():
        raise argparse.ArgumentTypeError(f"{text!r} is not NAME=VALUE")
    return name, yaml.safe_load(value)


def collect_claims(layout: Layout, entries: list[NotebookEntry]) -> dict[str, dict]:
    """Merge the claims of ``entries`` and write ``claims.json`` and the table (if changed)."""
    kept = {e.path: (read_record(layout.executed_path(e.path)) or {}).get("claims") or {}
            for e in entries}
    return write_claims(layout.build_dir, kept, layout.book_dir)


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
    ap.add_argument(
        "--out",
        type=Path,
        help="execute the given notebooks (with --param values) into this folder, not the book",
    )
    ap.add_argument(
        "-p", "--param", type=_param, action="append", default=[],
        help="NAME=VALUE (YAML) for --out runs; repeatable",
    )
    ap.add_argument("notebooks", nargs="*", help="only these notebooks of the manifest")
    args = ap.parse_args(argv)
    if args.param and args.out is None:
        ap.error("--param needs --out (the book's runs use book/notebooks.yml)")

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

    if args.out is not None:
        if not args.notebooks:
            ap.error("--out needs the notebooks to run")
        for e in selected:
            t0 = time.perf_counter()
            out = execute_to(layout, e, dict(args.param), args.out)
            print(f"{e.path}: done in {time.perf_counter() - t0:.1f} s -> {out}")
        return 0

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
