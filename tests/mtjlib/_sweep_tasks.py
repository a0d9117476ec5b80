"""Task functions for tests/mtjlib/test_sweep.py, in a module that spawned workers can import (the
tests put this folder on the workers' ``sys.path``)."""

import os

import numpy as np
from numba import njit


@njit(cache=False)
def _walk(steps, drift):
    """A tiny numba kernel: the end point and the maximum of a random walk with drift."""
    x, top = 0.0, 0.0
    for k in range(steps.shape[0]):
        x += drift + steps[k]
        top = max(top, x)
    return x, top


def noisy_walk(value, seed):
    """Metrics of a random walk of 200 steps with drift ``value``, noise from ``seed``."""
    rng = np.random.default_rng(seed)
    end, top = _walk(rng.standard_normal(200), float(value))
    return {"end": end, "top": top, "up": bool(end > 0), "n_pos": int(np.sum(rng.random(8) > 0.5))}


def fail_some(value, seed):
    """Raises at value 2 for every seed except 11; otherwise returns the value."""
    if value == 2 and seed != 11:
        raise ZeroDivisionError(f"planted failure at value {value}, seed {seed}")
    return {"v": float(value)}


def die_at(value, seed):
    """Kills its worker process at value 1 (a lost worker)."""
    if value == 1:
        os._exit(3)
    return {"v": float(value)}


def bad_metric(value, seed):
    """Returns a metric that is not a number at value 1."""
    return {"v": "high" if value == 1 else 1.0}


def changing_keys(value, seed):
    """Returns a different metric set at value 1."""
    return {"v": 1.0} if value == 0 else {"w": 1.0}


def not_a_mapping(value, seed):
    return [value, seed]


def echo_seed(value, seed):
    return {"s": float(seed), "x": float(value)}
