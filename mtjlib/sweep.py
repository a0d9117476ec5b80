"""Sweeps over values x seeds: one function, serial, on local processes, or on a Dask cluster.

Every study of the book is ``fn(value, seed) -> {metric: number}`` run over a grid of values and
seeds. :func:`sweep` runs that grid and returns a :class:`SweepResult` holding each metric as a
(values, seeds) array, with means, spreads, confidence intervals and success rates over seeds.

Reproducibility
    Each task receives an int seed that depends only on the grid, never on the executor or the
    number of workers, and each result is placed by its grid position, so the metric arrays are
    bit-identical whether the sweep runs serially, on local processes or on a Dask cluster.

    - explicit seeds (``seeds=[0, 1, 2]``) are passed to ``fn`` unchanged, and the same seeds are
      used at every value: a paired design, in which value a and value b are compared on the same
      networks (the book's studies rely on this);
    - ``seeds=N`` derives N seeds from ``root_seed`` (default 0) with
      :meth:`numpy.random.SeedSequence.spawn`: seed k is the first 64-bit word of child k's
      ``generate_state``, shifted right by one bit so it fits a non-negative int64.

Threads
    Worker processes (local or Dask) run numba on one thread (``numba.set_num_threads(1)`` when
    a local worker starts and before every task), so N workers use N cores and do not
    oversubscribe them. (Setting ``NUMBA_NUM_THREADS`` in a worker would break every task that
    compiles once a user's script, re-imported by the spawned worker, has launched numba's
    threads.) A serial sweep leaves the caller's
    numba threads alone.

Dask, pandas and tqdm are imported only when a sweep uses them; this module needs only numpy,
scipy and the standard library at import time.

Length: about 670 lines, 440 of them code: the typed result, the three executors, progress and
fault reports; the executors share the result's collector and error types, and splitting them
would make one module import the other's privates.
"""

from __future__ import annotations

import atexit
import concurrent.futures as cf
import functools
import math
import multiprocessing
import numbers
import os
import pickle
import sys
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from ._validate import check_int, check_real

#: Executors by name; a ``concurrent.futures.Executor`` instance is accepted as well.
EXECUTORS = ("serial", "processes", "dask")
#: Seconds to wait for a Dask scheduler given by its address before giving up.
CONNECT_TIMEOUT_S = 5.0
#: Dask re-runs a task that raised or whose worker died up to this many times.
DASK_RETRIES = 2
#: Largest seed accepted (seeds are stored as int64).
MAX_SEED = 2**63 - 1


# Errors -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TaskFailure:
    """One grid point whose task raised (or whose worker died)."""

    value: object
    """The value passed to ``fn``."""
    seed: int
    """The seed passed to ``fn``."""
    exception: BaseException
    """What the task raised."""


class UnknownMetricError(KeyError, ValueError):
    """A metric name the sweep did not return (a KeyError, and a ValueError like every other
    bad argument of the library)."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class SweepError(RuntimeError):
    """One or more tasks of a sweep failed. ``failures`` lists every failed point; the first
    failure's exception is the ``__cause__``."""

    def __init__(self, name: str, failures: list[TaskFailure], n_tasks: int):
        self.failures = list(failures)
        lines = [f"{len(failures)} of {n_tasks} tasks of the sweep failed:"]
        for f in failures:
            lines.append(f"  {name}={f.value!r}, seed={f.seed}: "
                         f"{type(f.exception).__name__}: {f.exception}")
        super().__init__("\n".join(lines))


