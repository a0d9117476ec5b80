"""The typed result of a sweep and its errors.

:class:`SweepResult` holds each metric of ``fn(value, seed)`` as a (values, seeds) array, with
means, spreads, confidence intervals and success rates over seeds; :class:`SweepError` lists the
failed points (:class:`TaskFailure`). :func:`mtjlib.sweep.sweep` returns the one, its executors
(:mod:`mtjlib.sweep_executors`) raise the other.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from mtjlib._validate import check_real

__all__ = ["SweepError", "SweepResult", "TaskFailure", "UnknownMetricError"]


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

