"""What a build promises when something stops it: one build at a time, a clear error when
``_build/`` cannot be written, and the same claims whatever the thread and process count.

- :func:`build_lock` holds ``_build/.build.lock`` (``fcntl.flock``) for as long as a build runs.
  A second build in the same checkout stops at once and says which process holds the lock. The
  kernel releases a flock when the last descriptor of it closes, so a build killed by SIGKILL
  leaves no stale lock. A process started under the lock (``MTJBOOK_BUILD_LOCK`` names the lock
  file in its environment) does not take it again: ``make book`` takes it once for the venv, the
  assets, the notebooks and the HTML, and the runner it starts runs under it.
- :func:`check_writable` writes and removes a probe file in each folder a build writes, and checks
  the free space there, so a read-only or full ``_build/`` fails within seconds with the path
  named; :func:`disk_error` words an ``OSError`` met later (a disk that fills during the run).
- :func:`compare_claims` and ``determinism`` (below) check that the claims of a commit do not
  depend on ``NUMBA_NUM_THREADS`` nor on how many worker processes the sweeps start.

Command line (standard library only at import, so the system ``python3`` runs ``lock`` before
the venv exists)::

    python3 -m mtjbook.builder.guard lock _build -- CMD ARGS...   # run CMD holding the build lock
    python -m mtjbook.builder.guard determinism [NOTEBOOK ...]    # quick runs, 1 vs 2 threads/cores
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: The lock file, under the build folder.
LOCK_NAME = ".build.lock"
#: Set (to the lock file's absolute path) in the environment of every process started under it.
LOCK_ENV = "MTJBOOK_BUILD_LOCK"
#: A build folder with less free space than this (bytes) fails before any notebook runs: the
#: executed notebooks of the book take about 40 MB and its HTML about 60 MB.
MIN_FREE_BYTES = 200 * 2**20
#: errno values that mean "this folder cannot take the build's files".
DISK_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM})


class BuildLocked(RuntimeError):
    """Another build holds the lock of this build folder."""


class BuildDiskError(OSError):
    """A folder of the build cannot be written (read-only, not ours, or full)."""


def _lock_path(build_dir: Path) -> Path:
    return Path(build_dir).resolve() / LOCK_NAME


def acquire(build_dir: Path, what: str) -> int | None:
    """Take the build lock of ``build_dir``; returns its descriptor (close it to release), or
    None when this process runs under a build that holds it already. Raises
    :class:`BuildLocked` at once when another build holds it."""
    path = _lock_path(build_dir)
    if os.environ.get(LOCK_ENV) == str(path):
        return None
    check_writable([path.parent], min_free=0)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = path.read_text(encoding="utf-8", errors="replace").strip() or "unknown process"
        os.close(fd)
        raise BuildLocked(
            f"another build is running in this checkout ({holder}): it holds {path}. This one "
            "stops without touching anything; run it again when the other has finished (the "
            "lock goes with the process that holds it, also when that process is killed)"
        ) from None
    os.ftruncate(fd, 0)
    os.write(fd, f"pid {os.getpid()}, {what}, since {time.strftime('%H:%M:%S')}\n".encode())
    return fd


@contextlib.contextmanager
def build_lock(build_dir: Path, what: str):
    """Hold the build lock of ``build_dir`` inside the ``with`` block (:func:`acquire`)."""
    fd = acquire(build_dir, what)
    old = os.environ.get(LOCK_ENV)
    os.environ[LOCK_ENV] = str(_lock_path(build_dir))
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(LOCK_ENV, None)
        else:
            os.environ[LOCK_ENV] = old
        if fd is not None:
            os.close(fd)


def check_writable(dirs, min_free: int = MIN_FREE_BYTES) -> None:
    """Create each folder of ``dirs``, write and remove a probe file in it, and check that its
    file system has ``min_free`` bytes free; raise :class:`BuildDiskError` naming the folder."""
    for d in map(Path, dirs):
        try:
            d.mkdir(parents=True, exist_ok=True)
            fd, probe = tempfile.mkstemp(dir=d, prefix=".write-probe-", suffix=".tmp")
            try:
                os.write(fd, b"\0" * 4096)
                os.fsync(fd)
            finally:
                os.close(fd)
                os.unlink(probe)
            free = shutil.disk_usage(d).free
        except OSError as exc:
            raise BuildDiskError(exc.errno, disk_error(exc, d)) from exc
        if free < min_free:
            raise BuildDiskError(
                errno.ENOSPC, f"only {free / 2**20:.1f} MB free in {d}; the build needs at "
                f"least {min_free / 2**20:.0f} MB there (free some space, or build in another "
                "checkout)")


def disk_error(exc: OSError, where: Path | str | None = None) -> str:
    """One sentence for an ``OSError`` of the build: what could not be written (``where``, else
    the error's file), why, and what to do."""
    path = where or exc.filename or "a file of the build"
    why = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        hint = "free some space and run the build again"
    elif exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        hint = "make it writable by this user (or delete it: the build recreates it)"
    else:
        hint = "fix it and run the build again"
    return f"cannot write {path}: {why}; {hint}. Nothing half-written was kept"


def is_disk_error(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in DISK_ERRNOS


# ----------------------------------------------------------------------------------------------
# Determinism: the same claims whatever the thread count and the number of processes

#: The two configurations ``determinism`` compares: numba threads and the CPUs the kernel (and so
#: its sweep's worker pool, one worker per available core) may use.
CONFIGS = {"threads1-cpus1": (1, 1), "threads2-cpus2": (2, 2)}


def compare_claims(a: dict, b: dict) -> list[str]:
    """The fields in which two claim sets differ (``id.field.subfield: x != y``), empty if none.
    Floats are compared exactly (their JSON text)."""
    out: list[str] = []

    def walk(x, y, where):
        if isinstance(x, dict) and isinstance(y, dict):
            for k in sorted(set(x) | set(y), key=str):
                if k not in x or k not in y:
                    out.append(f"{where}{k}: only in {'second' if k in y else 'first'}")
                else:
                    walk(x[k], y[k], f"{where}{k}.")
        elif json.dumps(x, sort_keys=True) != json.dumps(y, sort_keys=True):
            out.append(f"{where.rstrip('.')}: {json.dumps(x)[:80]} != {json.dumps(y)[:80]}")

    walk(a, b, "")
    return out


def _read_claims(folder: Path) -> dict:
    return {f.stem: json.loads(f.read_text(encoding="utf-8"))
            for f in sorted(Path(folder).glob("*.json"))}


def determinism(root: Path, notebooks: list[str], out: Path, quick: bool = True) -> int:
    """Run ``notebooks`` (their quick parameters, or the book's) once per :data:`CONFIGS` into
    ``out/<config>`` and compare the claims they record; prints the differences, returns 0 when
    they are identical and at least one claim was recorded."""
    avail = sorted(os.sched_getaffinity(0))
    runs = {}
    for name, (threads, cpus) in CONFIGS.items():
        if len(avail) < cpus:
            print(f"{name}: needs {cpus} CPUs, this process may use {len(avail)}", file=sys.stderr)
            return 1
        dest = Path(out) / name
        shutil.rmtree(dest, ignore_errors=True)
        env = {**os.environ, "NUMBA_NUM_THREADS": str(threads)}
        cmd = [sys.executable, "-m", "mtjbook.builder.runner", "--root", str(root), "--out", str(dest),
               *(["--quick"] if quick else []), *notebooks]
        t0 = time.perf_counter()
        subprocess.run(cmd, env=env, check=True, cwd=root,
                       preexec_fn=lambda c=cpus: os.sched_setaffinity(0, avail[:c]))
        runs[name] = _read_claims(dest / "claims")
        print(f"{name}: {len(runs[name])} claims in {time.perf_counter() - t0:.0f} s")
    (a, ca), (b, cb) = runs.items()
    diff = compare_claims(ca, cb)
    for d in diff:
        print(f"DIFFERS {d}")
    if not ca:
        print("no claim was recorded: nothing compared", file=sys.stderr)
        return 1
    print(f"{a} vs {b}: {len(ca)} claims ({', '.join(sorted(ca))}), "
          f"{'identical' if not diff else f'{len(diff)} fields differ'}")
    return 1 if diff else 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) >= 4 and argv[0] == "lock" and argv[2] == "--":
        try:
            fd = acquire(Path(argv[1]), " ".join(argv[3:]))
        except (BuildLocked, BuildDiskError) as exc:
            print(f"ERROR: {exc}", file=sys.stderr)
            return 75 if isinstance(exc, BuildLocked) else 1
        os.environ[LOCK_ENV] = str(_lock_path(Path(argv[1])))
        if fd is not None:
            os.set_inheritable(fd, True)  # held by CMD and what CMD starts, until they exit
        os.execvp(argv[3], argv[3:])
    if argv and argv[0] == "determinism":
        import argparse

        ap = argparse.ArgumentParser(prog="python -m mtjbook.builder.guard determinism")
        ap.add_argument("--root", type=Path, default=Path.cwd())
        ap.add_argument("--out", type=Path, default=Path("_build/determinism"))
        ap.add_argument("--book-params", action="store_true",
                        help="the book's parameters instead of the quick ones")
        ap.add_argument("notebooks", nargs="*")
        args = ap.parse_args(argv[1:])
        notebooks = args.notebooks or _claim_notebooks(args.root)
        return determinism(args.root.resolve(), notebooks, args.out.resolve(),
                           quick=not args.book_params)
    print(__doc__, file=sys.stderr)
    return 2


def _claim_notebooks(root: Path) -> list[str]:
    """The manifest's notebooks whose source records a claim (``record_claim(``), book order."""
    import yaml

    entries = yaml.safe_load((Path(root) / "book" / "notebooks.yml").read_text(encoding="utf-8"))
    return [e["path"] for e in entries
            if "record_claim(" in (Path(root) / e["path"]).read_text(encoding="utf-8")]

if __name__ == "__main__":
    sys.exit(main())
