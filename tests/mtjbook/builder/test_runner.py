"""The book runner: which notebooks are stale, execution records, claims merge and table.

Staleness is tested with tiny fake notebooks and a fake library in a tmp dir and a fake executor
(no kernel); one test executes a real tiny notebook with papermill.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest

from mtjbook.builder import kernels, runner, staleness
from mtjbook.builder import report as build_report
from mtjbook.builder.manifest import Layout, NotebookEntry, read_manifest

PKG = "fakelib"
BOOK = "fakebook"


def _nb(*codes: str, params: str | None = None) -> str:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    if params is not None:
        cell = nbformat.v4.new_code_cell(params)
        cell.metadata["tags"] = ["parameters"]
        nb.cells.append(cell)
    nb.cells += [nbformat.v4.new_code_cell(c) for c in codes]
    return nbformat.writes(nb)


def _write(root: Path, rel: str, text: str) -> Path:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


@pytest.fixture
def book(tmp_path):
    """A repo with fakelib (a, b -> a, c -> b, d standalone), fakebook (pages -> fakelib.c,
    other standalone) and 4 notebooks; nb_page reaches fakelib only through fakebook."""
    root = tmp_path
    _write(root, f"{PKG}/__init__.py", '"""fake library"""\n')
    _write(root, f"{PKG}/a.py", "A = 1\n")
    _write(root, f"{PKG}/b.py", "from .a import A\nB = A + 1\n")
    _write(root, f"{PKG}/c.py", f"def thing_c():\n    from {PKG} import b\n    return b.B\n")
    _write(root, f"{PKG}/d.py", "def thing_d():\n    return 4\n")
    _write(root, f"{BOOK}/__init__.py", "")
    _write(root, f"{BOOK}/pages.py", f"from {PKG}.c import thing_c\n")
    _write(root, f"{BOOK}/other.py", "X = 0\n")
    _write(root, "book/nb_a.ipynb", _nb(f"from {PKG}.a import A\nprint(A)"))
    _write(root, "book/nb_b.ipynb", _nb(f"%matplotlib inline\nimport {PKG}.b as bb\nbb.B"))
    _write(root, "book/nb_page.ipynb", _nb(f"from {BOOK} import pages\npages.thing_c()",
                                           params="n = 3"))
    _write(root, "book/nb_none.ipynb", _nb("print(1)"))
    layout = Layout(root=root, library=PKG, book_package=BOOK)
    entries = [
        NotebookEntry(path=f"book/{n}.ipynb") for n in ("nb_a", "nb_b", "nb_page", "nb_none")
    ]
    return layout, entries


class FakeExecutor:
    """Copies the source to the output like a successful papermill run; records calls."""

    def __init__(self, fail: set[str] = frozenset()):
        self.calls: list[str] = []
        self.fail = fail

    def __call__(self, src, out, params, cwd, env):
        self.calls.append(Path(src).name)
        Path(out).write_text(Path(src).read_text())
        if Path(src).name in self.fail:
            raise RuntimeError(f"boom in {Path(src).name}")


def _run(layout, entries, **kw):
    ex = FakeExecutor(**kw)
    runner.run(layout, entries, executor=ex, log=lambda s: None)
    return sorted(ex.calls)


def test_dependencies_are_found_transitively(book):
    layout, _ = book

    def deps(name):
        files = staleness.notebook_modules(
            layout.root / f"book/{name}.ipynb", layout.root, layout.packages
        )
        return sorted(f.relative_to(layout.root).as_posix() for f in files)

    lib = [f"{PKG}/__init__.py", f"{PKG}/a.py"]
    assert deps("nb_a") == lib
    assert deps("nb_b") == [*lib, f"{PKG}/b.py"]  # b imports .a
    # both packages: fakebook.pages imports fakelib.c, which imports fakelib.b, ...
    assert deps("nb_page") == [f"{BOOK}/__init__.py", f"{BOOK}/pages.py", *lib,
                               f"{PKG}/b.py", f"{PKG}/c.py"]
    assert deps("nb_none") == []


def test_first_run_executes_all_then_nothing(book):
    layout, entries = book
    assert _run(layout, entries) == ["nb_a.ipynb", "nb_b.ipynb", "nb_none.ipynb", "nb_page.ipynb"]
    assert _run(layout, entries) == []
    rec = staleness.read_record(layout.executed_path("book/nb_a.ipynb"))
    assert set(rec["inputs"]) == {"book/nb_a.ipynb", f"{PKG}/__init__.py", f"{PKG}/a.py"}


def test_changed_notebook_reruns_only_itself(book):
    layout, entries = book
    _run(layout, entries)
    p = layout.root / "book/nb_b.ipynb"
    p.write_text(_nb("import fakelib.b as bb\nbb.B + 1"))
    assert _run(layout, entries) == ["nb_b.ipynb"]
    assert _run(layout, entries) == []


def test_touch_without_change_reruns_nothing(book):
    layout, entries = book
    _run(layout, entries)
    for f in [*(layout.root / "book").glob("*.ipynb"), *(layout.root / PKG).glob("*"),
              *(layout.root / BOOK).glob("*")]:
        f.touch()
    assert _run(layout, entries) == []


@pytest.mark.parametrize(
    "module, expected",
    [
        (f"{PKG}/a.py", ["nb_a.ipynb", "nb_b.ipynb", "nb_page.ipynb"]),
        (f"{PKG}/b.py", ["nb_b.ipynb", "nb_page.ipynb"]),
        (f"{PKG}/c.py", ["nb_page.ipynb"]),
        (f"{PKG}/d.py", []),
        (f"{PKG}/__init__.py", ["nb_a.ipynb", "nb_b.ipynb", "nb_page.ipynb"]),
        (f"{BOOK}/pages.py", ["nb_page.ipynb"]),
        (f"{BOOK}/other.py", []),
        (f"{BOOK}/__init__.py", ["nb_page.ipynb"]),
    ],
)
def test_changed_module_reruns_its_importers(book, module, expected):
    layout, entries = book
    _run(layout, entries)
    with open(layout.root / module, "a") as fh:
        fh.write("\n# changed\n")
    assert _run(layout, entries) == expected
    assert _run(layout, entries) == []


def test_new_module_imported_later_is_tracked(book):
    layout, entries = book
    _run(layout, entries)
    lib = layout.root / PKG
    (lib / "e.py").write_text("E = 5\n")
    assert _run(layout, entries) == []  # nobody imports it yet
    (lib / "d.py").write_text("from .e import E\ndef thing_d():\n    return E\n")
    assert _run(layout, entries) == []  # nobody imports d
    (lib / "a.py").write_text("from . import d\nA = 1\n")
    assert _run(layout, entries) == ["nb_a.ipynb", "nb_b.ipynb", "nb_page.ipynb"]
    (lib / "e.py").write_text("E = 6\n")
    assert _run(layout, entries) == ["nb_a.ipynb", "nb_b.ipynb", "nb_page.ipynb"]
    # the book package's new module counts as soon as a notebook's module imports it
    (layout.root / BOOK / "other.py").write_text(f"from {PKG}.d import thing_d\n")
    assert _run(layout, entries) == []
    (layout.root / BOOK / "pages.py").write_text(f"from {PKG}.c import thing_c\nfrom . import other\n")
    assert _run(layout, entries) == ["nb_page.ipynb"]
    (lib / "e.py").write_text("E = 7\n")
    assert _run(layout, entries) == ["nb_a.ipynb", "nb_b.ipynb", "nb_page.ipynb"]


def test_changed_parameters_rerun(book):
    layout, entries = book
    _run(layout, entries)
    entries[2] = NotebookEntry(path="book/nb_page.ipynb", params={"n": 5})
    assert _run(layout, entries) == ["nb_page.ipynb"]
    assert staleness.read_record(layout.executed_path("book/nb_page.ipynb"))["parameters"] == {"n": 5}


def test_numba_cache_dir_is_keyed_by_every_library_file(book):
    """numba checks only a cached function's own file: the cache directory changes whenever any
    library file changes (not when the book package changes), and the kernels get it."""
    layout, _ = book
    d0 = layout.numba_cache_dir
    assert d0.parent == layout.build_dir / "numba" and len(d0.name) == 12
    int(d0.name, 16)  # hex
    (layout.root / BOOK / "pages.py").write_text("# book change\n")
    assert layout.numba_cache_dir == d0
    (layout.root / PKG / "d.py").write_text("def thing_d():\n    return 5\n")
    d1 = layout.numba_cache_dir
    assert d1 != d0
    (layout.root / PKG / "d.py").write_text("def thing_d():\n    return 4\n")
    assert layout.numba_cache_dir == d0  # content, not mtime
    env = layout.kernel_env()
    assert env["NUMBA_CACHE_DIR"] == str(d0)
    assert env["PYTHONPATH"].split(os.pathsep)[0] == str(layout.root)
    assert env["MTJBOOK_CLAIMS_DIR"] == str(layout.claims_dir)


def test_failure_keeps_notebook_and_previous_output(book):
    layout, entries = book
    _run(layout, entries)
    (layout.root / "book/nb_a.ipynb").write_text(_nb("raise ValueError('x')"))
    ex = FakeExecutor(fail={"nb_a.ipynb"})
    with pytest.raises(runner.NotebookFailed) as info:
        runner.run(layout, entries, executor=ex, log=lambda s: None)
    assert info.value.notebook == "book/nb_a.ipynb"
    assert (layout.failed_dir / "nb_a.ipynb").is_file()
    # the stale executed copy is still there and still stale: the next run retries it
    assert staleness.staleness(layout, entries[0])[0]
    assert _run(layout, entries) == ["nb_a.ipynb"]
    assert not (layout.failed_dir / "nb_a.ipynb").exists()


def test_manifest_validation(tmp_path):
    m = _write(tmp_path, "nb.yml", "- path: book/a.ipynb\n  quick: {n: 1}\n- path: book/b.ipynb\n")
    entries = read_manifest(m)
    assert [e.path for e in entries] == ["book/a.ipynb", "book/b.ipynb"]
    assert entries[0].quick == {"n": 1} and entries[1].params == {}
    _write(tmp_path, "bad.yml", "- path: book/a.ipynb\n  qick: {}\n")
    with pytest.raises(ValueError, match="unknown keys"):
        read_manifest(tmp_path / "bad.yml")
    _write(tmp_path, "dup.yml", "- path: book/a.ipynb\n- path: book/a.ipynb\n")
    with pytest.raises(ValueError, match="twice"):
        read_manifest(tmp_path / "dup.yml")


def test_claims_merge_and_table(book):
    layout, entries = book
    layout.claims_dir.mkdir(parents=True)

    def executor(src, out, params, cwd, env):
        Path(out).write_text(Path(src).read_text())
        name = Path(src).name
        if name in ("nb_a.ipynb", "nb_b.ipynb"):
            cid = {"nb_a.ipynb": "F1d", "nb_b.ipynb": "F1c"}[name]
            Path(env["MTJBOOK_CLAIMS_DIR"], f"{cid}.json").write_text(
                json.dumps(
                    {
                        "paper": "a | claim",
                        "value": {"delta_r_ohm": {"0.8e10": 114.04}, "n": 3},
                        "holds": name == "nb_a.ipynb",
                        "notebook": f"book/{name}",
                    }
                )
            )

    # a claim from a notebook that is not in the book is ignored
    (layout.claims_dir / "F4.json").write_text(
        json.dumps({"paper": "x", "value": 1, "holds": True, "notebook": "book/other.ipynb"})
    )
    runner.run(layout, entries, executor=executor, log=lambda s: None)
    claims = runner.collect_claims(layout, entries)
    assert list(claims) == ["F1c", "F1d"]
    assert claims["F1d"] == {
        "paper": "a | claim",
        "value": {"delta_r_ohm": {"0.8e10": 114.04}, "n": 3},
        "holds": True,
        "notebook": "book/nb_a.ipynb",
    }
    assert json.loads((layout.build_dir / "claims.json").read_text()) == claims
    table = (layout.build_dir / "claims_table.md").read_text()
    assert "- `delta_r_ohm` = (0.8e10 = 114)\n    - `n` = 3\n" in table
    assert "a \\| claim" in table and "`does NOT hold`" in table and "`holds`" in table
    assert "</book/executed/nb_a>" in table

    # claims survive the loss of _build/claims (they are kept in the executed notebooks)
    mtime = (layout.build_dir / "claims.json").stat().st_mtime_ns
    for f in layout.claims_dir.glob("*.json"):
        f.unlink()
    assert runner.collect_claims(layout, entries) == claims
    assert (layout.build_dir / "claims.json").stat().st_mtime_ns == mtime  # unchanged: not written


MACHINE = {"cpu": "Test CPU 9000", "cores": "2", "system": "Linux 6 (x86_64)",
           "python": "CPython 3.11.9"}


def test_executed_parameters_injected_override_defaults(tmp_path):
    nb = nbformat.v4.new_notebook()
    for tags, code in ((["parameters"], "seed = 1  # the figure's\nn_mtj: int = 40\nx = [1,\n 2]"),
                       (["injected-parameters"], "seed = 7\n"), ([], "seed = 99\n")):
        cell = nbformat.v4.new_code_cell(code)
        cell.metadata["tags"] = tags
        nb.cells.append(cell)
    f = tmp_path / "x.ipynb"
    f.write_text(nbformat.writes(nb))
    assert build_report.executed_parameters(f) == {"seed": "7", "n_mtj": "40", "x": "[1, 2]"}


def test_build_report(book):
    layout, entries = book
    entries[2] = NotebookEntry(path=entries[2].path, params={"n": 5})
    text = build_report.render_build_report(layout, entries, MACHINE, {"numpy": "1.0"})
    assert text.count("| not executed |") == 4 and "has been executed yet" in text
    _run(layout, entries)
    rec = {e.path: staleness.read_record(layout.executed_path(e.path)) for e in entries}
    newest = max(r["executed_at"] for r in rec.values())
    text = build_report.render_build_report(layout, entries, MACHINE, {"numpy": "1.0"})
    assert f"last executed on **{newest.replace('T', ' ').replace('Z', ' UTC')}**" in text
    assert "| CPU | Test CPU 9000 (2 cores) |" in text and "| numpy | 1.0 |" in text
    for e in entries:  # one row per notebook: link, download, input hash
        digest = rec[e.path]["source_hash"][:12]
        assert f"{{doc}}`{e.stem} </book/executed/{e.stem}>`" in text
        assert f"{{download}}`.ipynb </book/executed/{e.stem}.ipynb>`" in text
        assert f"`{digest}`" in text
    # the fake executor copies the source, so the parameters cell holds the defaults (n = 3)
    assert "n = 3" in text and "-p n 5" in text
    # writing it again changes nothing: no new date, no rewrite
    assert build_report.write_build_report(layout, entries) is True
    assert build_report.write_build_report(layout, entries) is False
    # a re-executed notebook moves the date
    _write(layout.root, "book/nb_none.ipynb", _nb("print(2)"))
    _run(layout, entries)
    later = staleness.read_record(layout.executed_path("book/nb_none.ipynb"))["executed_at"]
    assert later >= newest
    assert later.replace("T", " ").replace("Z", " UTC") in build_report.render_build_report(
        layout, entries, MACHINE, {})


@pytest.mark.slow
def test_papermill_execution_end_to_end(tmp_path):
    """A real papermill run: parameters injected and tagged remove-cell, env vars, claims."""
    root = tmp_path
    _write(root, f"{PKG}/__init__.py", "")
    _write(root, f"{BOOK}/__init__.py", "")
    _write(root, f"{BOOK}/mod.py", "")
    code = (
        "import json, os, pathlib\n"
        "d = pathlib.Path(os.environ['MTJBOOK_CLAIMS_DIR'])\n"
        "d.mkdir(parents=True, exist_ok=True)\n"
        "(d / 'F1c.json').write_text(json.dumps({'paper': 'p', 'value': n, 'holds': n > 2,"
        " 'notebook': 'book/real.ipynb'}))\n"
        "assert pathlib.Path(os.environ['NUMBA_CACHE_DIR']).parent.name == 'numba'\n"
        "import fakebook.mod\n"  # the root is on the kernel's path (its cwd is book/)
    )
    _write(root, "book/real.ipynb", _nb(code, params="n = 1"))
    _write(root, "book/broken.ipynb", _nb("raise RuntimeError('broken on purpose')"))
    layout = Layout(root=root, library=PKG, book_package=BOOK)
    entry = NotebookEntry(path="book/real.ipynb", params={"n": 3})
    rep = runner.run(layout, [entry], log=lambda s: None)
    assert rep.executed == ["book/real.ipynb"]
    nb = nbformat.read(layout.executed_path(entry.path), as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "remove-cell" in injected[0].metadata["tags"]
    assert runner.collect_claims(layout, [entry])["F1c"]["holds"] is True

    bad = NotebookEntry(path="book/broken.ipynb")
    with pytest.raises(runner.NotebookFailed, match="broken on purpose"):
        runner.run(layout, [bad], log=lambda s: None)
    assert (layout.failed_dir / "broken.ipynb").is_file()
    assert not layout.executed_path(bad.path).exists()


@pytest.mark.slow
def test_sliced_polling_keeps_widgets_and_the_cell_timeout(tmp_path, monkeypatch):
    """The kernel client waits on its channels in slices (a missed wake-up costs at most one
    slice, not the cell timeout): a widget cell still gives its output and widget state, and a
    cell longer than the timeout still fails."""
    src = tmp_path / "w.ipynb"
    src.write_text(_nb(
        "from ipywidgets import IntSlider, interact\n"
        "interact(lambda k=1: print('k =', k), k=IntSlider(min=0, max=3, value=2));"
    ), encoding="utf-8")
    out = tmp_path / "out.ipynb"
    kernel = kernels.ensure_kernel()
    kernels.papermill_execute(src, out, {}, tmp_path, {}, kernel=kernel)
    nb = nbformat.read(out, as_version=4)
    assert "widget-view" in json.dumps(nb.cells[-1].outputs)
    assert "k = 2" in json.dumps(nb.metadata["widgets"])  # the Output widget's captured print
    km = kernels.polling_classes()(kernel_name=kernel)
    assert type(km.client().shell_channel).__name__ == "SlicedChannel"

    slow = tmp_path / "slow.ipynb"
    slow.write_text(_nb("import time\ntime.sleep(30)"), encoding="utf-8")
    monkeypatch.setattr(kernels, "CELL_TIMEOUT_S", 3)
    import papermill

    with pytest.raises((papermill.PapermillExecutionError, TimeoutError, RuntimeError)):
        kernels.papermill_execute(slow, tmp_path / "slow_out.ipynb", {}, tmp_path, {},
                                 kernel=kernel)


@pytest.mark.slow
def test_kernels_talk_over_ipc_and_print_no_warning(tmp_path, capfd):
    """The runner's kernels listen on Unix domain sockets, not TCP: ipykernel's "running over
    TCP without encryption" warning (printed once per notebook on TCP) is gone, and the kernel
    prints no other warning to the build's terminal (issue 24)."""
    import zmq

    if not zmq.has("ipc"):
        pytest.skip("this libzmq has no IPC transport: the runner keeps TCP")
    kernel = kernels.ensure_kernel()
    assert kernels.polling_classes()(kernel_name=kernel).transport == "ipc"
    src = tmp_path / "quiet.ipynb"
    src.write_text(_nb("print('hello from the kernel')"), encoding="utf-8")
    capfd.readouterr()
    kernels.papermill_execute(src, tmp_path / "out.ipynb", {}, tmp_path, {}, kernel=kernel)
    out, err = capfd.readouterr()
    assert "hello from the kernel" in nbformat.read(tmp_path / "out.ipynb", as_version=4) \
        .cells[-1].outputs[0]["text"]
    assert "without encryption" not in out + err
    assert "warning" not in err.lower(), f"the kernel warned on the build's stderr: {err!r}"


