"""Where a sweep's tasks run: in this process, on local spawned processes or on a Dask cluster.

:func:`run_grid` runs a grid of ``fn(value, seed)`` on one executor, each task in a worker on one
numba thread, and hands every result to the sweep's collector by its grid position;
:func:`process_pool` and :func:`available_cores` serve users who keep a pool of their own.
"""

from __future__ import annotations

import atexit
import concurrent.futures as cf
import functools
import multiprocessing
import os
import pickle
import sys
import uuid
from collections.abc import Mapping

from mtjlib._validate import check_int
from mtjlib.sweep_result import SweepError, TaskFailure

__all__ = ["available_cores", "check_picklable", "process_pool", "run_grid"]


# What workers can run ---------------------------------------------------------------------------

def _callable_name(fn) -> str:
    while isinstance(fn, functools.partial):
        fn = fn.func
    return getattr(fn, "__qualname__", repr(fn))


def check_picklable(fn, where: str) -> None:
    """Local worker processes are spawned: fn must pickle by reference to an importable module.

    Raises a TypeError that says how to fix ``fn`` (``where`` names the workers in it)."""
    hint = ("define fn with def at module level in a .py file (or wrap such a function with "
            "functools.partial), or use executor='serial'")
    try:
        pickle.dumps(fn)
    except Exception as e:
        raise TypeError(f"fn={_callable_name(fn)} cannot be sent to {where} ({e}); {hint}") from e
    inner = fn
    while isinstance(inner, functools.partial):
        inner = inner.func
    main = sys.modules.get("__main__")
    if getattr(inner, "__module__", None) == "__main__" and not hasattr(main, "__file__"):
        raise TypeError(f"fn={_callable_name(fn)} is defined interactively (a notebook or a "
                        f"prompt) and spawned {where} cannot import it; {hint}, or use a Dask "
                        "client (it ships such functions by value)")


# Tasks ------------------------------------------------------------------------------------------

def _one_numba_thread() -> None:
    import numba

    if numba.get_num_threads() != 1:
        numba.set_num_threads(1)