# Result -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SweepResult:
    """Metrics of ``fn(value, seed)`` over a grid of values x seeds (arrays are read-only)."""

    values: np.ndarray
    """The swept values, shape (V,) (object dtype unless they are all numbers)."""
    seeds: np.ndarray
    """The seeds passed to ``fn``, shape (S,), int64; the same at every value."""
    metrics: dict[str, np.ndarray]
    """Each metric as a (V, S) array: bool if ``fn`` always returned a bool for it, else float64."""
    name: str = "value"
    """What the values are (a column name, a plot label)."""

    def __post_init__(self):
        shape = (len(self.values), len(self.seeds))
        if not isinstance(self.name, str):
            raise TypeError(f"name={self.name!r} must be a str")
        if not isinstance(self.metrics, dict):
            raise TypeError(f"metrics must be a dict of (values, seeds) arrays, got "
                            f"{type(self.metrics).__name__}: {self.metrics!r:.60}")
        for k, a in self.metrics.items():
            if not isinstance(a, np.ndarray) or a.shape != shape:
                raise ValueError(f"metrics[{k!r}] must be an array of shape (values, seeds) = "
                                 f"{shape}, got {getattr(a, 'shape', type(a).__name__)}")

    @property
    def metric_names(self) -> tuple[str, ...]:
        """Names of the metrics, in the order the first task returned them."""
        return tuple(self.metrics)

    def _metric(self, metric: str, name: str = "metric") -> np.ndarray:
        if not isinstance(metric, str):
            raise TypeError(f"{name}={metric!r} must be a metric name (str) or, where allowed, "
                            "a predicate")
        if metric not in self.metrics:
            raise UnknownMetricError(f"{name}={metric!r} is not one of {self.metric_names}")
        return self.metrics[metric]

    def mean(self, metric: str) -> np.ndarray:
        """Mean over seeds, shape (V,) (a NaN in a row gives NaN: no run is silently dropped)."""
        return self._metric(metric).astype(np.float64).mean(axis=1)

    def std(self, metric: str) -> np.ndarray:
        """Sample standard deviation over seeds (ddof = 1), shape (V,); NaN with one seed."""
        a = self._metric(metric).astype(np.float64)
        if a.shape[1] < 2:
            return np.full(a.shape[0], np.nan)
        return a.std(axis=1, ddof=1)

    def ci(self, metric: str, level: float = 0.95) -> np.ndarray:
        """Student-t confidence interval of the mean over seeds, shape (V, 2): (lo, hi).

        mean -/+ t_{(1 + level)/2, S - 1} s / sqrt(S), s the sample standard deviation; it
        assumes independent seeds and roughly normal means. NaN with one seed.
        """
        from scipy.stats import t as student_t

        check_real("level", level, 0.0, 1.0, lo_open=True, hi_open=True)
        s = len(self.seeds)
        m, sd = self.mean(metric), self.std(metric)
        half = (student_t.ppf(0.5 + level / 2, s - 1) * sd / math.sqrt(s)
                if s >= 2 else np.full_like(m, np.nan))
        return np.stack([m - half, m + half], axis=1)

    def _successes(self, metric_or_predicate) -> np.ndarray:
        if callable(metric_or_predicate):
            names = self.metric_names
            ok = np.empty((len(self.values), len(self.seeds)), dtype=bool)
            for i in range(ok.shape[0]):
                for j in range(ok.shape[1]):
                    row = {k: self.metrics[k][i, j].item() for k in names}
                    ok[i, j] = bool(metric_or_predicate(row))
            return ok
        a = self._metric(metric_or_predicate, "metric_or_predicate")
        if a.dtype != np.bool_:
            raise TypeError(f"metric_or_predicate={metric_or_predicate!r}: the metric is not "
                            f"boolean (dtype {a.dtype}); pass a predicate, e.g. "
                            "lambda row: row['nrmse_1'] < 0.1")
        return a

    def success_rate(self, metric_or_predicate) -> np.ndarray:
        """Fraction of seeds that succeed at each value, shape (V,).

        ``metric_or_predicate`` is the name of a boolean metric, or a callable taking one task's
        metrics as a dict ``{name: value}`` and returning True on success.
        """
        return self._successes(metric_or_predicate).mean(axis=1)

    def success_ci(self, metric_or_predicate, level: float = 0.95) -> np.ndarray:
        """Wilson score interval of the success rate at each value, shape (V, 2): (lo, hi).

        Unlike the normal approximation it stays inside [0, 1] and is not empty at 0 or S
        successes (Wilson, J. Am. Stat. Assoc. 22, 209 (1927)).
        """
        from scipy.stats import norm

        check_real("level", level, 0.0, 1.0, lo_open=True, hi_open=True)
        n = len(self.seeds)
        p = self.success_rate(metric_or_predicate)
        z = norm.ppf(0.5 + level / 2)
        denom = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / denom
        half = z / denom * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
        return np.stack([np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)], axis=1)

    def to_dataframe(self):
        """A pandas DataFrame with one row per (value, seed) and one column per metric
        (columns: ``name``, ``seed``, the metrics). Needs pandas."""
        try:
            import pandas as pd
        except ImportError as e:
            raise ImportError("SweepResult.to_dataframe needs pandas: pip install pandas") from e
        clash = {self.name, "seed"} & set(self.metric_names)
        if clash or self.name == "seed":
            raise ValueError(f"column names clash: name={self.name!r}, 'seed' and metrics "
                             f"{self.metric_names} must all differ")
        v, s = len(self.values), len(self.seeds)
        cols = {self.name: np.repeat(self.values, s), "seed": np.tile(self.seeds, v)}
        cols.update({k: a.reshape(-1) for k, a in self.metrics.items()})
        return pd.DataFrame(cols)