def test_execute_to_leaves_the_book_alone(book, tmp_path):
    # a full run of one page (make ablation): its parameters over the book's, its own folder
    # and claims directory; the book's executed copy and claims are not touched
    layout, _ = book
    seen = {}

    def executor(src, out, params, cwd, env):
        seen.update(params=params, claims=env["MTJBOOK_CLAIMS_DIR"], out=out)
        Path(out).write_text(Path(src).read_text())

    entry = NotebookEntry(path="book/nb_page.ipynb", params={"n": 3, "m": 1})
    out = runner.execute_to(layout, entry, {"n": 10}, tmp_path / "full", executor)
    assert out == tmp_path / "full" / "nb_page.ipynb" and out.is_file()
    assert seen["params"] == {"n": 10, "m": 1}
    assert seen["claims"] == str(tmp_path / "full" / "claims")
    assert not layout.executed_path(entry.path).exists()
    assert runner._param("n_seeds=10") == ("n_seeds", 10)
    assert runner._param("xs=[1, 2]") == ("xs", [1, 2])
    with pytest.raises(Exception, match="NAME=VALUE"):
        runner._param("10")


# ----------------------------------------------------------------------------------------------
# The static book keeps no ipywidgets (issue 23: dead sliders, their state and widget JS)

VIEW = "application/vnd.jupyter.widget-view+json"
STATE = "application/vnd.jupyter.widget-state+json"


