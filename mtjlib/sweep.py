"""Sweeps over values x seeds: one function, serial, on local processes, or on a Dask cluster.

Every study of the book is ``fn(value, seed) -> {metric: number}`` run over a grid of values and
seeds. :func:`sweep` runs that grid and returns a :class:`~mtjlib.sweep_result.SweepResult`
holding each metric as a (values, seeds) array, with means, spreads, confidence intervals and
success rates over seeds.

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

This module checks the inputs, builds the grid, collects the metrics and shows the progress; the
result and its errors live in :mod:`mtjlib.sweep_result`, the executors in
:mod:`mtjlib.sweep_executors`.
"""

from __future__ import annotations

import concurrent.futures as cf
import numbers
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Mapping

import numpy as np

from mtjlib._validate import check_int
from mtjlib.sweep_executors import check_picklable, run_grid
from mtjlib.sweep_result import SweepResult

#: Executors by name; a ``concurrent.futures.Executor`` instance is accepted as well.
EXECUTORS = ("serial", "processes", "dask")
#: Seconds to wait for a Dask scheduler given by its address before giving up.
CONNECT_TIMEOUT_S = 5.0
#: Dask re-runs a task that raised or whose worker died up to this many times.
DASK_RETRIES = 2
#: Largest seed accepted (seeds are stored as int64).
MAX_SEED = 2**63 - 1


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



# Metrics ----------------------------------------------------------------------------------------

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
        is always a bool stays boolean (for
        :meth:`~mtjlib.sweep_result.SweepResult.success_rate`). Every task must return the same
        metric names. For processes it must be importable by the workers: a
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
        :func:`~mtjlib.sweep_executors.process_pool`) is used as is and left open.
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
        check_picklable(fn, "worker processes")
    elif isinstance(executor, cf.ProcessPoolExecutor):
        check_picklable(fn, "the pool's worker processes")
    collect = _Collector(name, items, seed_arr)
    bar = _progress_bar(progress, len(grid), f"sweep over {name}")
    try:
        run_grid(executor, fn, grid, collect, bar, name, n_workers=n_workers, client=client,
                 connect_timeout_s=CONNECT_TIMEOUT_S, retries=DASK_RETRIES)
    finally:
        if bar is not None:
            bar.close()
    return SweepResult(values=vals, seeds=seed_arr, metrics=collect.metrics(), name=name)


_MOVED_NAMES = {"SweepError": "sweep_result", "TaskFailure": "sweep_result",
                "UnknownMetricError": "sweep_result", "available_cores": "sweep_executors",
                "process_pool": "sweep_executors"}
"""Public names that moved to another module: ``mtjlib.sweep.<name>`` still finds them."""


def __getattr__(name):
    if name in _MOVED_NAMES:
        import importlib
        return getattr(importlib.import_module("." + _MOVED_NAMES[name], __package__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