# Inputs -----------------------------------------------------------------------------------------

def _as_values(values) -> tuple[np.ndarray, list]:
    """The values as an array (for the result) and as given (passed to fn, named in errors)."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise TypeError(f"values={values!r} must be a sequence of values (a list, an array)")
    items = list(values)
    if not items:
        raise ValueError("values is empty: a sweep needs at least one value")
    if all(isinstance(v, numbers.Number) and not isinstance(v, bool) for v in items):
        arr = np.asarray(items)
    else:
        arr = np.empty(len(items), dtype=object)
        arr[:] = items
    arr.setflags(write=False)
    return arr, items


def derive_seeds(n: int, root_seed: int = 0) -> np.ndarray:
    """``n`` distinct non-negative int64 seeds derived from ``root_seed``.

    Seed k is the first 64-bit word of ``numpy.random.SeedSequence(root_seed).spawn(n)[k]``'s
    ``generate_state``, shifted right by one bit; the first k seeds do not depend on n.
    """
    check_int("n", n, 1, 10**9)
    check_int("root_seed", root_seed, 0, MAX_SEED)
    words = [int(c.generate_state(1, np.uint64)[0]) >> 1
             for c in np.random.SeedSequence(root_seed).spawn(n)]
    if len(set(words)) != n:  # 2^-63 per pair: never seen, but a sweep must not pair two seeds
        raise ValueError(f"root_seed={root_seed} derives duplicate seeds for n={n}; pick another")
    return np.array(words, dtype=np.int64)


def _as_seeds(seeds, root_seed) -> np.ndarray:
    if isinstance(seeds, (int, np.integer)) and not isinstance(seeds, bool):
        check_int("seeds", seeds, 1, 10**9)  # a number of seeds (or a sequence of seeds)
        out = derive_seeds(int(seeds), 0 if root_seed is None else root_seed)
    else:
        if root_seed is not None:
            raise ValueError(f"root_seed={root_seed!r} is only used with seeds=N; explicit seeds "
                             "are passed to fn unchanged")
        if isinstance(seeds, (str, bytes)) or not isinstance(seeds, Iterable):
            raise TypeError(f"seeds={seeds!r} must be an int (a number of seeds) or a sequence "
                            "of distinct non-negative ints")
        items = list(seeds)
        if not items:
            raise ValueError("seeds is empty: a sweep needs at least one seed")
        for s in items:
            check_int("seeds[i]", s, 0, MAX_SEED)
        counts = Counter(int(s) for s in items)
        if len(counts) != len(items):
            dup = sorted(s for s, c in counts.items() if c > 1)
            raise ValueError(f"seeds contains duplicates {dup}: each seed must appear once")
        out = np.array([int(s) for s in items], dtype=np.int64)
    out.setflags(write=False)
    return out


def _callable_name(fn) -> str:
    while isinstance(fn, functools.partial):
        fn = fn.func
    return getattr(fn, "__qualname__", repr(fn))


def _check_picklable(fn, where: str) -> None:
    """Local worker processes are spawned: fn must pickle by reference to an importable module."""
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


def _as_metric(value, name, key, v, s):
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (numbers.Real, np.integer, np.floating)):
        return float(value)
    raise TypeError(f"fn returned metric {key!r}={value!r} ({type(value).__name__}) at "
                    f"{name}={v!r}, seed={s}: every metric must be a real number or a bool")


class _Collector:
    """Checks each task's metrics and places them by grid position."""

    def __init__(self, name, values, seeds):
        self.name, self.values, self.seeds = name, values, seeds
        self.rows: dict[str, np.ndarray] = {}
        self.is_bool: dict[str, bool] = {}
        self.keys: tuple[str, ...] | None = None

    def add(self, i, j, row):
        v, s = self.values[i], int(self.seeds[j])
        if not isinstance(row, Mapping):
            raise TypeError(f"fn returned {type(row).__name__} at {self.name}={v!r}, seed={s}: "
                            "it must return a mapping {metric name: number}")
        keys = tuple(row)
        if not keys:
            raise ValueError(f"fn returned no metrics at {self.name}={v!r}, seed={s}")
        if self.keys is None:
            for k in keys:
                if not isinstance(k, str):
                    raise TypeError(f"metric name {k!r} at {self.name}={v!r}, seed={s} "
                                    "must be a str")
            self.keys = keys
            shape = (len(self.values), len(self.seeds))
            self.rows = {k: np.full(shape, np.nan) for k in keys}
            self.is_bool = dict.fromkeys(keys, True)
        elif set(keys) != set(self.keys):
            raise ValueError(f"fn returned metrics {sorted(keys)} at {self.name}={v!r}, "
                             f"seed={s}, but {sorted(self.keys)} elsewhere: every task must "
                             "return the same metric names")
        for k in self.keys:
            x = _as_metric(row[k], self.name, k, v, s)
            self.is_bool[k] &= isinstance(x, bool)
            self.rows[k][i, j] = x

    def metrics(self) -> dict[str, np.ndarray]:
        out = {}
        for k in self.keys:
            a = self.rows[k].astype(np.bool_) if self.is_bool[k] else self.rows[k]
            a.setflags(write=False)
            out[k] = a
        return out


