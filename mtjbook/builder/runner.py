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
``_build/numba/<key>``, the key a hash of every ``.py`` under ``mtjlib/``: numba checks only a
cached function's own file, so a kernel calling a changed kernel of another module would otherwise
run stale machine code. Running one notebook (the kernelspec, the cell timeout, papermill and the
kernel client) is :mod:`mtjbook.builder.kernels`; this module decides what runs and what is kept.

An executed copy keeps no ipywidgets (:func:`drop_widgets`): the static book has no kernel, so
its sliders would be dead controls with their state and the widget manager's JavaScript weighing
on the page. The live sliders run in JupyterLab (``make lab``, :mod:`mtjbook.builder.lab`); the figures a
reader of the static book can move are Plotly figures (:mod:`mtjbook.pages.interactive`).

After the notebooks are up to date the claims each notebook recorded (:mod:`mtjbook.claims.record`) are
merged into ``_build/claims.json`` and rendered as a MyST table in ``_build/claims_table.md``,
which the intro page includes, and the build report (:mod:`mtjbook.builder.report`: machine,
versions, each notebook's execution time, input hash and parameters, the commands) is written to
``_build/build_report.md``, which ``book/build_report.md`` includes. Files are rewritten only when
their content changes (the report's date is the newest notebook execution's, not the time of the
run), so ``make`` does not rebuild the HTML when nothing changed.

Command line (from the repository root)::

    python -m mtjbook.builder.runner            # execute stale notebooks, merge claims
    python -m mtjbook.builder.runner --force    # execute all notebooks of the book
    python -m mtjbook.builder.runner --status   # print which notebooks are stale and why; execute nothing
    python -m mtjbook.builder.runner --check-claims     # exit 1 when a claim's verdict differs from the
    record python -m mtjbook.builder.runner --numba-cache-dir  # print the numba cache directory and exit
    python -m mtjbook.builder.runner --out DIR -p n_seeds=10 book/x.ipynb   # a full run of one page
                                        # into DIR (the book's copy and claims untouched)
    python -m mtjbook.builder.runner --out DIR --quick book/x.ipynb  # the same at its quick parameters

A build holds the build lock (:mod:`mtjbook.builder.guard`: a second one stops at once), checks that
``_build/`` and ``book/executed/`` can be written, and handles SIGTERM as Ctrl-C; whatever stops
it, ``claims.json`` is merged only from the executed copies, each written whole or not at all.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from mtjbook.builder.guard import (
    BuildDiskError,
    BuildLocked,
    build_lock,
    check_writable,
    disk_error,
    is_disk_error,
)
from mtjbook.builder.kernels import FULL_RUN_CELL_TIMEOUT_S, error_summary, papermill_execute
from mtjbook.builder.manifest import META_KEY, Layout, NotebookEntry, read_manifest
from mtjbook.builder.report import machine_info, write_build_report
from mtjbook.builder.staleness import read_record, sha256_hex, staleness
from mtjbook.claims.record import CLAIMS_DIR_ENV, atomic_write_text
from mtjbook.claims.report import check_claims, claims_of, write_claims

# ----------------------------------------------------------------------------------------------
# Execution


class NotebookFailed(RuntimeError):
    """A notebook raised during execution; ``kept`` is the failed executed copy."""

    def __init__(self, notebook: str, kept: Path, message: str):
        super().__init__(f"{notebook} failed (executed copy kept at {kept}):\n{message}")
        self.notebook = notebook
        self.kept = kept


#: The mimetype of an output that displays an ipywidget (a reference into the widget state).
WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"
#: The notebook metadata key of the saved widget state (every widget's model, Output widgets'
#: captured outputs included).
WIDGET_STATE_KEY = "widgets"


def drop_widgets_of(nb) -> int:
    """Remove the ipywidgets of notebook ``nb`` (in place); returns how many outputs changed.

    The static book has no kernel: an ipywidgets slider there renders but does nothing, while
    its state and the widget manager's JavaScript (require.js, @jupyter-widgets/html-manager)
    weigh on the page. The live sliders run in JupyterLab (``make lab``), where the notebook is
    executed anew; the controls a reader of the static book can move are Plotly figures, which
    are kept.

    Every output's widget-view entry (``application/vnd.jupyter.widget-view+json``) is removed.
    What remains of that output is kept when it shows something else (an image, HTML), and the
    output is dropped when nothing or only ``text/plain`` remains (the widget's repr, e.g.
    ``IntSlider(value=3)``, which means nothing without the widget). The saved widget state,
    ``nb.metadata["widgets"]``, is removed.
    """
    changed = 0
    for cell in nb.cells:
        outputs = cell.get("outputs")
        if not outputs:
            continue
        kept = []
        for out in outputs:
            data = out.get("data")
            if not data or WIDGET_VIEW_MIME not in data:
                kept.append(out)
                continue
            changed += 1
            del data[WIDGET_VIEW_MIME]
            if set(data) - {"text/plain"}:
                kept.append(out)
        cell["outputs"] = kept
    nb.metadata.pop(WIDGET_STATE_KEY, None)
    return changed


def drop_widgets(path: Path):
    """Read the executed notebook at ``path`` without its ipywidgets (:func:`drop_widgets_of`;
    the file is rewritten when it held any) and return it.

    The runner applies it to each notebook papermill executed for the book, before the copy is
    written into ``book/executed/``: the static book's sliders would be dead without a kernel,
    and the live ones run in ``make lab``.
    """
    import nbformat

    nb = nbformat.read(path, as_version=4)
    had_state = WIDGET_STATE_KEY in nb.metadata
    if drop_widgets_of(nb) or had_state:
        Path(path).write_text(nbformat.writes(nb), encoding="utf-8")
    return nb


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
    tagged ``remove-cell``, its ipywidgets dropped (:func:`drop_widgets`) and the runner's record
    in its metadata. On failure the failed copy is
    kept in ``_build/failed/`` and :class:`NotebookFailed` is raised. When the run is interrupted
    (Ctrl-C, SIGTERM) or a write fails for want of space or permission, the partial copy is
    deleted and the exception propagates; the previous executed copy stays, and its record (not
    what the interrupted kernel wrote to ``_build/claims``) is what the claims are merged from.
    """
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
        if is_disk_error(exc):  # papermill could not save its copy: name it
            work.unlink(missing_ok=True)
            if exc.filename is None:
                raise OSError(exc.errno, exc.strerror, str(work)) from exc
            raise
        kept = layout.failed_dir / Path(entry.path).name
        kept.parent.mkdir(parents=True, exist_ok=True)
        if work.is_file():
            shutil.move(str(work), kept)
        raise NotebookFailed(entry.path, kept, error_summary(exc)) from exc
    except BaseException:
        work.unlink(missing_ok=True)
        raise
    seconds = time.perf_counter() - t0
    try:
        _keep_executed(layout, entry, digest, mods, work, final, seconds)
    finally:
        work.unlink(missing_ok=True)
    (layout.failed_dir / Path(entry.path).name).unlink(missing_ok=True)
    return seconds


def _keep_executed(layout: Layout, entry: NotebookEntry, digest: str, mods: list[str],
                   work: Path, final: Path, seconds: float) -> None:
    """Write the executed copy ``final`` from papermill's output ``work``, with its record."""
    import nbformat

    src = layout.root / entry.path
    nb = drop_widgets(work)
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
    out_dir = Path(out_dir).resolve()  # the kernel runs in the notebook's folder
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
    ap = argparse.ArgumentParser(prog="python -m mtjbook.builder.runner", description=__doc__.split("\n")[0])
    ap.add_argument("--root", type=Path, default=Path.cwd(), help="repository root (default: cwd)")
    ap.add_argument("--force", action="store_true", help="execute every notebook")
    ap.add_argument("--status", action="store_true", help="print staleness; execute nothing")
    ap.add_argument("--keep-going", action="store_true", help="continue after a failed notebook")
    ap.add_argument(
        "--check-claims",
        action="store_true",
        help="execute nothing; exit 1 when a claim of _build/claims.json is missing or its "
        "verdict differs from the one recorded in mtjbook.claims.record.CLAIMS",
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
    ap.add_argument(
        "--quick", action="store_true",
        help="--out runs start from the notebooks' quick (CI) parameters, not the book's",
    )
    ap.add_argument("notebooks", nargs="*", help="only these notebooks of the manifest")
    args = ap.parse_args(argv)
    if (args.param or args.quick) and args.out is None:
        ap.error("--param and --quick need --out (the book's runs use book/notebooks.yml)")

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
            if args.quick:
                e = NotebookEntry(path=e.path, quick=e.quick, params=e.quick)
            out = execute_to(layout, e, dict(args.param), args.out)
            print(f"{e.path}: done in {time.perf_counter() - t0:.1f} s -> {out}")
        return 0

    if args.status:
        for e in selected:
            stale, reason, _, mods = staleness(layout, e)
            print(f"{e.path}: {'STALE' if stale else 'ok'} ({reason}); imports {', '.join(mods)}")
        return 0

    return build(layout, entries, selected, force=args.force, keep_going=args.keep_going)


def _sigterm_as_interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def build(layout: Layout, entries: list[NotebookEntry], selected: list[NotebookEntry],
          force: bool = False, keep_going: bool = False,
          executor: Executor = papermill_execute) -> int:
    """The runner's build: hold the build lock (:mod:`mtjbook.builder.guard`), check that the
    build folders can be written, execute the stale notebooks of ``selected``, merge the claims
    of ``entries`` and write the build report; returns the exit status.

    SIGTERM is handled as Ctrl-C: the running kernel is shut down and the partial executed copy
    deleted (:func:`execute_entry`); claims and report are merged only after every notebook ran,
    so an interrupted build changes neither.
    """
    t0 = time.perf_counter()
    previous = signal.signal(signal.SIGTERM, _sigterm_as_interrupt)
    try:
        with build_lock(layout.build_dir, "python -m mtjbook.builder.runner"):
            check_writable([layout.build_dir, layout.executed_dir, layout.claims_dir])
            # what a killed build was executing (papermill's partial copies): never a result
            shutil.rmtree(layout.build_dir / "running", ignore_errors=True)
            report = run(layout, selected, force=force, keep_going=keep_going, executor=executor)
            claims = collect_claims(layout, entries)
            write_build_report(layout, entries)
    except NotebookFailed as exc:
        print(
            f"\nERROR: notebook {exc.notebook} failed; inspect {exc.kept}\n\n{exc}", file=sys.stderr
        )
        if "No space left on device" in str(exc):
            print(f"ERROR: {exc.notebook} failed because a disk is full (the traceback above names "
                  "the file); free some space and run the build again", file=sys.stderr)
        return 1
    except BuildLocked as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 75
    except BuildDiskError as exc:
        print(f"ERROR: {exc.strerror}", file=sys.stderr)
        return 1
    except OSError as exc:
        if not is_disk_error(exc):
            raise
        print(f"ERROR: {disk_error(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ninterrupted: the notebook that was running keeps its previous executed copy "
              "and claims.json its previous claims (it is merged from the executed copies, after "
              "every notebook ran); the next build re-executes what is stale", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)
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
