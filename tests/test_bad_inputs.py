"""Bad inputs to mtjlib's public API get a clear error (issue 13), never a silent wrong result.

Three parts:

1. one test per defect listed in issue 13 (``test_defect_*``);
2. a table of (entry point, parameter, bad value) triples, each of which must raise a
   ValueError or TypeError whose message names the parameter as the caller spelled it (and,
   for a scalar, shows its value): shapes, dtypes, NaN and inf, empty arrays, bools for ints,
   strings, huge values, mismatched lengths;
3. Hypothesis strategies that generate further bad values for the same entry points and assert
   either such an error or a finite, sensible result.

``test_case_count`` asserts that parts 1 and 2 hold at least 200 distinct cases and prints the
count. Time budget: the whole module runs in under 60 s on the shared 2-core machine (12 s
measured under load), and ``test_zz_time_budget``, the module's last test, fails if it did
not. Hypothesis is derandomised (the same examples in CI every run), keeps no example
database, and has no per-example deadline (the machine is shared and loaded).
"""

from __future__ import annotations

import functools
import math
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from mtjlib import _validate
from mtjlib.device import DeviceParams, default_device
from mtjlib.force import force_train
from mtjlib.generation import fig2_timeline, sine, timeline
from mtjlib.imperfections import Imperfections
from mtjlib.innate import InnateConfig
from mtjlib.llg import coefficients, simulate_batch, simulate_trace
from mtjlib.metrics import SQUARE_SAFE, nrmse, rolling_nrmse, settle_time, zero_crossing_period
from mtjlib.network import MAX_N, NetworkParams, build_network
from mtjlib.neuron import (
    calibrate,
    delta_r,
    delta_r_from_trace,
    joule_energy,
    no_reset_study,
    parabola_extrema,
    response_curve,
)
from mtjlib.recognition import classify, fit_ridge, window_means