# Progress ---------------------------------------------------------------------------------------

def _interactive() -> bool:
    """On in a terminal or a Jupyter frontend; off under CI and papermill.

    papermill sets no environment variable in the kernel, but it executes cells through nbclient
    with ``allow_stdin=False`` while Jupyter frontends (Lab, Notebook, VS Code) allow stdin: the
    kernel's current request tells the two apart.
    """
    if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        return False
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    kernel = getattr(shell, "kernel", None)
    if kernel is not None:
        return bool(getattr(kernel, "_allow_stdin", False))
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def _progress_bar(progress, total: int, desc: str):
    if progress is not None and not isinstance(progress, bool):
        raise TypeError(f"progress={progress!r} must be True, False or None (on when interactive)")
    wanted = _interactive() if progress is None else progress
    if not wanted:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError as e:
        if progress:
            raise ImportError("progress=True needs tqdm: pip install tqdm") from e
        return None
    return tqdm(total=total, desc=desc, unit="task")


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


def _probe_scheduler(address: str) -> None:
    """Ask ``address`` who it is within the timeout, in a thread of its own (a notebook's event
    loop is already running), so a wrong address fails fast and leaves no half-made Client."""
    import asyncio

    from distributed.core import rpc

    async def identity():
        async with rpc(address, timeout=CONNECT_TIMEOUT_S) as scheduler:
            return await asyncio.wait_for(scheduler.identity(), CONNECT_TIMEOUT_S)

    with cf.ThreadPoolExecutor(1) as pool:
        info = pool.submit(asyncio.run, identity()).result()
    if not isinstance(info, dict) or info.get("type") != "Scheduler":
        raise OSError(f"{address} answered, but not as a Dask scheduler")


def _dask_client(client):
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
        _probe_scheduler(client)
    except Exception as e:  # refused, timed out, unknown host or scheme, or not a scheduler
        why = f"{type(e).__name__}: {e}" if str(e) else type(e).__name__
        raise ValueError(f"client={client!r}: no Dask scheduler answered at this address within "
                         f"{CONNECT_TIMEOUT_S:g} s ({why}); start one with `dask scheduler`") from e
    return Client(client, timeout=CONNECT_TIMEOUT_S, set_as_default=False), True


def _run_dask(client, fn, grid, collect, bar, name):
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
                            retries=DASK_RETRIES, pure=False)
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


# The sweep --------------------------------------------------------------------------------------

