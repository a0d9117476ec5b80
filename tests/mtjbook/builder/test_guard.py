"""What a build promises when something stops it (mtjbook.builder.guard, mtjbook.builder.runner):

- a second build in the same checkout stops at once with a message; the lock goes with its
  holder, also after SIGKILL;
- a full or unwritable build folder fails within seconds, naming the path, and leaves no
  half-written executed notebook or claims file;
- interrupting a real runner (SIGINT, SIGTERM, SIGKILL of the runner or of its kernel, in the
  middle of a notebook) leaves nothing a later build takes for a result: the next build's
  claims.json is identical to that of an uninterrupted build;
- the claims comparison of ``make check-determinism`` reports every differing field.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import nbformat
import pytest

from mtjbook.builder import guard as build_guard
from mtjbook.builder import runner
from mtjbook.builder.manifest import Layout, NotebookEntry
from mtjbook.claims import report as claims_report

ROOT = Path(__file__).resolve().parents[3]


def _guard_cli(*args, **kw):
    return subprocess.Popen([sys.executable, "-m", "mtjbook.builder.guard", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def _wait_for(cond, timeout=60.0, what="condition"):
    t_end = time.monotonic() + timeout
    while time.monotonic() < t_end:
        if cond():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


# ----------------------------------------------------------------------------------------------
# The lock


def test_second_build_stops_at_once_and_sigkill_releases_the_lock(tmp_path, monkeypatch):
    monkeypatch.delenv(build_guard.LOCK_ENV, raising=False)
    build = tmp_path / "_build"
    first = _guard_cli("lock", str(build), "--", "sleep", "60")
    lock = build / build_guard.LOCK_NAME
    _wait_for(lambda: lock.is_file() and lock.read_text().strip(), timeout=120,
              what="the first build's lock")
    try:
        t0 = time.monotonic()
        second = _guard_cli("lock", str(build), "--", "true")
        _, err = second.communicate(timeout=30)
        assert second.returncode == 75 and time.monotonic() - t0 < 10
        assert "another build is running" in err and f"pid {first.pid}" in err
        with pytest.raises(build_guard.BuildLocked, match=str(lock)), \
                build_guard.build_lock(build, "test"):
            pass
        # the runner itself refuses too, and touches nothing
        assert runner.build(Layout(root=tmp_path), [], []) == 75
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    with build_guard.build_lock(build, "test"):  # released by the kernel with its holder
        assert os.environ[build_guard.LOCK_ENV] == str(lock.resolve())
        with build_guard.build_lock(build, "nested"):  # a process under the lock does not retake
            pass
    assert build_guard.LOCK_ENV not in os.environ


def test_the_lock_is_inherited_by_the_command_it_runs(tmp_path, monkeypatch):
    """`make book` runs make under the lock; the runner that make starts sees it held by its
    build and runs, while an unrelated build is refused."""
    monkeypatch.delenv(build_guard.LOCK_ENV, raising=False)
    build = tmp_path / "_build"
    inner = (f"import sys; sys.path.insert(0, {str(ROOT)!r}); from mtjbook.builder import guard as build_guard; "
             f"build_guard.build_lock({str(build)!r}, 'inner').__enter__(); print('ran')")
    p = _guard_cli("lock", str(build), "--", sys.executable, "-c", inner)
    out, err = p.communicate(timeout=60)
    assert p.returncode == 0 and out.strip() == "ran", err


@pytest.mark.parametrize("target", ["book", "html"])
def test_make_book_and_html_take_the_lock(tmp_path, monkeypatch, target):
    """The Makefile's book and html targets run under the lock: while another build holds it,
    they stop at once, before building anything."""
    monkeypatch.delenv(build_guard.LOCK_ENV, raising=False)
    (tmp_path / "Makefile").write_text((ROOT / "Makefile").read_text())
    (tmp_path / "mtjbook").symlink_to(ROOT / "mtjbook")
    with build_guard.build_lock(tmp_path / "_build", "the other build"):
        env = {k: v for k, v in os.environ.items() if k != build_guard.LOCK_ENV}
        t0 = time.monotonic()
        p = subprocess.run(["make", "-C", str(tmp_path), target], capture_output=True, text=True,
                           env=env, timeout=60, check=False)
    assert p.returncode != 0 and time.monotonic() - t0 < 30
    assert f"another build is running in this checkout (pid {os.getpid()}" in p.stderr
    assert sorted(q.name for q in (tmp_path / "_build").iterdir()) == [build_guard.LOCK_NAME]
    assert not (tmp_path / ".venv").exists()


# ----------------------------------------------------------------------------------------------
# Unwritable or full build folder


def _enospc(*a, **k):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_check_writable_names_the_folder(tmp_path, monkeypatch):
    build_guard.check_writable([tmp_path / "a" / "b"], min_free=0)
    assert not list((tmp_path / "a" / "b").iterdir())  # the probe is gone
    with pytest.raises(build_guard.BuildDiskError, match=r"only .* MB free in .*needs at least"):
        build_guard.check_writable([tmp_path], min_free=2**62)
    monkeypatch.setattr(os, "write", _enospc)
    with pytest.raises(build_guard.BuildDiskError,
                       match=f"cannot write {tmp_path}.*No space left on device.*free some space"):
        build_guard.check_writable([tmp_path], min_free=0)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".write-probe")]


def test_a_build_folder_that_is_a_file_fails_at_once_naming_it(tmp_path, capsys):
    (tmp_path / "_build").write_text("not a folder")
    t0 = time.monotonic()
    assert runner.build(Layout(root=tmp_path), [], []) == 1
    assert time.monotonic() - t0 < 5
    assert str(tmp_path / "_build") in capsys.readouterr().err


@pytest.mark.parametrize("where", ["executed copy", "claims.json"])
def test_disk_full_mid_build_leaves_nothing_half_written(tmp_path, monkeypatch, capsys, where):
    root = tmp_path
    (root / "book").mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell("print(1)"))
    (root / "book" / "a.ipynb").write_text(nbformat.writes(nb))
    layout = Layout(root=root)
    entry = NotebookEntry(path="book/a.ipynb")
    claim = {"paper": "p", "value": 1, "holds": True, "notebook": "book/a.ipynb"}

    def executor(src, out, params, cwd, env):
        Path(out).write_text(Path(src).read_text())
        Path(env["MTJBOOK_CLAIMS_DIR"]).mkdir(parents=True, exist_ok=True)
        (Path(env["MTJBOOK_CLAIMS_DIR"]) / "F1c.json").write_text(json.dumps(claim))

    monkeypatch.setattr(runner, "check_writable", lambda dirs: None)
    real_fdopen = os.fdopen
    target = "a.ipynb" if where == "executed copy" else "claims.json"

    class FullDisk:
        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def write(self, data):
            self.fh.write(data[: len(data) // 2])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def fdopen(fd, *a, **k):
        fh = real_fdopen(fd, *a, **k)
        name = os.readlink(f"/proc/self/fd/{fd}")
        return FullDisk(fh) if Path(name).name.startswith(f".{target}.") else fh

    monkeypatch.setattr(os, "fdopen", fdopen)
    t0 = time.monotonic()
    assert runner.build(layout, [entry], [entry], executor=executor) == 1
    assert time.monotonic() - t0 < 10
    err = capsys.readouterr().err
    final = layout.executed_path(entry.path) if target == "a.ipynb" else layout.build_dir / target
    assert f"cannot write {final}: No space left on device" in err
    assert not final.exists()
    leftovers = [p for p in root.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []
    assert not (layout.build_dir / "running" / "a.ipynb").exists()


# ----------------------------------------------------------------------------------------------
# Claims: the executed copies' records are the result


def test_claims_left_by_an_interrupted_run_are_not_taken_for_results(tmp_path):
    claims_dir = tmp_path / "claims"
    claims_dir.mkdir()
    kept = {"book/a.ipynb": {"F1c": {"paper": "p", "value": 1.0, "holds": True,
                                     "notebook": "book/a.ipynb"}}}
    # an interrupted (or failed) re-execution of a.ipynb wrote another value and a new claim
    (claims_dir / "F1c.json").write_text(json.dumps({**kept["book/a.ipynb"]["F1c"],
                                                     "value": 2.0, "holds": False}))
    (claims_dir / "F1d.json").write_text(json.dumps({"paper": "q", "value": 3, "holds": True,
                                                     "notebook": "book/a.ipynb"}))
    merged = claims_report.merge_claims(claims_dir, kept)
    assert merged == kept["book/a.ipynb"]
    assert json.loads((claims_dir / "F1c.json").read_text())["value"] == 1.0
    assert not (claims_dir / "F1d.json").exists()


def test_compare_claims_names_each_differing_field():
    a = {"F1c": {"value": {"dr": 1.0, "n": 3}, "holds": True}, "F4": {"value": 1}}
    b = {"F1c": {"value": {"dr": 1.0000000000000002, "n": 3}, "holds": True}, "F2a": {}}
    diff = build_guard.compare_claims(a, b)
    assert diff == ["F1c.value.dr: 1.0 != 1.0000000000000002", "F2a: only in second",
                    "F4: only in first"]
    assert build_guard.compare_claims(a, json.loads(json.dumps(a))) == []


# ----------------------------------------------------------------------------------------------
# Interrupting a real runner (papermill, kernels)

_CLAIM_CELL = textwrap.dedent("""\
    import json, os, pathlib, time
    d = pathlib.Path(os.environ['MTJBOOK_CLAIMS_DIR']); d.mkdir(parents=True, exist_ok=True)
    def claim(cid, value):
        (d / f'{cid}.json').write_text(json.dumps({'paper': 'p', 'value': value,
            'holds': value > 2, 'notebook': NB}))
    """)


def _real_book(root: Path) -> None:
    """Two notebooks; the second writes a provisional claim, then (in a later cell) waits until
    the test lets it go, so it can be interrupted mid-notebook, then writes the final claim."""
    def nb(name, cid, wait):
        cells = [nbformat.v4.new_code_cell("n = 1")]
        cells[0].metadata["tags"] = ["parameters"]
        cells.append(nbformat.v4.new_code_cell(f"NB = 'book/{name}.ipynb'\n" + _CLAIM_CELL))
        if wait:
            cells.append(nbformat.v4.new_code_cell(
                "claim('" + cid + "', -1.0)  # provisional\n"
                "pathlib.Path('../_build/kernel.pid').write_text(str(os.getpid()))\n"
                "while not pathlib.Path('../go').exists():\n    time.sleep(0.05)"))
        cells.append(nbformat.v4.new_code_cell(f"claim('{cid}', n * 1.5)"))
        book = nbformat.v4.new_notebook(cells=cells)
        book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
        (root / "book" / f"{name}.ipynb").write_text(nbformat.writes(book))

    (root / "book").mkdir(parents=True)
    (root / "mtjlib").mkdir()
    (root / "mtjlib" / "__init__.py").write_text("")
    nb("one", "F1c", wait=False)
    nb("two", "F1d", wait=True)
    (root / "book" / "notebooks.yml").write_text(
        "- path: book/one.ipynb\n  params: {n: 3}\n- path: book/two.ipynb\n  params: {n: 2}\n")


def _runner(root: Path, *args) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != build_guard.LOCK_ENV}
    return subprocess.Popen([sys.executable, "-m", "mtjbook.builder.runner", "--root", str(root), *args],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.is_file() and stat.read_text().split(") ")[1].startswith("Z"))


def _complete(root: Path, *args) -> dict:
    (root / "go").touch()
    p = _runner(root, *args)
    out, err = p.communicate(timeout=300)
    assert p.returncode == 0, out + err
    return json.loads((root / "_build" / "claims.json").read_text())


@pytest.mark.slow
@pytest.mark.parametrize("how", ["SIGINT", "SIGTERM", "SIGKILL runner", "SIGKILL kernel"])
def test_interrupting_a_real_build_mid_notebook_changes_no_claim(tmp_path, how):
    ref_root, root = tmp_path / "ref", tmp_path / "int"
    _real_book(ref_root)
    _real_book(root)
    reference = _complete(ref_root)
    assert reference["F1c"]["value"] == 4.5 and reference["F1d"]["value"] == 3.0

    for force in ((), ("--force",)):  # a first build; a forced rebuild over a finished one
        if force:
            before = (root / "_build" / "claims.json").read_text()
            (root / "go").unlink()
        p = _runner(root, *force)
        pid_file = root / "_build" / "kernel.pid"
        pid_file.unlink(missing_ok=True)
        _wait_for(pid_file.exists, timeout=180, what="the kernel to reach the middle of two.ipynb")
        kernel = int(pid_file.read_text())
        sig = {"SIGINT": signal.SIGINT, "SIGTERM": signal.SIGTERM}.get(how, signal.SIGKILL)
        os.kill(kernel if how == "SIGKILL kernel" else p.pid, sig)
        _, err = p.communicate(timeout=120)
        assert p.returncode != 0
        if how in ("SIGINT", "SIGTERM"):
            assert p.returncode == 130 and "interrupted" in err
        if how == "SIGKILL kernel":
            assert "two.ipynb failed" in err
        # no kernel outlives the build that started it
        _wait_for(lambda k=kernel: not _alive(k), timeout=30, what=f"kernel {kernel} to exit")
        # the interrupted notebook's provisional claim is on disk, nowhere else
        assert json.loads((root / "_build/claims/F1d.json").read_text())["value"] == -1.0
        if force:
            # its previous executed copy stands, and claims.json was not touched
            assert (root / "_build" / "claims.json").read_text() == before
            assert _complete(root) == reference  # up to date: nothing re-executed
        else:
            assert not (root / "book/executed/two.ipynb").exists()
            assert _complete(root) == reference
    assert json.loads((root / "_build/claims/F1d.json").read_text())["value"] == 3.0
    assert not (root / "_build" / "running").exists() or not any((root / "_build/running").iterdir())


def test_a_relative_out_folder_gets_its_claims(tmp_path, monkeypatch):
    """`--out _build/x` (make ablation, check-determinism): the kernel runs in book/, so the
    claims folder it is given must be absolute, or its claims land in book/_build/x/claims."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "a.ipynb").write_text(nbformat.writes(nbformat.v4.new_notebook()))
    seen = {}

    def executor(src, out, params, cwd, env):
        seen.update(claims=env["MTJBOOK_CLAIMS_DIR"], out=out)
        Path(out).write_text(Path(src).read_text())

    runner.execute_to(Layout(root=tmp_path), NotebookEntry(path="book/a.ipynb"), {},
                      Path("_build/x"), executor)
    assert seen["claims"] == str(tmp_path / "_build" / "x" / "claims")
    assert Path(seen["out"]).is_absolute()