def _worker_init() -> None:
    """Initializer of local worker processes: numba on one thread;
    Ctrl-C (SIGINT, which a Jupyter kernel's shutdown or interrupt sends to its whole process
    group) is left to the parent, which cancels the sweep and closes the pool, so idle workers
    do not each print a KeyboardInterrupt traceback."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _one_numba_thread()


def _run_task(fn, value, seed):
    """What a worker runs: fn on one numba thread; the mapping is returned as a plain dict."""
    _one_numba_thread()
    row = fn(value, seed)
    return dict(row) if isinstance(row, Mapping) else row



# Executors --------------------------------------------------------------------------------------

def process_pool(n_workers: int | None = None) -> cf.ProcessPoolExecutor:
    """A local process pool set up for sweeps: spawned workers (safe with numba's threads), numba
    on one thread each. Pass it as ``executor=`` to reuse warm workers across several sweeps
    (close it with ``shutdown()`` or a ``with`` block); workers keep modules imported, so restart
    the pool after editing the code ``fn`` calls."""
    if n_workers is None:
        n_workers = available_cores()
    check_int("n_workers", n_workers, 1, 4096)
    return cf.ProcessPoolExecutor(max_workers=n_workers,
                                  mp_context=multiprocessing.get_context("spawn"),
                                  initializer=_worker_init)


_SHARED_POOLS: dict[int, cf.ProcessPoolExecutor] = {}


def _shared_pool(n_workers: int) -> cf.ProcessPoolExecutor:
    """The process pool of ``n_workers`` this process reuses across sweeps (started on first use,
    shut down at exit). Starting workers costs seconds (interpreter, numpy, numba, the compiled
    kernels from numba's cache), more than a whole small sweep: a notebook with several sweeps
    pays it once."""
    pool = _SHARED_POOLS.get(n_workers)
    if pool is None or getattr(pool, "_broken", False) or getattr(pool, "_shutdown_thread", False):
        pool = process_pool(n_workers)
        _SHARED_POOLS[n_workers] = pool
    return pool


@atexit.register
def _close_shared_pools() -> None:
    for pool in _SHARED_POOLS.values():
        pool.shutdown(wait=True, cancel_futures=True)
    _SHARED_POOLS.clear()


def available_cores() -> int:
    """Cores this process may run on (its CPU affinity on Linux), the default number of workers."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _run_serial(fn, grid, collect, bar, name):
    for i, j, v, s in grid:
        try:
            row = fn(v, s)
        except Exception as e:
            raise SweepError(name, [TaskFailure(v, s, e)], len(grid)) from e
        collect.add(i, j, row)
        if bar is not None:
            bar.update()


def _run_pool(pool, fn, grid, collect, bar, name):
    futures = {pool.submit(_run_task, fn, v, s): (i, j, v, s) for i, j, v, s in grid}
    failures = []
    try:
        for fut in cf.as_completed(futures):
            i, j, v, s = futures[fut]
            exc = fut.exception()
            if exc is not None:  # a raise in fn, or BrokenProcessPool when a worker died
                failures.append((i, j, TaskFailure(v, s, exc)))
            else:
                collect.add(i, j, fut.result())
            if bar is not None:
                bar.update()
    finally:
        for fut in futures:
            fut.cancel()
    _raise_failures(failures, name, len(grid))


def _raise_failures(failures, name, n_tasks):
    if failures:
        failures.sort(key=lambda f: (f[0], f[1]))
        fs = [f[2] for f in failures]
        raise SweepError(name, fs, n_tasks) from fs[0].exception


def _probe_scheduler(address: str, timeout_s: float) -> None:
    """Ask ``address`` who it is within the timeout, in a thread of its own (a notebook's event
    loop is already running), so a wrong address fails fast and leaves no half-made Client."""
    import asyncio

    from distributed.core import rpc

    async def identity():
        async with rpc(address, timeout=timeout_s) as scheduler:
            return await asyncio.wait_for(scheduler.identity(), timeout_s)

    with cf.ThreadPoolExecutor(1) as pool:
        info = pool.submit(asyncio.run, identity()).result()
    if not isinstance(info, dict) or info.get("type") != "Scheduler":
        raise OSError(f"{address} answered, but not as a Dask scheduler")


def _dask_client(client, timeout_s: float):
    """(client, owned): connect to an address with a short timeout, or use the given Client."""
    try:
        from distributed import Client
    except ImportError as e:
        raise ImportError("a Dask sweep needs dask.distributed: pip install distributed") from e
    if isinstance(client, Client):
        return client, False
    if not isinstance(client, str):
        raise TypeError(f"client={client!r} must be a dask.distributed.Client or a scheduler "
                        "address such as 'tcp://127.0.0.1:8786'")
    try:
        _probe_scheduler(client, timeout_s)
    except Exception as e:  # refused, timed out, unknown host or scheme, or not a scheduler
        why = f"{type(e).__name__}: {e}" if str(e) else type(e).__name__
        raise ValueError(f"client={client!r}: no Dask scheduler answered at this address within "
                         f"{timeout_s:g} s ({why}); start one with `dask scheduler`") from e
    return Client(client, timeout=timeout_s, set_as_default=False), True


def _run_dask(client, fn, grid, collect, bar, name, retries):
    from distributed import as_completed
    from distributed.protocol.pickle import dumps

    try:
        dumps(fn)
    except Exception as e:
        raise TypeError(f"fn={_callable_name(fn)} cannot be serialised for Dask workers ({e}); "
                        "define it at module level or use functools.partial") from e
    token = uuid.uuid4().hex[:8]
    futures = {}
    for i, j, v, s in grid:
        fut = client.submit(_run_task, fn, v, s, key=f"sweep-{name}-{i}-{j}-{token}",
                            retries=retries, pure=False)
        futures[fut] = (i, j, v, s)
    failures = []
    try:
        for fut in as_completed(list(futures), loop=client.loop):
            i, j, v, s = futures[fut]
            if fut.status == "finished":
                collect.add(i, j, fut.result())
            elif fut.status == "error":  # after the retries; KilledWorker if workers kept dying
                failures.append((i, j, TaskFailure(v, s, fut.exception())))
            else:  # cancelled: the client or the cluster went away
                failures.append((i, j, TaskFailure(v, s, RuntimeError(
                    f"task {fut.key} ended as {fut.status!r} (client or cluster closed?)"))))
            if bar is not None:
                bar.update()
    finally:
        client.cancel([f for f in futures if not f.done()])
    _raise_failures(failures, name, len(grid))


# Dispatch ---------------------------------------------------------------------------------------

def run_grid(executor, fn, grid, collect, bar, name, *, n_workers, client, connect_timeout_s,
             retries) -> None:
    """Run ``fn(value, seed)`` for every ``(i, j, value, seed)`` of ``grid`` on ``executor`` and
    pass each result to ``collect.add(i, j, row)``.

    ``executor`` is "serial", "processes" (the shared pool of ``n_workers``, default all cores,
    at most one per task; one worker runs in this process), "dask" (``client``: a Client, or an
    address connected within ``connect_timeout_s`` and closed after; each task retried
    ``retries`` times) or a ``concurrent.futures.Executor``, all checked by
    :func:`mtjlib.sweep.sweep`. ``bar`` is a progress bar (``update()`` per task) or None;
    ``name`` names the values in errors. Raises :class:`~mtjlib.sweep_result.SweepError`.
    """
    if executor == "serial":
        _run_serial(fn, grid, collect, bar, name)
    elif executor == "processes":
        n = min(n_workers or available_cores(), len(grid))
        if n == 1:  # one worker would only add its start-up: same bits in this process
            _run_serial(fn, grid, collect, bar, name)
        else:
            pool = _shared_pool(n)
            try:
                _run_pool(pool, fn, grid, collect, bar, name)
            except cf.process.BrokenProcessPool:
                _SHARED_POOLS.pop(n, None)
                raise
    elif executor == "dask":
        dask_client, owned = _dask_client(client, connect_timeout_s)
        try:
            _run_dask(dask_client, fn, grid, collect, bar, name, retries)
        finally:
            if owned:
                dask_client.close()
    else:
        _run_pool(executor, fn, grid, collect, bar, name)