def sweep(fn: Callable[[object, int], Mapping[str, float]], values, seeds, *,
          executor: str | cf.Executor | None = None, n_workers: int | None = None,
          client=None, progress: bool | None = None, name: str = "value",
          root_seed: int | None = None) -> SweepResult:
    """Run ``fn(value, seed)`` for every value x seed and collect its metrics.

    Parameters
    ----------
    fn : callable
        ``fn(value, seed) -> {metric name: number}``; a bool is a number (0/1) and a metric that
        is always a bool stays boolean (for :meth:`SweepResult.success_rate`). Every task must
        return the same metric names. For processes it must be importable by the workers: a
        module-level function (or a ``functools.partial`` of one), not a lambda or a function
        typed into a notebook.
    values : sequence
        The swept values (numbers, or any picklable objects), V >= 1.
    seeds : int or sequence of int
        N >= 1: N seeds derived from ``root_seed`` (see :func:`derive_seeds`); or the seeds
        themselves, distinct ints in [0, 2^63 - 1], passed to ``fn`` unchanged. The same seeds
        are used at every value (paired comparisons).
    executor : {"serial", "processes", "dask"} or concurrent.futures.Executor, optional
        Default: "dask" when ``client`` is given, else "processes" (local processes, all cores;
        the pool is started on the first sweep and reused by later ones in this process; one
        worker runs the tasks in this process instead). An Executor (e.g. from
        :func:`process_pool`) is used as is and left open.
    n_workers : int, optional
        Local worker processes (default: all cores available to this process, at most one per
        task). Only for "processes".
    client : dask.distributed.Client or str, optional
        A Dask client, or a scheduler address such as ``"tcp://127.0.0.1:8786"`` (connected for
        this sweep within :data:`CONNECT_TIMEOUT_S` and closed after). Tasks are retried
        :data:`DASK_RETRIES` times, so a lost worker does not drop points.
    progress : bool, optional
        A tqdm progress bar; None: on in a terminal or a Jupyter frontend, off when the ``CI``
        environment variable is set, under papermill or without a tty.
    name : str
        What the values are (the label of the values axis).
    root_seed : int, optional
        Root of the derived seeds when ``seeds`` is an int (default 0).

    Returns
    -------
    SweepResult
        Metrics as (V, S) arrays, placed by grid position: the same bits whatever the executor
        and the number of workers.

    Raises
    ------
    SweepError
        A task raised: names the value and seed of each failed point (serial: the first; pools
        and Dask: all of them, after the other tasks finish), with the first exception as
        ``__cause__``.
    """
    if not callable(fn):
        raise TypeError(f"fn={fn!r} must be callable as fn(value, seed) -> dict of metrics")
    if not isinstance(name, str) or not name:
        raise TypeError(f"name={name!r} must be a non-empty str")
    vals, items = _as_values(values)
    seed_arr = _as_seeds(seeds, root_seed)
    if executor is None:
        executor = "dask" if client is not None else "processes"
    if isinstance(executor, str) and executor not in EXECUTORS:
        raise ValueError(f"executor={executor!r} is not one of {EXECUTORS} or an Executor")
    if not isinstance(executor, (str, cf.Executor)):
        raise TypeError(f"executor={executor!r} must be one of {EXECUTORS} or a "
                        "concurrent.futures.Executor")
    if client is not None and executor != "dask":
        raise ValueError(f"client={client!r} is given with executor={executor!r}: a client "
                         "implies executor='dask'")
    if executor == "dask" and client is None:
        raise ValueError("executor='dask' needs client= (a Client or a scheduler address)")
    if n_workers is not None:
        check_int("n_workers", n_workers, 1, 4096)
        if executor != "processes":
            raise ValueError(f"n_workers={n_workers} applies to executor='processes' only "
                             f"(executor={executor!r})")
    grid = [(i, j, items[i], int(seed_arr[j]))
            for i in range(len(items)) for j in range(len(seed_arr))]
    if executor == "processes":
        _check_picklable(fn, "worker processes")
    elif isinstance(executor, cf.ProcessPoolExecutor):
        _check_picklable(fn, "the pool's worker processes")
    collect = _Collector(name, items, seed_arr)
    bar = _progress_bar(progress, len(grid), f"sweep over {name}")
    try:
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
            dask_client, owned = _dask_client(client)
            try:
                _run_dask(dask_client, fn, grid, collect, bar, name)
            finally:
                if owned:
                    dask_client.close()
        else:
            _run_pool(executor, fn, grid, collect, bar, name)
    finally:
        if bar is not None:
            bar.close()
    return SweepResult(values=vals, seeds=seed_arr, metrics=collect.metrics(), name=name)
