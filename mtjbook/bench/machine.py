"""The machine a benchmark runs on: its facts (CPU, threads, versions, load), the timing helper
(:func:`best_time`), and its arithmetic limit (floating-point operations per junction-step,
counted from the kernels' source, and the measured peak of a simple mul+add loop).
:mod:`mtjbook.bench.llg` reports the LLG rates against them.
"""

from __future__ import annotations

import math
import os
import platform
import time

import numba
import numpy as np
from numba import njit, prange

from mtjlib.physics import llg_kernels

# Machine -----------------------------------------------------------------------------------

def machine_info() -> dict:
    """CPU, core count, library versions and load: the context every number needs."""
    model = ""
    try:
        with open("/proc/cpuinfo") as f:
            model = next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")),
                         "")
    except OSError:
        pass
    try:
        import cmtj
        cmtj_version = cmtj._version.__version__
    except (ImportError, AttributeError):
        cmtj_version = None
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": model or platform.processor() or platform.machine(),
        "processor": platform.processor(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "numba": numba.__version__,
        "numba_threads": numba.get_num_threads(),
        "cmtj": cmtj_version,
        "load_average_1min": os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan"),
    }


def best_time(fn, repeats: int) -> tuple[float, float]:
    """(best wall time, process CPU time / wall time of that run) over ``repeats`` calls."""
    best, util = math.inf, float("nan")
    for _ in range(repeats):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        w, c = time.perf_counter() - w0, time.process_time() - c0
        if w < best:
            best, util = w, c / w
    return best, util


# Arithmetic limit --------------------------------------------------------------------------

class _Flop(float):
    """A float that counts the arithmetic operations done on it (class-wide counter)."""

    count = 0

    def _op(self, v):
        _Flop.count += 1
        return _Flop(v)

    def __add__(self, o): return self._op(float(self) + float(o))  # noqa: E704
    def __radd__(self, o): return self._op(float(o) + float(self))  # noqa: E704
    def __sub__(self, o): return self._op(float(self) - float(o))  # noqa: E704
    def __rsub__(self, o): return self._op(float(o) - float(self))  # noqa: E704
    def __mul__(self, o): return self._op(float(self) * float(o))  # noqa: E704
    def __rmul__(self, o): return self._op(float(o) * float(self))  # noqa: E704
    def __truediv__(self, o): return self._op(float(self) / float(o))  # noqa: E704
    def __rtruediv__(self, o): return self._op(float(o) / float(self))  # noqa: E704
    def __pow__(self, o): return self._op(float(self) ** float(o))  # noqa: E704
    def __neg__(self): return _Flop(-float(self))  # noqa: E704 (a sign flip, not counted)


def flops_per_step() -> dict:
    """Floating-point operations per junction-step, as written in the kernels' source.

    The right-hand side is counted by running ``llg_kernels._rhs``'s Python source on counting
    floats; the RK4 and Heun updates around it are counted from their formulas (stage inputs
    x + h k: 2 per component and stage; the weighted sum: 7 per component for RK4, 3 for Heun;
    |m| renormalisation: 10 incl. one sqrt and one division; the thermal field: 3); the
    resistance extremum tracking of the batch adds about 12 per step. Division and sqrt count
    as one operation each (they cost several times a multiply).
    """
    args = [_Flop(v) for v in (0.1, 0.2, 0.97, -0.03, -0.03, 0.12, 3e9, 0.37, 0.015, 0.0,
                               0.0, 0.0, 0.0)]
    _Flop.count = 0
    llg_kernels._rhs.py_func(*args)
    rhs = _Flop.count
    rk4 = 4 * rhs + 3 * 3 * 2 + 3 * 7 + 10
    heun = 2 * rhs + 3 + 3 * 2 + 3 * 3 + 10
    return {"rhs": rhs, "rk4": rk4, "heun": heun, "extrema": 12}


@njit(cache=True, error_model="numpy")
def _muladd_kernel(x, reps, a, b):
    """8 dependent mul+add per element and repeat, vectorised over the elements of x."""
    for _ in range(reps):
        for i in range(x.shape[0]):
            y = x[i]
            y = y * a + b
            y = y * a + b
            y = y * a + b
            y = y * a + b
            y = y * a + b
            y = y * a + b
            y = y * a + b
            y = y * a + b
            x[i] = y


@njit(parallel=True, cache=True, error_model="numpy")
def _muladd_parallel(xs, reps, a, b):
    for c in prange(xs.shape[0]):
        _muladd_kernel(xs[c], reps, a, b)


@njit(cache=True, error_model="numpy")
def _add_chain(n, b):
    """A chain of n dependent additions: its time gives the core clock (latency 3 cycles)."""
    y = 0.0
    for _ in range(n):
        y = y + b
    return y


def measured_peak(quick: bool = False) -> dict:
    """Peak mul+add rate of a simple vectorised numba loop (GFLOP/s), one thread and all threads.

    Also estimates the clock from a dependent-add chain, assuming AMD Zen 4's 3-cycle add
    latency, and the nominal peak without FMA contraction (2 x 256-bit mul + 2 x 256-bit add
    pipes: 16 double-precision flops per cycle and core); numba compiles without fast-math,
    so no mul+add is fused into an FMA, in the peak loop or in the LLG kernels.
    """
    n_el, reps = 256, (20_000 if quick else 200_000)
    x = np.full(n_el, 0.5)
    _muladd_kernel(x, 1, 0.999999, 1e-7)
    t1, _ = best_time(lambda: _muladd_kernel(x, reps, 0.999999, 1e-7), 3)
    nt = numba.get_num_threads()
    xs = np.full((nt, n_el), 0.5)
    _muladd_parallel(xs, 1, 0.999999, 1e-7)
    tn, _ = best_time(lambda: _muladd_parallel(xs, reps, 0.999999, 1e-7), 3)
    n_add = 20_000_000 if quick else 100_000_000
    _add_chain(10, 1e-9)
    ta, _ = best_time(lambda: _add_chain(n_add, 1e-9), 3)
    clock = 3 * n_add / ta
    return {
        "peak_gflops_1thread": 16 * n_el * reps / t1 / 1e9,
        "peak_gflops_all": 16 * n_el * reps * nt / tn / 1e9,
        "clock_ghz_est": clock / 1e9,
        "nominal_gflops_per_core": 16 * clock / 1e9,
    }
