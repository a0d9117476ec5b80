"""Innate training (Fig. 3) in plain NumPy, as a user would write it, and a benchmark against
:mod:`mtjlib.training.innate`.

:func:`numpy_innate` repeats :func:`mtjlib.tasks.drawing.run_innate` step for step (same network,
same random draws): a Python loop over time steps with the network step in vectorised NumPy and
SciPy (J r one sparse product), and inside it a loop over the plastic units, each with its own NumPy
RLS. ``tests/mtjlib/training/test_innate.py`` checks that both give the same numbers (to 1e-9; the sums are not
in the same order); :func:`benchmark` times both at paper scale in one run.

Usage: ``python -m mtjbook.bench.innate [--quick] [--numpy-trials K]``.
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np
import scipy.sparse

from mtjlib.tasks.drawing import drawing_error, drawing_path, run_innate, train_readout
from mtjlib.training.innate import (
    learn_window,
    plastic_rows,
    record_innate,
    recurrent_plateau,
    train_recurrent,
)
from mtjlib.training.innate_config import InnateConfig, make_network, trigger_input

#: Issue 8's targets for the whole Fig. 3 training at paper scale on 2 cores: at most
#: CEILING_S seconds, and at least TARGET_SPEEDUP times the plain NumPy implementation.
CEILING_S = 60.0
TARGET_SPEEDUP = 20.0


def _check_int(name, value, lo, hi):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name}={value!r} must be an int")
    if not lo <= value <= hi:
        raise ValueError(f"{name}={value!r} is outside the allowed range [{lo}, {hi}]")


def _rng(seed) -> np.random.Generator:
    """The generator of ``seed`` as mtjlib derives it (an int or a Generator)."""
    if isinstance(seed, np.random.Generator):
        return seed
    _check_int("seed", seed, 0, 2**63)
    return np.random.default_rng(int(seed))


class _NumpyNet:
    """A copy of a network's weights with a NumPy step: J r is one SciPy sparse product, as a
    NumPy user writes it (a Python loop over the rows would cost 1.3 ms per step at N = 800,
    against 0.03 ms, and inflate every speed-up)."""

    def __init__(self, net):
        w = net.weights
        self.indptr, self.indices = w.indptr, w.indices
        self.data = w.data.copy()
        # J shares self.data: the recurrent RLS below writes the plastic rows in place
        self.J = scipy.sparse.csr_array((self.data, self.indices, self.indptr),
                                        shape=(net.n, net.n))
        if not np.shares_memory(self.J.data, self.data):
            raise RuntimeError("scipy copied J's values: the trained rows would be lost")
        self.w_in, self.b = w.w_in, w.b
        self.a = net.params.leak
        self.lo, self.hi = net.params.x_limits
        self.tab_x, self.tab_f = net.tab_x, net.tab_f
        self.shared = bool(np.all(net.tab_x == net.tab_x[0]) and np.all(net.tab_f == net.tab_f[0]))
        self.n = net.n
        self.w_out = np.zeros((2, net.n))

    def rates(self, x):
        xc = np.clip(x, self.lo, self.hi)
        if self.shared:
            return np.interp(xc, self.tab_x[0], self.tab_f[0])
        return np.array([np.interp(xc[i], self.tab_x[i], self.tab_f[i]) for i in range(self.n)])

    def run(self, x, u, noise=None, rec_learn=None, rec_target=None, rows=None, rec_P=None,
            out_learn=None, out_target=None, out_P=None):
        """One trial from drive ``x``; returns (rates (T, n), outputs (T, 2))."""
        T = len(u)
        R, Z = np.empty((T, self.n)), np.empty((T, 2))
        x = x.copy()
        for t in range(T):
            r = self.rates(x)
            z = self.w_out @ r
            R[t], Z[t] = r, z
            if out_learn is not None and out_learn[t]:
                k = out_P @ r
                c = 1.0 / (1.0 + r @ k)
                self.w_out -= c * np.outer(z - out_target[t], k)
                out_P -= c * np.outer(k, k)
            if rec_learn is not None and rec_learn[t]:
                for q, i in enumerate(rows):
                    a, b = self.indptr[i], self.indptr[i + 1]
                    rp = r[self.indices[a:b]]
                    P = rec_P[q]
                    k = P @ rp
                    c = 1.0 / (1.0 + rp @ k)
                    self.data[a:b] -= c * (r[i] - rec_target[t, i]) * k
                    P -= c * np.outer(k, k)
            acc = self.b + noise[t] if noise is not None else self.b.copy()
            acc += self.J @ r
            acc += self.w_in @ u[t]
            x += self.a * (acc - x)
        return R, Z


def numpy_innate(data, config: InnateConfig | None = None, seed=0, *, n_test: int = 10,
                 n_test_periods: int = 3, n_recurrent_trials: int | None = None,
                 n_readout_trials: int | None = None, **build_kw) -> dict:
    """:func:`mtjlib.tasks.drawing.run_innate` in plain NumPy (same draws, same order).

    ``n_recurrent_trials`` / ``n_readout_trials`` run only the first trials (for timing).
    Returns ``recurrent_error``, ``readout_error``, ``test_error`` (n_test, n_test_periods),
    ``z`` (the test outputs), ``data`` (J's values after training), ``w_out``, and the wall
    times ``t_recurrent_s``, ``t_readout_s``.
    """
    config = InnateConfig() if config is None else config
    if config.readout_noise or config.readout_whole_period or config.trigger_before:
        raise ValueError("numpy_innate implements the book's first readout training (no noise, "
                         "from the trigger's end, the trigger inside the period): readout_noise, "
                         "readout_whole_period and trigger_before must be False, got "
                         f"{config.readout_noise}, {config.readout_whole_period} and "
                         f"{config.trigger_before}")
    nr = config.n_recurrent_trials if n_recurrent_trials is None else n_recurrent_trials
    no = config.readout_trials if n_readout_trials is None else n_readout_trials
    _check_int("n_recurrent_trials", nr, 0, config.n_recurrent_trials)
    _check_int("n_readout_trials", no, 0, config.readout_trials)
    T = config.steps
    f = drawing_path(data, config).xy
    rng = _rng(seed)
    s_net, s_inn, s_rec, s_out, s_test = rng.spawn(5)
    net = make_network(config, s_net, **build_kw)
    npn = _NumpyNet(net)
    lo, hi = config.init_range
    u = trigger_input(config)
    window = np.arange(T) >= config.trigger_steps

    # 1. innate trajectory
    innate, _ = npn.run(s_inn.uniform(lo, hi, npn.n), u)
    # 2. recurrent training
    rows = plastic_rows(npn.n, config.plastic_fraction)
    rec_P = [np.eye(npn.indptr[i + 1] - npn.indptr[i]) / config.alpha_recurrent for i in rows]
    learn = learn_window(config)
    rec_err = []
    t0 = time.perf_counter()
    for _ in range(nr):
        x = s_rec.uniform(lo, hi, npn.n)
        noise = config.noise * s_rec.standard_normal((T, npn.n)) if config.noise > 0 else None
        R, _ = npn.run(x, u, noise, learn, innate, rows, rec_P)
        d = R[window][:, rows] - innate[window][:, rows]
        rec_err.append(math.sqrt(float(np.mean(d * d))) if d.size else 0.0)
    t_rec = time.perf_counter() - t0
    # 3. readout training (FORCE, P carried, learn every learn_every steps of the window)
    out_learn = window & (np.arange(T) % config.learn_every == 0)
    out_P = np.eye(npn.n) / config.alpha_readout
    out_err = []
    t0 = time.perf_counter()
    for _ in range(no):
        x = s_out.uniform(lo, hi, npn.n)
        _, Z = npn.run(x, u, out_learn=out_learn, out_target=f, out_P=out_P)
        d = Z[window] - f[window]
        out_err.append(math.sqrt(float(np.mean(np.sum(d * d, axis=1)))))
    t_out = time.perf_counter() - t0
    # 4. test
    ut = trigger_input(config, n_test_periods)
    zs = []
    for _ in range(n_test):
        x = s_test.uniform(lo, hi, npn.n)
        noise = (config.noise * s_test.standard_normal((len(ut), npn.n))
                 if config.noise > 0 else None)
        zs.append(npn.run(x, ut, noise)[1])
    z = np.array(zs)
    return {"recurrent_error": np.array(rec_err), "readout_error": np.array(out_err),
            "test_error": drawing_error(z, f), "z": z, "data": npn.data, "w_out": npn.w_out,
            "t_recurrent_s": t_rec, "t_readout_s": t_out}


def benchmark(data, config: InnateConfig | None = None, seed=0, *, numpy_trials: int = 2) -> dict:
    """Wall time of the whole Fig. 3 training (network, innate recording, recurrent and readout
    training; the test excluded) in :mod:`mtjlib` and in plain NumPy, in the same run.

    mtjlib runs the steps of :func:`mtjlib.tasks.drawing.run_innate` with the same child streams,
    each timed, after a warm-up call (numba compilation excluded). NumPy runs ``numpy_trials``
    recurrent and ``numpy_trials`` readout trials; its time is scaled to the full trial counts
    (every trial costs the same), and its network and innate recording (a fraction of a second)
    are not counted. Speed-ups: NumPy time over mtjlib time, in total and per phase.
    """
    config = InnateConfig() if config is None else config
    _check_int("numpy_trials", numpy_trials, 1, 10**6)
    small = config.replace(n_mtj=min(config.n_mtj, 20), n_recurrent_trials=1, n_readout_trials=1)
    run_innate(data, small, seed, n_test=1, n_test_periods=1)  # compile
    path = drawing_path(data, config)
    s_net, s_inn, s_rec, s_out, _ = _rng(seed).spawn(5)
    t0 = time.perf_counter()
    net = make_network(config, s_net)
    innate = record_innate(net, config, s_inn)
    t1 = time.perf_counter()
    train_recurrent(net, innate, config, s_rec)
    t2 = time.perf_counter()
    train_readout(net, path, config, s_out)
    t3 = time.perf_counter()
    k_rec = min(numpy_trials, config.n_recurrent_trials)
    k_out = min(numpy_trials, config.readout_trials)
    res = numpy_innate(data, config, seed, n_test=1, n_test_periods=1, n_recurrent_trials=k_rec,
                       n_readout_trials=k_out)
    np_rec = res["t_recurrent_s"] / max(k_rec, 1) * config.n_recurrent_trials
    np_out = res["t_readout_s"] / k_out * config.readout_trials
    lib_rec, lib_out = t2 - t1, t3 - t2
    return {"n_mtj": config.n_mtj, "recurrent_trials": config.n_recurrent_trials,
            "readout_trials": config.readout_trials, "mtjlib_s": t3 - t0,
            "mtjlib_recurrent_s": lib_rec, "mtjlib_readout_s": lib_out,
            "numpy_s_scaled": np_rec + np_out, "numpy_recurrent_s": np_rec,
            "numpy_readout_s": np_out, "numpy_trials_timed": numpy_trials,
            "speedup": (np_rec + np_out) / (t3 - t0),
            "speedup_recurrent": np_rec / lib_rec if config.n_recurrent_trials else math.nan,
            "speedup_readout": np_out / lib_out}


def calibrate(data, config: InnateConfig | None = None, seeds=(100, 101, 102), *,
              n_trials: int = 60, tol: float = 0.005) -> dict:
    """The principle behind ``InnateConfig.n_recurrent_trials``: recurrent training errors of
    ``n_trials`` trials on calibration ``seeds`` (not the figure's or the claim's), and
    :func:`mtjlib.training.innate.recurrent_plateau` of their mean at ``tol``. Each seed's network,
    innate recording and training draws come from the same child streams as in
    :func:`mtjlib.tasks.drawing.run_innate`."""
    config = InnateConfig() if config is None else config
    _check_int("n_trials", n_trials, 2, 10**6)
    cfg = config.replace(n_recurrent_trials=n_trials)
    errs = []
    for s in seeds:
        s_net, s_inn, s_rec, _, _ = _rng(s).spawn(5)
        net = make_network(cfg, s_net)
        errs.append(train_recurrent(net, record_innate(net, cfg, s_inn), cfg, s_rec))
    errs = np.array(errs)
    return {"errors": errs, "plateau": recurrent_plateau(errs, tol), "tol": tol,
            "seeds": tuple(seeds)}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="200 MTJs instead of 800")
    ap.add_argument("--numpy-trials", type=int, default=2)
    ap.add_argument("--hanzi-dir", default=None, help="hanzi-writer-data folder")
    ap.add_argument("--calibrate", action="store_true",
                    help="re-measure the recurrent trial count (seeds 100-102, 60 trials)")
    args = ap.parse_args(argv)
    from mtjbook.pages.page import character_dir
    from mtjlib.tasks.character_data import load_character
    data = load_character("师", character_dir("师", args.hanzi_dir)[0])
    config = InnateConfig(n_mtj=200) if args.quick else InnateConfig()
    if args.calibrate:
        res = calibrate(data, config)
        print("mean recurrent error per trial:", np.round(res["errors"].mean(axis=0), 4).tolist())
        print(f"plateau (fall < {100 * res['tol']:g} % per trial): {res['plateau']} trials")
        return
    res = benchmark(data, config, numpy_trials=args.numpy_trials)
    for k, v in res.items():
        print(f"{k}: {v:.4g}" if isinstance(v, float) else f"{k}: {v}")
    print(f"targets (paper scale, 2 cores): <= {CEILING_S:g} s "
          f"({'met' if res['mtjlib_s'] <= CEILING_S else 'not met'}), >= {TARGET_SPEEDUP:g}x NumPy "
          f"({'met' if res['speedup'] >= TARGET_SPEEDUP else 'not met'})")


if __name__ == "__main__":
    main()