ROOT = Path(__file__).resolve().parents[1]
HYP = settings(max_examples=100, deadline=None, derandomize=True, database=None,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
DEV = default_device()
N_NET = 6


#: Seconds the whole module may take (see the module docstring).
TIME_BUDGET_S = 60.0
_STARTED: list[float] = []


@pytest.fixture(autouse=True, scope="module")
def _module_clock():
    """Start the module's clock at its first test."""
    import time

    _STARTED.append(time.perf_counter())


@pytest.fixture(scope="module")
def net():
    return build_network(n=N_NET, seed=1)


def _named_error(fn, name, value=None, show_value=False):
    """Call ``fn``; it must raise ValueError/TypeError naming ``name`` (and ``value``)."""
    with pytest.raises((ValueError, TypeError)) as info:
        fn()
    msg = str(info.value)
    assert name in msg, f"the message does not name {name!r}: {msg}"
    if show_value:
        shown = [repr(value)[:20], str(value)[:20]]
        assert any(s in msg for s in shown), f"the message does not show {value!r}: {msg}"
    return msg


def _finite(result) -> bool:
    """Every number reachable in ``result`` (arrays, tuples, dataclasses) is finite."""
    if result is None or isinstance(result, (str, bool)):
        return True
    if isinstance(result, (int, float, np.number, np.ndarray)):
        arr = np.asarray(result)
        return not np.issubdtype(arr.dtype, np.floating) or bool(np.all(np.isfinite(arr)))
    if isinstance(result, (list, tuple)):
        return all(_finite(r) for r in result)
    if hasattr(result, "__dataclass_fields__"):
        return all(_finite(getattr(result, f)) for f in result.__dataclass_fields__
                   if f not in ("meta",))
    return True


# 1. The defects of issue 13 ---------------------------------------------------------------------

def test_defect_rates_short_and_long_x(net):
    """Network.rates(x) with x shorter than n read past the buffer; longer was truncated."""
    for bad in (np.zeros(N_NET - 1), np.zeros(N_NET + 1), np.zeros((N_NET, 1))):
        msg = _named_error(lambda b=bad: net.rates(b), "x")
        assert str(bad.shape) in msg
    assert np.all(np.isfinite(net.rates(np.full(N_NET, 0.5))))


def test_defect_reset_nan_leaves_state(net):
    """reset(x=NaN) then run gave NaN: now refused, and the state is untouched."""
    before = net.x.copy()
    _named_error(lambda: net.reset(np.full(N_NET, np.nan)), "x")
    np.testing.assert_array_equal(net.x, before)
    assert np.all(np.isfinite(net.run(3).z))


def test_defect_force_p_used_under_default_p_reset():
    """force_train(P=...) was ignored under the default p_reset="each_window"."""
    t = np.arange(40) * 1.5
    f = 0.5 * np.sin(t / 8)
    learn = np.ones(40, dtype=bool)
    z_alpha1 = force_train(build_network(n=10, seed=2), f, t, learn, alpha=1.0).z
    z_p5 = force_train(build_network(n=10, seed=2), f, t, learn, alpha=1.0, P=np.eye(10) / 0.2).z
    z_alpha02 = force_train(build_network(n=10, seed=2), f, t, learn, alpha=0.2).z
    assert not np.allclose(z_p5, z_alpha1)  # the given P matters ...
    np.testing.assert_allclose(z_p5, z_alpha02, rtol=1e-9, atol=1e-12)  # ... and is used as given


def test_defect_force_nan_p_refused():
    t = np.arange(10) * 1.5
    for p_reset in ("never", "each_window"):
        _named_error(lambda r=p_reset: force_train(build_network(n=4), np.sin(t), t,
                                                   np.ones(10, bool), p_reset=r,
                                                   P=np.full((4, 4), np.nan)), "P")


@pytest.mark.parametrize("llg_dt", [0, 1e-9, -1e-12, math.nan, "5e-13"])
def test_defect_llg_dt(llg_dt, monkeypatch):
    """llg_dt=0 gave ZeroDivisionError, 1e-9 two RK4 steps per window and rates of -3.68.
    Checked at entry: no response table is computed first."""
    from mtjlib import network

    def no_work(*a, **k):
        raise AssertionError("work done before llg_dt was checked")

    monkeypatch.setattr(network, "response_curve", no_work)
    _named_error(lambda: build_network(n=4, neuron_mode="llg", llg_dt=llg_dt), "llg_dt", llg_dt,
                 show_value=True)


def test_defect_fig2_timeline_dt_and_amplitude():
    _named_error(lambda: fig2_timeline(dt_ns=0), "dt_ns", 0, show_value=True)
    _named_error(lambda: fig2_timeline(amp2=0), "amp2", 0, show_value=True)
    _named_error(lambda: fig2_timeline(period1_ns=-45.0), "period1_ns")


def test_defect_delta_r_empty_j():
    msg = _named_error(lambda: delta_r(DEV, []), "j")
    assert "at least 1" in msg


def test_defect_delta_r_t_window_named():
    msg = _named_error(lambda: delta_r(DEV, 0.9e10, t_window=0), "t_window", 0, show_value=True)
    assert "t_end" not in msg


def test_defect_elliptic_device_not_perpendicular():
    """A 60 x 40 nm ellipse at Ku = 3.608e5 died with "math domain error": m = z is a saddle
    there (the shape anisotropy wins along x). The error now says so and what Ku would do."""
    ellipse = DeviceParams(diameter_x=60e-9, ku=3.608e5)
    msg = _named_error(lambda: delta_r(ellipse, 0.9e10), "ku")
    assert "stable equilibrium" in msg and "ku >" in msg
    _named_error(ellipse.kittel_frequency, "ku")
    stiff = DeviceParams(diameter_x=60e-9, ku=3.75e5)
    dr = delta_r(stiff, [0.8e10, 1.0e10])
    assert np.all(np.isfinite(dr)) and np.all(dr > 0)


def test_defect_simulate_trace_m0_shape():
    """m0 of shape (3, 2) was a numba TypingError."""
    msg = _named_error(lambda: simulate_trace(DEV, 0.9e10, m0=np.ones((3, 2))), "m0")
    assert "(3, 2)" in msg


def test_defect_ku_zero():
    """DeviceParams(ku=0) was accepted; delta_r gave 597 Ohm from a non-equilibrium."""
    _named_error(lambda: DeviceParams(ku=0), "ku", 0, show_value=True)
    _named_error(lambda: DeviceParams(ku=1.0).kittel_frequency(), "ku")


def test_defect_temperature_cap_matches_network():
    """simulate_trace(temperature=1e9) ran although NetworkParams caps T at 1e4 K."""
    msg = _named_error(lambda: simulate_trace(DEV, 0.9e10, temperature=1e9), "temperature", 1e9,
                       show_value=True)
    assert "10000" in msg
    _named_error(lambda: NetworkParams(temperature=1e9), "temperature")
    _named_error(lambda: delta_r(DEV, 0.9e10, temperature=2e4), "temperature")


def test_defect_classify_nan():
    """classify([nan]) said "square wave"."""
    _named_error(lambda: classify([np.nan]), "mean_output")
    np.testing.assert_array_equal(classify([0.5, -0.5, 0.0]), [1, -1, 1])
    assert classify(0.3).shape == ()


def test_defect_calibrate_reports_convergence():
    targets = dict(zip((0.8e10, 1.0e10), delta_r(DEV, [0.8e10, 1.0e10]).tolist()))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # converged: no warning
        _, hist = calibrate(targets)
    assert np.max(np.abs(hist[-1][1])) < 1e-4
    far = DEV.replace(ku=3.99e5)
    with pytest.warns(RuntimeWarning, match="did not converge.*max_iter=1"):
        calibrate(targets, base=far, max_iter=1)
    _named_error(lambda: calibrate(targets, free=("ku", "nope")), "free")
    _named_error(lambda: calibrate({0.8e10: math.nan, 1e10: 145.0}), "targets")


def test_defect_delta_r_from_trace_all_nan():
    """delta_r_from_trace(all NaN) returned 0."""
    _named_error(lambda: delta_r_from_trace(np.full(100, np.nan)), "resistance")
    _named_error(lambda: delta_r_from_trace([1.0, 2.0]), "resistance")


def test_defect_response_curve_string_t_window_cache_independent():
    """t_window='1.5e-9' succeeded with a warm cache and failed with a cold one."""
    response_curve(n_j=5)  # warm the cache for the valid window
    for cache in (True, False):
        _named_error(lambda c=cache: response_curve(n_j=5, t_window="1.5e-9", cache=c),
                     "t_window", "1.5e-9", show_value=True)


def test_defect_cache_header_not_an_object():
    """A cache file whose header is valid JSON but not an object raised AttributeError."""
    first = response_curve(n_j=7)
    path = Path(first.meta["cache_path"])
    np.savez(path.with_suffix(".tmp.npz"), j=first.j, delta_r=first.delta_r,
             header=np.array("[1, 2, 3]"))
    path.with_suffix(".tmp.npz").replace(path)
    again = response_curve(n_j=7)
    assert not again.meta["from_cache"]
    np.testing.assert_array_equal(again.delta_r, first.delta_r)


def test_defect_unwritable_cache_warns_and_computes(tmp_path, monkeypatch):
    """An unwritable cache path made every network build fail."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("MTJLIB_CACHE_DIR", str(blocker / "cache"))
    with pytest.warns(RuntimeWarning, match="cannot write the cache"):
        curve = response_curve(n_j=5)
    assert not curve.meta["from_cache"]
    with pytest.warns(RuntimeWarning, match="cannot write the cache"):
        net = build_network(n=4, x_limits=(0.0, 0.995))  # a table not cached by other tests
    assert np.all(np.isfinite(net.run(2).z))


def test_defect_build_network_memory(monkeypatch):
    """build_network(n=100000) needed 74.5 GiB: n is capped (20000: 6.3 GiB at the peak) and
    the build checks the machine's memory before drawing anything."""
    msg = _named_error(lambda: build_network(n=100_000), "n", 100_000, show_value=True)
    assert str(MAX_N) in msg
    monkeypatch.setattr(_validate, "available_memory", lambda: 2**30)
    msg = _named_error(lambda: build_network(n=MAX_N), "n=20000")
    assert "GiB" in msg


def test_defect_bench_help_and_bad_flag():
    """`python -m mtjbook.bench --help` (or a typo) silently started the full benchmark."""
    run = subprocess.run([sys.executable, "-m", "mtjbook.bench", "--help"], cwd=ROOT, check=False,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and "usage" in run.stdout.lower()
    bad = subprocess.run([sys.executable, "-m", "mtjbook.bench", "--no-such-flag"],
                         cwd=ROOT, check=False,
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "usage" in bad.stderr.lower()


# 2. Table of (entry point, parameter, bad value) triples ---------------------------------------

NAN, INF = math.nan, math.inf
#: Not a real number at all, for any real parameter.
NOT_REAL = [NAN, INF, -INF, "1.0", True, None, [1.0], 1 + 0j]
#: Not an int, for any int parameter.
NOT_INT = [1.5, "3", True, None, NAN, 2.0]


def _dev(**kw):
    return DeviceParams(**kw)


def _expand(specs, common=()):
    """(label, parameter, bad value, call) for each spec's own values and the ``common`` ones."""
    return [(label, name, v, call) for label, name, call, own in specs
            for v in list(common) + list(own)]


def _real_cases():
    """(label, parameter, bad value, call) for scalar real parameters."""
    specs = [
        # DeviceParams fields: (name, out-of-range values)
        *[(f"DeviceParams.{f}", f, lambda v, f=f: _dev(**{f: v}), extra)
          for f, extra in [("diameter_x", [0.0, -4e-8, 1.0]), ("diameter_y", [0.0, 1e-3]),
                           ("thickness", [0.0, 1e-6]), ("ms", [0.0, -1.0, 1e9]),
                           ("ku", [0.0, -1.0, 1e10]), ("alpha", [0.0, 1.0, 2.0]),
                           ("polarization", [0.0, 1.5]), ("slonczewski_lambda", [0.0, 2.0]),
                           ("beta", [-0.1, 1.0]), ("tmr", [0.0, 1e3]), ("r0", [0.0, -5.0])]],
        *[(f"NetworkParams.{f}", f, lambda v, f=f: NetworkParams(**{f: v}), extra)
          for f, extra in [("p", [0.0, 1.5]), ("g", [-1.0, 1e6]), ("tau_ns", [0.0, -3.0]),
                           ("dt_ns", [0.0, 100.0]), ("feedback_scale", [-1.0]),
                           ("input_scale", [-1.0]), ("bias", [1e7]), ("bias_spread", [-0.1]),
                           ("x0_spread", [-1.0]), ("temperature", [-1.0, 1e5])]],
        ("delta_r", "t_window", lambda v: delta_r(DEV, 0.9e10, t_window=v), [0.0, -1e-9, 1.0]),
        ("delta_r", "dt", lambda v: delta_r(DEV, 0.9e10, dt=v), [0.0, 1e-9]),
        ("delta_r", "temperature", lambda v: delta_r(DEV, 0.9e10, temperature=v), [-1.0, 1e5]),
        ("simulate_trace", "t_end", lambda v: simulate_trace(DEV, 0.9e10, t_end=v),
         [0.0, -1e-9, 1.0, 1e-13]),
        ("simulate_trace", "dt", lambda v: simulate_trace(DEV, 0.9e10, dt=v), [0.0, 1e-9]),
        ("simulate_trace", "j", lambda v: simulate_trace(DEV, v), []),
        ("simulate_trace", "temperature", lambda v: simulate_trace(DEV, 0.9e10, temperature=v),
         [-1.0, 1e9]),
        ("response_curve", "t_window", lambda v: response_curve(n_j=5, t_window=v), [0.0]),
        ("response_curve", "dt", lambda v: response_curve(n_j=5, dt=v), [0.0]),
        ("joule_energy", "t_window", lambda v: joule_energy(DEV, 1e10, v), [0.0]),
        ("no_reset_study", "threshold", lambda v: no_reset_study(DEV, 1e10, 1, threshold=v),
         [0.0, 1.0]),
        ("calibrate", "tol", lambda v: calibrate({0.8e10: 114.0, 1e10: 145.0}, tol=v), [0.0]),
        ("fig2_timeline", "dt_ns", lambda v: fig2_timeline(dt_ns=v), [0.0, -1.5]),
        ("fig2_timeline", "amp1", lambda v: fig2_timeline(amp1=v), [0.0, 1e9]),
        ("fig2_timeline", "period2_ns", lambda v: fig2_timeline(period2_ns=v), [0.0]),
        ("fig2_timeline", "t_end_ns", lambda v: fig2_timeline(t_end_ns=v), [100.0]),
        ("sine", "period_ns", lambda v: sine(1.0, v), [0.0]),
        ("Imperfections", "read_sigma", lambda v: Imperfections(read_sigma=v), [-0.1, 100.0]),
        ("Imperfections", "fail_fraction", lambda v: Imperfections(fail_fraction=v), [1.5]),
        ("InnateConfig", "plastic_fraction", lambda v: InnateConfig(plastic_fraction=v), [2.0]),
        ("fit_ridge", "ridge", lambda v: fit_ridge(np.ones((4, 2)), np.ones(4), ridge=v), [0.0]),
        ("settle_time", "level", lambda v: settle_time(np.arange(5.0), np.ones(5), 0, 4, v),
         [0.0]),
    ]
    return _expand(specs, NOT_REAL)


def _int_cases():
    """(label, parameter, bad value, call) for int parameters."""
    specs = [
        ("NetworkParams.n", "n", lambda v: NetworkParams(n=v), [0, -5, 100_000, 10**30]),
        ("NetworkParams.n_out", "n_out", lambda v: NetworkParams(n_out=v), [-1]),
        ("NetworkParams.n_in", "n_in", lambda v: NetworkParams(n_in=v), [-1, 10**6]),
        ("response_curve", "n_j", lambda v: response_curve(n_j=v), [2, 10**6]),
        ("Network.run", "n_steps", None, [0, -1]),
        ("force_train", "learn_every", None, [0]),
        ("Imperfections", "recurrent_delay", lambda v: Imperfections(recurrent_delay=v), [-1]),
        ("InnateConfig", "n_mtj", lambda v: InnateConfig(n_mtj=v), [1, 10**6]),
        ("window_means", "steps_per_window", lambda v: window_means(np.ones(6), v), [0]),
        ("calibrate", "max_iter", lambda v: calibrate({0.8e10: 114.0, 1e10: 145.0}, max_iter=v),
         [0]),
    ]
    return _expand(specs, NOT_INT)


def _array_cases():
    """(label, parameter, bad array, call) for array parameters: shapes, dtypes, NaN/inf,
    empty, strings, booleans, ragged, mismatched lengths."""
    n = N_NET
    # None is valid for Network.rates/reset (the current state, x0), so it is added below
    common = [np.array([1.0, NAN] * (n // 2)), np.array([INF] * n), "abc",
              [[1.0], [1.0, 2.0]], np.array(["a"] * n), np.ones(n, dtype=bool),
              np.ones(n, dtype=complex), [1.0, "a", 2.0]]
    specs = [
        ("Network.rates", "x", "net.rates", common + [np.zeros(n - 1), np.zeros(n + 1),
                                                     np.zeros((n, 2)), []]),
        ("Network.reset", "x", "net.reset", common + [np.zeros(n - 1), []]),
        ("delta_r", "j", lambda v: delta_r(DEV, v), common + [None, [], np.zeros((2, 2)),
                                                             [1e30]]),
        ("simulate_trace", "m0", lambda v: simulate_trace(DEV, 0.9e10, m0=v),
         common[:7] + [np.zeros(3), np.ones(2), np.ones((3, 2)), []]),
        ("simulate_batch", "m0", lambda v: simulate_batch(coefficients(DEV, [1e10, 0.9e10]), v,
                                                          1e-11), [np.ones((3, 3)), np.zeros(3)]),
        ("simulate_batch", "coeffs", lambda v: simulate_batch(v, (0, 0, 1), 1e-11),
         [np.ones((9, 2)), np.full((10, 1), NAN), "c"]),
        ("delta_r_from_trace", "resistance", lambda v: delta_r_from_trace(v),
         common + [None, [], [1.0], np.ones((4, 4))]),
        ("parabola_extrema", "y", lambda v: parabola_extrema(np.arange(n, dtype=float), v),
         common + [np.ones(n + 2)]),
        ("parabola_extrema", "t", lambda v: parabola_extrema(v, np.ones(n)),
         [np.ones(n), [], np.array([0.0, 1.0, 5.0, 6.0, 7.0, 8.0])]),
        ("classify", "mean_output", lambda v: classify(v), common[:6]),
        ("nrmse", "f", lambda v: nrmse(np.ones(n), v), common[:6] + [np.zeros(n), []]),
        ("nrmse", "z", lambda v: nrmse(v, np.ones(n)), common[:6]),
        ("zero_crossing_period", "z", lambda v: zero_crossing_period(np.arange(n + 0.0), v),
         common[:6] + [np.ones(n + 1)]),
        ("rolling_nrmse", "f", lambda v: rolling_nrmse(np.ones(n), v, 2),
         common[:6] + [np.ones(n + 1)]),
        ("fit_ridge", "rates", lambda v: fit_ridge(v, np.ones(n)), common[:6] + [np.ones(n)]),
        ("fit_ridge", "target", lambda v: fit_ridge(np.ones((n, 2)), v), common[:6]),
        ("window_means", "z", lambda v: window_means(v, 2), common[:6]),
        ("force_train", "t_ns", None, [np.array([0.0, 1.0, 5.0]), [], np.array([0.0, NAN])]),
        ("force_train", "target", None, [np.full(4, NAN), np.ones(5), "x"]),
        ("force_train", "learn_mask", None, [np.ones(4), np.ones(3, dtype=bool), "x"]),
        ("force_train", "P", None, [np.eye(N_NET + 1), np.full((N_NET, N_NET), INF),
                                    np.triu(np.ones((N_NET, N_NET)))]),
    ]
    return _expand(specs)


@functools.cache
def _innate():
    """A small innate network, its config and a character path (built on first use)."""
    from mtjlib.character import character_path, load_character
    from mtjlib.innate import make_network

    cfg = InnateConfig(n_mtj=8, period_ns=15.0, n_recurrent_trials=1, trigger_steps=2)
    path = character_path(load_character("人", ROOT / "tests" / "data" / "hanzi"), period_ns=15.0)
    return make_network(cfg, 0), cfg, path


def _other_cases():
    """Entry points of the other modules: innate, recognition, sweep, family, imperfections,
    rls, dynamics, character, device helpers, response curves."""
    from mtjlib import innate, rls
    from mtjlib.device import demag_cylinder, demag_elliptic_cylinder
    from mtjlib.dynamics import no_plasticity
    from mtjlib.family import common_curves, device_family
    from mtjlib.generation import Segment, fig2_trial
    from mtjlib.imperfections import fig2_imperfect_trial, realise, recognition_imperfect_trial
    from mtjlib.neuron import ResponseCurve, calibration_sensitivity, precession_period
    from mtjlib.recognition import recognition_network, recognition_stream, recognition_trial
    from mtjlib.sweep import derive_seeds, sweep

    def rc(**kw):
        base = {"j": np.array([1.0, 2.0, 3.0]), "delta_r": np.array([1.0, 2.0, 3.0]),
                "j_min": 1.0, "j_max": 3.0, "delta_r_min": 1.0, "delta_r_max": 3.0}
        return ResponseCurve(**{**base, **kw})

    def recurrent(rows):
        net, cfg, _ = _innate()
        return innate.train_recurrent(net, np.zeros((cfg.steps, 8)), cfg, rows=rows)

    specs = [
        ("train_recurrent", "rows", recurrent, [[0, 99], [-1], "ab", [0.5], [1, 1], [[0, 1]],
                                                [True, False]]),
        ("random_state", "rng", lambda v: innate.random_state(*_innate()[:2], v), [5, None, "g"]),
        ("innate_trial", "name", lambda v: innate.innate_trial(1, name=v, data={}),
         ["bogus", "n"]),
        ("recurrent_plateau", "errors", lambda v: innate.recurrent_plateau(v),
         [[], [NAN] * 10, np.ones((2, 2, 2)), "e"]),
        ("recurrent_plateau", "window", lambda v: innate.recurrent_plateau([1.0] * 10, window=v),
         [0, 1.5, True]),
        ("train_readout", "path", lambda v: innate.train_readout(_innate()[0], v, _innate()[1]),
         ["p", None, 3]),
        ("divergence", "eps", lambda v: innate.divergence(_innate()[0], 10, eps=v),
         [NAN, 0.0, 2.0, "1e-6"]),
        ("CharacterPath.sample", "t_ns", lambda v: _innate()[2].sample(v),
         ["a", [NAN], [INF], [1.0, "a"]]),
        ("recognition_network", "n_mtj", lambda v: recognition_network(v),
         [0, 10**6, 2.5, True]),
        ("recognition_stream", "n_windows", lambda v: recognition_stream(v), [0, 1.5, True]),
        ("recognition_stream", "noise", lambda v: recognition_stream(5, noise=v),
         [NAN, -1.0, "0.1"]),
        ("recognition_trial", "name", lambda v: recognition_trial(1, name=v), ["bogus", "seed"]),
        ("derive_seeds", "n", lambda v: derive_seeds(v), [0, -1, 2.0, True]),
        ("sweep", "seeds", lambda v: sweep(lambda a, b: {"m": 1.0}, [1], v),
         [0, -1, [], [-1], [1, 1], "s"]),
        ("sweep", "fn", lambda v: sweep(v, [1], [0]), [3, None]),
        ("sweep", "executor", lambda v: sweep(lambda a, b: {"m": 1.0}, [1], [0], executor=v),
         ["bogus"]),
        ("device_family", "spread", lambda v: device_family(spread=v), [NAN, -0.1, 2.0]),
        ("device_family", "kind", lambda v: device_family(kind=v), ["x", 3]),
        ("common_curves", "devices", lambda v: common_curves(v), [[], "ab", 3]),
        ("realise", "net", lambda v: realise(Imperfections(read_sigma=0.1), v, 0), ["net"]),
        ("row_p", "rows", lambda v: rls.row_p(np.arange(5), v), [[9], [0.5], [0, 0], "r"]),
        ("no_plasticity", "n", no_plasticity, [-1, 1.5]),
        ("demag_cylinder", "diameter", lambda v: demag_cylinder(v, 1e-9), ["a", 0.0, NAN]),
        ("demag_elliptic_cylinder", "n_phi",
         lambda v: demag_elliptic_cylinder(2e-8, 2e-8, 1e-9, n_phi=v), [2, 1.5]),
        ("DeviceParams.thermal_stability", "temperature", DEV.thermal_stability,
         [0.0, NAN, "300"]),
        ("DeviceParams.resistance", "mx", DEV.resistance, [2.0, NAN, "0"]),
        ("precession_period", "device", precession_period, ["d", None]),
        ("ResponseCurve", "delta_r_max", lambda v: rc(delta_r_max=v), [1.0, NAN]),
        ("ResponseCurve", "j", lambda v: rc(j=v), [np.array([3.0, 2.0, 1.0]), [1.0]]),
        ("ResponseCurve", "rule", lambda v: rc(rule=v), ["bogus"]),
        ("calibration_sensitivity", "params",
         lambda v: calibration_sensitivity(params=v), [("ku", "bogus"), "ku", ("beta",)]),
        ("calibration_sensitivity", "js", lambda v: calibration_sensitivity(js=v),
         [[], [NAN], [1e30]]),
        ("force_train", "record_rates", None, ["yes", None]),
        ("Network.run", "reset", None, [np.zeros(3, bool), [2, 0, 0, 0], "r"]),
        ("Network.run", "u", None, [np.zeros(4)]),
        ("Network.advance", "schedule.u", None, [np.zeros((2, 0)), [[0.0]] * 5]),
        ("Network.advance", "schedule.target", None, [np.zeros((2, 1)), np.full((5, 1), NAN)]),
        ("Network.advance", "schedule.restart", None, [np.zeros(2, bool), "r"]),
        ("Network.advance", "schedule.learn", None, [np.zeros(4, bool), np.full(5, 2)]),
        ("Network.advance", "learning.P", None, [np.zeros((2, 2)), np.full((N_NET, N_NET), INF)]),
        ("Network.advance", "schedule", None, ["s", (1, 2, 3)]),
        ("SweepResult.mean", "metric", lambda v: _sweep_result().mean(v), ["nope", 3, None]),
        ("SweepResult.success_rate", "metric", lambda v: _sweep_result().success_rate(v),
         ["nope", 3]),
        ("SweepResult.ci", "level", lambda v: _sweep_result().ci("m", level=v), [2.0, NAN, 0]),
        ("Segment", "t_start_ns", lambda v: Segment(v, sine(1.0, 45.0), True), [-1.0, "a", NAN]),
        ("Segment", "target", lambda v: Segment(0.0, v, True), [None, 3.0]),
        ("Segment", "learn", lambda v: Segment(0.0, sine(1.0, 45.0), v), ["yes", 1, None]),
        ("Sine.__call__", "t_ns", lambda v: sine(1.0, 45.0)(v), ["a", None]),
        ("fig2_trial", "params", lambda v: fig2_trial(params=v), ["x", 3]),
        ("fig2_trial", "training", lambda v: fig2_trial(training=v), ["x", [1, 2]]),
        ("fig2_trial", "name", lambda v: fig2_trial(1, name=v), ["bogus"]),
        ("fig2_imperfect_trial", "name", lambda v: fig2_imperfect_trial(1, name=v),
         ["bogus", "replace"]),
        ("recognition_imperfect_trial", "name", lambda v: recognition_imperfect_trial(1, name=v),
         ["bogus"]),
        ("realise", "rng", lambda v: realise(Imperfections(read_sigma=0.1), _innate()[0], v),
         ["r", -1, 1.5]),
        ("force_train", "imperfections_seed", None, ["s", -2]),
    ]
    return _expand(specs)


@functools.cache
def _sweep_result():
    from mtjlib.sweep import sweep

    return sweep(_metric_m, [1.0, 2.0], 3, executor="serial", progress=False)


def _metric_m(value, seed):
    return {"m": float(value) + seed % 2}


TRIPLES = _real_cases() + _int_cases() + _array_cases() + _other_cases()


def _call(net, label, name, value, call):
    """Dispatch the entry points that need the module's network."""
    if call == "net.rates":
        return net.rates(value)
    if call == "net.reset":
        return net.reset(value)
    if label == "Network.run":
        return net.run(value) if name == "n_steps" else net.run(4, **{name: value})
    if label == "Network.advance":
        from mtjlib.dynamics import Learning, Schedule

        if name == "schedule":
            return net.advance(value)
        parts = {"u": np.zeros((5, 0)), "reset": np.zeros(5, bool),
                 "target": np.zeros((5, 1)), "learn": np.ones(5, bool),
                 "restart": np.zeros(5, bool)}
        P = np.eye(N_NET)
        if name == "learning.P":
            P = value
        else:
            parts[name.split(".")[1]] = value
        return net.advance(Schedule(**parts), Learning(P=P, alpha=1.0, lam=1.0))
    if label == "force_train" and name == "imperfections_seed":
        t = np.arange(4) * net.params.dt_ns
        return force_train(net, np.ones(4), t, np.ones(4, bool),
                           imperfections=Imperfections(read_sigma=0.1), imperfections_seed=value)
    if label == "force_train":
        t = np.arange(4) * net.params.dt_ns
        kw = {"target": np.ones(4), "t_ns": t, "learn_mask": np.ones(4, dtype=bool)}
        kw[name] = value
        return force_train(net, kw.pop("target"), kw.pop("t_ns"), kw.pop("learn_mask"), **kw)
    return call(value)


@pytest.mark.parametrize("label,name,value,call", TRIPLES,
                         ids=[f"{t[0]}-{t[1]}-{i}" for i, t in enumerate(TRIPLES)])
def test_bad_value_is_named(net, label, name, value, call):
    scalar = not isinstance(value, (list, np.ndarray)) and value is not None
    show = scalar and isinstance(value, (int, float, str)) and not isinstance(value, bool)
    _named_error(lambda: _call(net, label, name, value, call), name, value, show_value=show)


def test_case_count():
    """At least 200 distinct bad-input cases (the triples plus the defect tests)."""
    keys = {(t[0], t[1], repr(t[2])) for t in TRIPLES}
    defects = 0  # test_defect_* functions, a parametrised one counted once per parameter
    for fname, fn in globals().items():
        if fname.startswith("test_defect_"):
            marks = [m for m in getattr(fn, "pytestmark", []) if m.name == "parametrize"]
            defects += len(marks[0].args[1]) if marks else 1
    total = len(keys) + defects
    print(f"\n{len(keys)} distinct (entry point, parameter, bad value) triples + "
          f"{defects} defect cases = {total}")
    assert total >= 200


# 3. Hypothesis: generated bad values -----------------------------------------------------------

def _outcome(fn, name):
    """Either a ValueError/TypeError naming ``name``, or a finite result."""
    try:
        result = fn()
    except (ValueError, TypeError) as exc:
        assert name in str(exc), f"{type(exc).__name__} does not name {name!r}: {exc}"
        return "error"
    assert _finite(result), f"non-finite result {result!r}"
    return "ok"


BAD_SCALARS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-10**40, max_value=10**40),
    st.booleans(), st.none(), st.text(max_size=4),
    st.complex_numbers(max_magnitude=1e3),
    st.lists(st.floats(), max_size=2),
)

DEVICE_FIELDS = list(DeviceParams.__dataclass_fields__)
NETWORK_REALS = ["p", "g", "tau_ns", "dt_ns", "feedback_scale", "input_scale", "bias",
                 "bias_spread", "x0_spread", "temperature", "n", "n_out", "n_in"]


@HYP
@given(field=st.sampled_from(DEVICE_FIELDS), value=BAD_SCALARS)
def test_hyp_device_params(field, value):
    _outcome(lambda: DeviceParams(**{field: value}), field)


@HYP
@given(field=st.sampled_from(NETWORK_REALS), value=BAD_SCALARS)
def test_hyp_network_params(field, value):
    _outcome(lambda: NetworkParams(**{field: value}), field)


@pytest.mark.parametrize(("fn", "t_name"), [(delta_r, "t_window"), (simulate_trace, "t_end")])
@HYP
@given(k=st.integers(min_value=0, max_value=3), value=BAD_SCALARS)
def test_hyp_llg_scalars(fn, t_name, k, value):
    """j, the window, dt and the temperature of delta_r and simulate_trace."""
    name = ["j", t_name, "dt", "temperature"][k]
    kw = {"j": 0.9e10, t_name: 4e-10, name: value}  # one precession period (0.39 ns)
    j = kw.pop("j")
    _outcome(lambda: fn(DEV, j, **kw), name)


ARRAYS = st.one_of(
    hnp.arrays(dtype=st.sampled_from([np.float64, np.float32, np.int64, np.bool_, np.complex128]),
               shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=8),
               elements=None),
    st.lists(st.one_of(st.floats(), st.text(max_size=2)), max_size=8),
    st.text(max_size=5), st.none(),
)


@HYP
@given(value=ARRAYS)
def test_hyp_network_rates(net, value):
    _outcome(lambda: net.rates(value), "x")


@HYP
@given(value=ARRAYS)
def test_hyp_network_reset(net, value):
    _outcome(lambda: net.reset(value), "x")
    net.reset()


@HYP
@given(value=ARRAYS)
def test_hyp_delta_r_j(value):
    _outcome(lambda: delta_r(DEV, value, t_window=2e-11), "j")


@HYP
@given(value=ARRAYS)
def test_hyp_simulate_trace_m0(value):
    _outcome(lambda: simulate_trace(DEV, 0.9e10, t_end=2e-11, m0=value), "m0")


@HYP
@given(value=ARRAYS)
def test_hyp_delta_r_from_trace(value):
    _outcome(lambda: delta_r_from_trace(value), "resistance")


@HYP
@given(value=ARRAYS)
def test_hyp_classify(value):
    _outcome(lambda: classify(value), "mean_output")


@HYP
@given(z=ARRAYS, f=ARRAYS)
def test_hyp_nrmse(z, f):
    try:
        nrmse(z, f)
    except (ValueError, TypeError) as exc:
        assert any(k in str(exc) for k in ("z", "f")), str(exc)
    else:
        assert math.isfinite(nrmse(z, f))


@HYP
@given(rates=ARRAYS, target=ARRAYS)
def test_hyp_fit_ridge(rates, target):
    try:
        w = fit_ridge(rates, target)
    except (ValueError, TypeError) as exc:
        assert "rates" in str(exc) or "target" in str(exc), str(exc)
    else:
        assert np.all(np.isfinite(w))


@HYP
@given(n_steps=st.integers(min_value=1, max_value=40), data=st.data())
def test_hyp_force_train_lengths(net, n_steps, data):
    """Mismatched lengths of t_ns, target and learn_mask are named; matching ones train."""
    t = np.arange(n_steps) * net.params.dt_ns
    n_f = data.draw(st.integers(min_value=0, max_value=41), label="len(target)")
    n_l = data.draw(st.integers(min_value=0, max_value=41), label="len(learn_mask)")
    try:
        res = force_train(net, np.sin(np.arange(n_f) / 5.0), t, np.ones(n_l, dtype=bool))
    except (ValueError, TypeError) as exc:
        assert ("target" in str(exc)) or ("learn_mask" in str(exc)), str(exc)
        assert (n_f, n_l) != (n_steps, n_steps)
    else:
        assert (n_f, n_l) == (n_steps, n_steps)
        assert np.all(np.isfinite(res.z))


@HYP
@given(segments=st.lists(st.floats(min_value=-10, max_value=100), max_size=3),
       t_end=BAD_SCALARS)
def test_hyp_timeline(segments, t_end):
    from mtjlib.generation import Segment

    try:
        tl = timeline([Segment(s, sine(1.0, 45.0), True) for s in segments], t_end)
    except (ValueError, TypeError) as exc:
        assert any(k in str(exc) for k in ("segment", "t_start_ns", "t_end_ns")), str(exc)
    else:
        assert np.all(np.isfinite(tl.target)) and len(tl.t_ns) >= 1


@HYP
@given(name=st.sampled_from(["alpha", "forgetting", "learn_every"]),
       value=st.one_of(st.floats(min_value=-1e300, max_value=1e300), BAD_SCALARS))
def test_hyp_force_train_scalars(net, name, value):
    """Any alpha/forgetting/learn_every: a named error (before the run, or an overflow named
    after it) or a finite readout; finite settings never give a silent NaN."""
    t = np.arange(60) * net.params.dt_ns
    net.reset()
    _outcome(lambda: force_train(net, np.sin(t / 8.0), t, np.ones(60, dtype=bool),
                                 **{name: value}).z, name)


@HYP
@given(g=st.floats(min_value=0.0, max_value=1e3), bias=st.floats(min_value=-1e6, max_value=1e6),
       feedback=st.floats(min_value=0.0, max_value=1e6),
       tau_ns=st.floats(min_value=1.5, max_value=1e9), spread=st.floats(0.0, 1e3))
def test_hyp_network_extremes_stay_finite(g, bias, feedback, tau_ns, spread):
    """Every documented range of NetworkParams builds and runs to finite numbers."""
    net = build_network(n=N_NET, g=g, bias=bias, feedback_scale=feedback, tau_ns=tau_ns,
                        x0_spread=spread, bias_spread=spread)
    res = net.run(20)
    assert np.all(np.isfinite(res.z)) and np.all(np.isfinite(res.x))


@HYP
@given(data=st.data(), n=st.integers(min_value=1, max_value=30),
       exponent=st.integers(min_value=-300, max_value=300))
def test_hyp_nrmse_any_finite_scale(data, n, exponent):
    """NRMSE of finite signals at any scale (1e-300 to 1e300) is finite: squares that would
    overflow or underflow are rescaled exactly; a 1 % error reads 0.01 at every scale."""
    base = np.array(data.draw(st.lists(st.floats(0.5, 2.0), min_size=n, max_size=n)))
    f = base * 10.0**exponent
    z = f * 1.01
    assert nrmse(z, f) == pytest.approx(0.01, rel=1e-6)
    w = data.draw(st.integers(min_value=1, max_value=n), label="window")
    np.testing.assert_allclose(rolling_nrmse(z, f, w), 0.01, rtol=1e-6)


def test_defect_documented_ranges_fit_the_machine(monkeypatch):
    """The ends of documented ranges say what they cost before any work: innate training at
    n_mtj = 20000 (P blocks of 0.6 n (p n)^2 doubles) and a recognition stream of 1e7 windows."""
    from mtjlib.innate import innate_memory, make_network
    from mtjlib.recognition import recognition_stream

    cfg = InnateConfig(n_mtj=20_000)
    assert innate_memory(cfg) > 3e11  # 0.6 x 20000 x 2000^2 x 8 bytes: far beyond a laptop
    monkeypatch.setattr(_validate, "available_memory", lambda: 16 * 2**30)
    msg = _named_error(lambda: make_network(cfg), "n_mtj=20000")
    assert "GiB" in msg
    msg = _named_error(lambda: recognition_stream(10**7), "n_windows=10000000")
    assert "GiB" in msg  # 4e8 steps of 80 bytes
    _named_error(lambda: recognition_stream(10**7, window_ns=1500.0), "n_windows=10000000")
    assert make_network(InnateConfig(n_mtj=20)).n == 20  # a small one still builds


#: Documented ranges of the DeviceParams fields (log-uniform draws inside them).
DEVICE_RANGES = {"diameter_x": (1e-9, 1e-5), "diameter_y": (1e-9, 1e-5),
                 "thickness": (1e-11, 1e-7), "ms": (1e3, 1e7), "ku": (1e2, 1e8),
                 "alpha": (1e-6, 0.999), "polarization": (1e-3, 1.0),
                 "slonczewski_lambda": (1e-3, 1.0), "beta": (1e-6, 0.999), "tmr": (1e-3, 100.0),
                 "r0": (1.0, 1e12)}


def _log_uniform(lo, hi):
    return st.floats(math.log10(lo), math.log10(hi)).map(lambda e: 10.0**e)


@HYP
@given(kw=st.fixed_dictionaries({}, optional={k: _log_uniform(*v)
                                              for k, v in DEVICE_RANGES.items()}),
       j=st.floats(-1e13, 1e13), rule=st.sampled_from(["paper", "continuous", "fit"]),
       temperature=st.one_of(st.just(0.0), st.floats(0.0, 1e4)),
       t_window=st.sampled_from([3e-11, 4e-10]))
def test_hyp_valid_devices_give_finite_delta_r(kw, j, rule, temperature, t_window):
    """Any device inside the documented field ranges, any finite j, any allowed temperature:
    Delta R is finite, or a ValueError says which input cannot work (a device that is not
    perpendicular, a step too long for it, a window shorter than its period)."""
    dev = DeviceParams(**kw)
    if rule == "paper" and temperature > 0:
        rule = "fit"
    try:
        dr = delta_r(dev, j, rule=rule, t_window=t_window, temperature=temperature)
    except ValueError as exc:
        assert any(k in str(exc) for k in ("ku", "dt", "t_window", "device")), str(exc)
    else:
        assert np.all(np.isfinite(dr)) and np.all(dr >= 0)


FINITE = st.floats(allow_nan=False, allow_infinity=False)


@pytest.mark.parametrize("label", ["window_means", "zero_crossing_period", "delta_r_from_trace",
                                   "parabola_extrema", "fit_ridge", "force_train target"])
@HYP
@given(data=st.data())
def test_hyp_finite_signals_anywhere_in_float64(net, label, data):
    """Finite signals anywhere in float64 (up to 1.8e308): a result without NaN/inf, or a named
    error for magnitudes beyond 1e150 (where squares and sums would overflow)."""
    z = data.draw(hnp.arrays(np.float64, st.integers(4, 12).map(lambda k: 2 * k), elements=FINITE))
    calls = {
        "window_means": (lambda: window_means(z, 2), "z"),
        "zero_crossing_period": (lambda: zero_crossing_period(np.arange(len(z)) * 1.5, z), "z"),
        "delta_r_from_trace": (lambda: delta_r_from_trace(z), "resistance"),
        "parabola_extrema": (lambda: parabola_extrema(np.arange(len(z)) * 1.0, z), "y"),
        "fit_ridge": (lambda: fit_ridge(z.reshape(-1, 2), z[::2]), "rates"),
        "force_train target": (lambda: force_train(net, z, np.arange(len(z)) * 1.5,
                                                   np.ones(len(z), dtype=bool)).z, "target"),
    }
    fn, name = calls[label]
    try:
        result = fn()
    except (ValueError, TypeError) as exc:
        assert name in str(exc) and np.max(np.abs(z)) > _validate.HUGE, str(exc)
        return
    if label == "zero_crossing_period" and math.isnan(result):
        top = float(np.max(np.abs(z)))  # on the library's exact scale (no overflow in mean)
        zs = z * 2.0 ** -int(np.frexp(top)[1]) if top > SQUARE_SAFE else z
        zc = zs - zs.mean()
        assert np.sum((zc[:-1] < 0) & (zc[1:] >= 0)) < 2  # documented: NaN without a period
        return
    assert _finite(result), result


def test_zz_time_budget():
    """The module keeps its stated budget (it runs last: pytest keeps the file's order)."""
    import time

    elapsed = time.perf_counter() - _STARTED[0]
    print(f"\ntests/test_bad_inputs.py took {elapsed:.1f} s (budget {TIME_BUDGET_S:.0f} s)")
    assert elapsed < TIME_BUDGET_S


def test_neuron_builders_check_their_lists(net):
    """llg_neuron/stochastic_neuron index devices and curves by neuron inside numba kernels:
    a list of the wrong length is refused (it would be read out of bounds)."""
    from mtjlib.network import llg_neuron, stochastic_neuron, thermal_noise_f

    prm = net.params
    curve = response_curve(x_range=prm.x_limits, n_j=201)
    for fn in (lambda d, c: llg_neuron(prm, d, c, 5e-13, 1),
               lambda d, c: stochastic_neuron(prm, d, c, 1)):
        _named_error(lambda f=fn: f([DEV] * (N_NET - 1), [curve] * N_NET), "devices")
        _named_error(lambda f=fn: f([DEV] * N_NET, [curve] * (N_NET + 1)), "curves")
        _named_error(lambda f=fn: f([DEV] * N_NET, ["c"] * N_NET), "curves[0]")
    _named_error(lambda: thermal_noise_f("p", [DEV]), "params")
    neuron = llg_neuron(prm, DEV, curve, 5e-13, 1)  # one device and curve for all: valid
    assert neuron.dr_min.shape == (N_NET,)