def _widget_notebook():
    """A notebook as papermill leaves it after a widget cell: views, state, other outputs."""
    nb = nbformat.v4.new_notebook()
    view = {VIEW: {"version_major": 2, "version_minor": 0, "model_id": "abc"}}
    slider = nbformat.v4.new_code_cell("interact(f, k=IntSlider())")
    slider.outputs = [
        nbformat.v4.new_output("display_data", data={**view, "text/plain": "interactive(...)"}),
        nbformat.v4.new_output("stream", name="stdout", text="hello\n"),
    ]
    bare = nbformat.v4.new_code_cell("IntSlider()")
    bare.outputs = [nbformat.v4.new_output("execute_result", data=dict(view), execution_count=2)]
    rich = nbformat.v4.new_code_cell("both()")
    rich.outputs = [nbformat.v4.new_output(
        "display_data", data={**view, "text/plain": "Fig", "image/png": "iVBORw0KGgo="})]
    plotly = nbformat.v4.new_code_cell("figure()")
    plotly.outputs = [nbformat.v4.new_output(
        "display_data", data={"text/html": "<div class='mtj-interactive'></div>",
                              "application/vnd.plotly.v1+json": {"data": []}})]
    nb.cells = [nbformat.v4.new_markdown_cell("# page"), slider, bare, rich, plotly]
    nb.metadata["widgets"] = {STATE: {"state": {"abc": {}}, "version_major": 2}}
    return nb


def test_drop_widgets_of_removes_views_and_state_and_keeps_the_rest():
    nb = _widget_notebook()
    assert runner.drop_widgets_of(nb) == 3
    assert VIEW not in json.dumps(nb.cells) and "widgets" not in nb.metadata
    _, slider, bare, rich, plotly = nb.cells
    # the widget's text/plain repr alone means nothing: that output goes; the print stays
    assert [o.output_type for o in slider.outputs] == ["stream"]
    assert bare.outputs == []
    # an output that shows something besides the widget keeps it (the image)
    assert set(rich.outputs[0].data) == {"text/plain", "image/png"}
    # Plotly figures are what the static book's reader moves: untouched
    assert set(plotly.outputs[0].data) == {"text/html", "application/vnd.plotly.v1+json"}
    nbformat.validate(nb)
    assert runner.drop_widgets_of(nb) == 0  # idempotent


def test_drop_widgets_rewrites_the_file_and_the_runner_applies_it(book, tmp_path):
    path = tmp_path / "w.ipynb"
    path.write_text(nbformat.writes(_widget_notebook()), encoding="utf-8")
    nb = runner.drop_widgets(path)
    assert "widgets" not in nb.metadata
    assert VIEW not in path.read_text(encoding="utf-8")

    # through the pipeline: an executor that leaves widgets gives a book copy without them
    layout, entries = book

    def executor(src, out, params, cwd, env):
        Path(out).write_text(nbformat.writes(_widget_notebook()), encoding="utf-8")

    runner.run(layout, entries[:1], executor=executor, log=lambda s: None)
    text = layout.executed_path(entries[0].path).read_text(encoding="utf-8")
    assert VIEW not in text and STATE not in text
