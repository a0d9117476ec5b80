"""Bad inputs to mtjlib's public API get a clear error (issues 13 and 24), never a silent wrong
result.

Four parts:

1. one test per defect listed in issue 13 (``test_defect_*``);
2. a table of (entry point, parameter, bad value) triples, each of which must raise a
   ValueError or TypeError whose message names the parameter as the caller spelled it (and,
   for a scalar, shows its value): shapes, dtypes, NaN and inf, empty arrays, bools for ints,
   strings, huge values, mismatched lengths (issue 24's entry points in ``_issue24_cases``);
3. Hypothesis strategies that generate further bad values for the same entry points and assert
   either such an error or a finite, sensible result;
4. issue 24: one ``test_defect_*`` per case it lists, and one Hypothesis property per cause it
   names (a wrapper naming its own parameters before any work, wrong types, silent coercions
   of indices, flags, timelines and thermal coefficients, overflow, degenerate fits, a wrapper
   looser than what it wraps).

``test_case_count`` asserts that parts 1 and 2 hold at least 200 distinct cases and prints the
count. The module takes about 45-65 s on a loaded 2-core machine (``pytest --durations``
shows where); its time is not asserted, since a timed test flakes on a shared machine.
Hypothesis is derandomised (the same examples in CI
every run), keeps no example database, and has no per-example deadline (the machine is shared
and loaded).
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
from mtjlib.networks.imperfections import Imperfections
from mtjlib.networks.network import MAX_N, NetworkParams, build_memory, build_network
from mtjlib.physics.delta_r_rules import delta_r, delta_r_from_trace, parabola_extrema
from mtjlib.physics.device import DeviceParams, default_device
from mtjlib.physics.llg import coefficients, simulate_batch, simulate_trace
from mtjlib.physics.neuron import calibrate, joule_energy, no_reset_study, response_curve
from mtjlib.tasks.generation import fig2_timeline, sine, timeline
from mtjlib.tasks.metrics import (
    SQUARE_SAFE,
    free_run_report,
    nrmse,
    rolling_nrmse,
    settle_time,
    zero_crossing_period,
)
from mtjlib.tasks.recognition import classify, fit_ridge, recognition_network, window_means
from mtjlib.training.force import force_train
from mtjlib.training.innate_config import InnateConfig

ROOT = Path(__file__).resolve().parents[1]
HYP = settings(max_examples=100, deadline=None, derandomize=True, database=None,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
DEV = default_device()
N_NET = 6


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
    from mtjlib.networks import network

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


def test_defect_simulate_trace_huge_m0():
    """m0 near float64's largest overflowed |m0| to inf (a RuntimeWarning) and m0 / inf started
    the junction from m = 0; it is the same direction as any other multiple."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        huge = simulate_trace(DEV, 0.9e10, t_end=2e-11, m0=(1e300, 0.0, 1e300))
    unit = simulate_trace(DEV, 0.9e10, t_end=2e-11, m0=(1.0, 0.0, 1.0))
    np.testing.assert_allclose(huge.m, unit.m, rtol=1e-12, atol=1e-15)


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
    from mtjlib.tasks.character import character_path
    from mtjlib.tasks.character_data import load_character
    from mtjlib.training.innate_config import make_network

    cfg = InnateConfig(n_mtj=8, period_ns=15.0, n_recurrent_trials=1, trigger_steps=2)
    path = character_path(load_character("人", ROOT / "tests" / "data" / "hanzi"), period_ns=15.0)
    return make_network(cfg, 0), cfg, path


def _other_cases():
    """Entry points of the other modules: innate, recognition, sweep, family, imperfections,
    rls, dynamics, character, device helpers, response curves."""
    from mtjlib.networks import rls
    from mtjlib.networks.imperfections import realise
    from mtjlib.networks.step_types import no_plasticity
    from mtjlib.physics.delta_r_rules import precession_period
    from mtjlib.physics.device import demag_cylinder, demag_elliptic_cylinder
    from mtjlib.physics.family import common_curves, device_family
    from mtjlib.physics.neuron import ResponseCurve, calibration_sensitivity
    from mtjlib.studies.s3_synapses import fig2_imperfect_trial, recognition_imperfect_trial
    from mtjlib.sweep import derive_seeds, sweep
    from mtjlib.tasks import drawing
    from mtjlib.tasks.generation import Segment, fig2_trial
    from mtjlib.tasks.recognition import recognition_network, recognition_stream, recognition_trial
    from mtjlib.training import innate, innate_config

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
        ("random_state", "rng", lambda v: innate_config.random_state(*_innate()[:2], v),
         [5, None, "g"]),
        ("innate_trial", "name", lambda v: drawing.innate_trial(1, name=v, data={}),
         ["bogus", "n"]),
        ("recurrent_plateau", "errors", lambda v: innate.recurrent_plateau(v),
         [[], [NAN] * 10, np.ones((2, 2, 2)), "e"]),
        ("recurrent_plateau", "window", lambda v: innate.recurrent_plateau([1.0] * 10, window=v),
         [0, 1.5, True]),
        ("train_readout", "path", lambda v: drawing.train_readout(_innate()[0], v, _innate()[1]),
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


def _issue24_cases():
    """Issue 24: the entry points of innate, character, sweep, family, imperfections, thermal,
    recognition and the network that the second round of bad inputs found wanting, each named
    as the caller spells it (never an internal name), before any work."""
    from mtjlib.networks import rls
    from mtjlib.networks.network import sparse_recurrent
    from mtjlib.networks.step_types import ideal_synapses
    from mtjlib.physics import family, llg, thermal
    from mtjlib.physics.neuron import ResponseCurve
    from mtjlib.studies import s1_sizes, s2_phase_noise
    from mtjlib.sweep import SweepResult
    from mtjlib.tasks import character, character_data, drawing
    from mtjlib.tasks.generation import Segment, fig2_trial, run_timeline
    from mtjlib.tasks.recognition import recognition_stream, run_recognition, train_and_classify
    from mtjlib.training import innate, innate_config

    net, cfg, path = _innate()
    hanzi = character_data.load_character("人", ROOT / "tests" / "data" / "hanzi")
    data = {"strokes": ["M 0 0 Z"], "medians": [[[0.0, 0.0], [1.0, 1.0]]]}
    seg = [Segment(0.0, sine(1.0, 45.0), True)]
    small = NetworkParams(n=4)
    small_tl = timeline(seg, 6.0)

    def medians(pts):
        return {**data, "medians": [pts]}

    def realised_other():
        return Imperfections(read_sigma=0.1).realise(build_network(n=5, seed=0), 0)

    specs = [
        ("character_path", "data", lambda v: character.character_path(v),
         ["ab", "", 5, None, medians([[0.0, 0.0], [1e308, 1e308]]),
          medians([[-1e308, 0.0], [1e308, 1.0]]), medians([[0.0, 0.0], [1e-320, 0.0]]),
          {**data, "char": 3}]),
        ("character_path", "amplitude", lambda v: character.character_path(data, amplitude=v),
         [1e308, 1e7]),
        ("character_path", "pen_up_speed_ratio",
         lambda v: character.character_path(data, pen_up_speed_ratio=v), [1e-320, 1e-7, 1e7]),
        ("character_path", "period_ns",
         lambda v: character.character_path(data, period_ns=v, dt_ns=v), [1e-310]),
        ("outline_paths", "data", lambda v: character.outline_paths(v), ["ab", {"x": 1}]),
        ("Frame.apply", "xy", lambda v: path.frame.apply(v),
         [None, [1.0, NAN], [1.0, 2.0, 3.0], "xy", np.ones(2, bool)]),
        ("drawing_path", "data", lambda v: drawing.drawing_path(v, cfg), ["ab", 3]),
        ("run_innate", "data", lambda v: drawing.run_innate(v, cfg), ["ab", "", 3]),
        ("run_innate", "n_test", lambda v: drawing.run_innate(hanzi, cfg, n_test=v),
         [0, 1.5, "3", True]),
        ("run_innate", "n_test_periods",
         lambda v: drawing.run_innate(hanzi, cfg, n_test_periods=v), [0, 1.5, None]),
        ("run_innate", "record_units", lambda v: drawing.run_innate(hanzi, cfg, record_units=v),
         [[0.5], [-1], [8], [[0]], [True], "a"]),
        ("run_innate", "readout_only", lambda v: drawing.run_innate(hanzi, cfg, readout_only=v),
         ["no", 1, None]),
        ("innate_trial", "n_test",
         lambda v: drawing.innate_trial(None, data=hanzi, config=cfg, n_test=v), [0, 2.0]),
        ("evaluate_drawing", "record_units",
         lambda v: drawing.evaluate_drawing(net, path, cfg, n_trials=1, n_periods=1,
                                            record_units=v), [[0.5], [8], [[0]], [NAN]]),
        ("drawing_error", "target", lambda v: drawing.drawing_error(np.zeros((4, 2)), v),
         [np.zeros((0, 2)), np.full((4, 2), 1e300), np.full((2, 2), 1.0)]),
        ("drawing_error", "z", lambda v: drawing.drawing_error(v, np.array([[0, 0], [1.0, 1]])),
         [np.full((4, 2), 1e300), np.full((4, 2), -1e200)]),
        ("drawing_error", "target",  # a diagonal of 1e-300 next to z ~ 1e150: the error overflows
         lambda v: drawing.drawing_error(np.full((2, 2), 1e150), v), [[[0.0, 0.0], [1e-300, 0]]]),
        ("innate_memory", "config", innate_config.innate_memory, ["c", None]),
        ("recurrent_plateau", "errors", innate.recurrent_plateau, [[-1.0] * 10, [1e300] * 10]),
        ("train_recurrent", "innate",
         lambda v: innate.train_recurrent(net, v, cfg), [np.full((cfg.steps, 8), 1e300)]),
        ("run_recognition", "imperfections",
         lambda v: run_recognition(4, n_train=2, n_test=2, imperfections=v),
         ["bad", {"read_sigma": 0.1}, 3]),
        ("run_recognition", "stream_kw",
         lambda v: run_recognition(4, n_train=2, n_test=2, stream_kw=v),
         ["s", [1, 2], {"bogus": 1}, {"noise": 0.1}]),
        ("run_recognition", "train_kw",
         lambda v: run_recognition(4, n_train=2, n_test=2, train_kw=v),
         ["s", {"bogus": 1}, {"n_train": 3}]),
        ("run_recognition", "n_train", lambda v: run_recognition(4, n_train=v, n_test=2),
         [1.5, "3", None, 0]),
        ("run_recognition", "method", lambda v: run_recognition(4, n_train=2, n_test=2, method=v),
         ["bogus"]),
        ("train_and_classify", "imperfections",
         lambda v: train_and_classify(recognition_network(5), recognition_stream(3), 1,
                                      imperfections=v),
         [Imperfections(read_sigma=0.1), "bad"]),
        ("train_and_classify", "ridge",
         lambda v: train_and_classify(recognition_network(5), recognition_stream(3), 1,
                                      method="ridge", ridge=v), [NAN, 0.0]),
        ("recognition_family_trial", "n_mtj",
         lambda v: s1_sizes.recognition_family_trial(None, name=None, k=1, n_mtj=v, n_train=2,
                                                   n_test=2), [1.5, "3", 0]),
        ("recognition_family_trial", "n_train",
         lambda v: s1_sizes.recognition_family_trial(None, name=None, k=1, n_mtj=4, n_train=v,
                                                   n_test=2), [1.5, "3", None]),
        ("recognition_family_trial", "params",
         lambda v: s1_sizes.recognition_family_trial(None, name=None, k=1, n_mtj=4, params=v),
         ["bad", {"n": 4}]),
        ("recognition_family_trial", "fixed_ra",
         lambda v: s1_sizes.recognition_family_trial(None, name=None, k=1, n_mtj=4, fixed_ra=v),
         ["no", 1]),
        ("fig2_family_trial", "params", lambda v: s1_sizes.fig2_family_trial(params=v),
         ["bad", 3]),
        ("fig2_family_trial", "timeline",
         lambda v: s1_sizes.fig2_family_trial(params=small, k=1, timeline=v), ["t", 3]),
        ("fig2_family_trial", "training",
         lambda v: s1_sizes.fig2_family_trial(params=small, k=1, timeline=small_tl, training=v),
         ["t", [1, 2], {"bogus": 1}, {"imperfections": None}]),
        ("fig2_trial", "training", lambda v: fig2_trial(training=v), ["t", {"bogus": 1}]),
        ("run_timeline", "imperfections", lambda v: run_timeline(small, 0, small_tl,
                                                                 imperfections=v), ["i", 3]),
        ("device_family", "fixed_ra", lambda v: family.device_family(5, 2, fixed_ra=v),
         ["no", 1, None]),
        ("common_curves", "x_limits", lambda v: family.common_curves([DEV], x_limits=v),
         ["ab", 3, (0.0, "1"), (1.0, 0.0)]),
        ("Network.run", "synapses", lambda v: build_network(n=6, seed=1).run(2, synapses=v),
         [realised_other(), "s"]),
        ("force_train", "imperfections",
         lambda v: force_train(build_network(n=6, seed=1), np.ones(3), np.arange(3) * 1.5,
                               np.ones(3, bool), imperfections=v), [realised_other()]),
        ("Realised.check", "net", lambda v: realised_other().check(v), ["n", None]),
        ("Network.inputs", "n_steps", lambda v: build_network(n=4).inputs(None, v),
         [1.5, "3", -1]),
        ("Network.reset_mask", "n_steps", lambda v: build_network(n=4).reset_mask(None, v),
         [None, -1]),
        ("Network.advance flags", "record", lambda v: build_network(n=4).advance(
            _empty_schedule(2), record=v), ["no", 1, None]),
        ("Network.advance flags", "record_w_norm", lambda v: build_network(n=4).advance(
            _empty_schedule(2), record_w_norm=v), ["no", 0]),
        ("sparse_recurrent", "p", lambda v: sparse_recurrent(5, v, 1.0, 1.0,
                                                             np.random.default_rng(0)),
         [0.0, NAN, True, 2.0]),
        ("sparse_recurrent", "slope", lambda v: sparse_recurrent(5, 0.5, 1.0, v,
                                                                 np.random.default_rng(0)),
         [0.0, NAN, -INF]),
        ("sparse_recurrent", "rng", lambda v: sparse_recurrent(5, 0.5, 1.0, 1.0, v), [0, None]),
        ("build_memory", "params", build_memory, ["p", None]),
        ("ideal_synapses", "weights", lambda v: ideal_synapses(v, 1), ["w", None]),
        ("ideal_synapses", "n_out", lambda v: ideal_synapses(build_network(n=4).weights, v),
         [1.5, -1]),
        ("row_p", "indptr", lambda v: rls.row_p(v, [0]),
         ["abc", None, [0.5, 1.0], [3, 1, 0], [NAN, 1.0]]),
        ("timeline", "dt_ns", lambda v: timeline(seg, 10.0, v), [100.0, 10.5]),
        ("timeline", "dt_ns", lambda v: timeline(
            seg + [Segment(4.0, sine(1.0, 45.0), False), Segment(5.0, sine(1.0, 45.0), True)],
            30.0, v), [3.0]),
        ("timeline", "segments", lambda v: timeline(v, 10.0), [[], [1, 2]]),
        ("fig2_timeline", "dt_ns", lambda v: fig2_timeline(dt_ns=v), [20000.0, 2000.0]),
        ("simulate_batch", "temperature", lambda v: simulate_batch(
            coefficients(DEV, [1e10]), (0, 0, 1), 1e-11, temperature=v), [300.0, 1e-3]),
        ("simulate_batch", "temperature", lambda v: simulate_batch(
            coefficients(DEV, [1e10], temperature=300.0), (0, 0, 1), 1e-11, temperature=v),
         [0.0]),
        ("delta_r_from_reset", "coeffs", lambda v: llg.delta_r_from_reset(v, 5e-13, 10),
         [coefficients(DEV, [1e10], temperature=300.0)]),
        ("check_step", "coeffs", lambda v: llg.check_step(v, 5e-13),
         ["c", None, np.ones(3)]),
        ("check_step", "dt", lambda v: llg.check_step(
            coefficients(DEV, [1e10]), v), [0.0, -1.0, None, "1"]),
        ("delta_r_samples", "j", lambda v: thermal.delta_r_samples(None, 0.0, v, 2),
         [[], "abc", [True, True], [1 + 0j], np.zeros((2, 2))]),
        ("noise_calibration", "cache", lambda v: thermal.noise_calibration(cache=v),
         ["no", 0, None, 1.0]),
        ("noise_calibration", "x", lambda v: thermal.noise_calibration(x=v),
         ["abc", [], [True], np.zeros((2, 2))]),
        ("noise_calibration", "dt", lambda v: thermal.noise_calibration(dt=v), [None, [1.0]]),
        ("noise_calibration", "j_range", lambda v: thermal.noise_calibration(j_range=v),
         ["ab", 3]),
        ("fit_noise_law", "temperature", lambda v: thermal.fit_noise_law(v, [1.0, 2.0]),
         [[300.0, 300.0], "ab", [1.0, "a"], [True, True]]),
        ("fit_noise_law", "sigma", lambda v: thermal.fit_noise_law([1.0, 2.0], v),
         ["ab", [1 + 0j, 1.0], [1.0, 2.0, 3.0]]),
        ("fit_noise_law", "volume",
         lambda v: thermal.fit_noise_law([1.0, 2.0, 3.0], [1.0, 2.0, 3.0], volume=v),
         [[1.0, 2.0, 3.0], [1.0, 4.0, 9.0], "v"]),
        ("fit_noise_law", "v_ref",
         lambda v: thermal.fit_noise_law([1.0, 2.0, 3.0], [1.0, 2.0, 3.0], volume=[1, 2, 1.0],
                                         v_ref=v), [NAN, -1.0, 0.0, True, "1"]),
        ("fit_error_exponent", "err", lambda v: s2_phase_noise.fit_error_exponent([1.0, 2.0], v),
         ["e", [[1.0], [1.0, 2.0]], np.ones(2)]),
        ("compare_error_distributions", "seed",
         lambda v: s2_phase_noise.compare_error_distributions([1.0, 2.0], [1.0, 2.0], seed=v),
         [None, True, -1, "s"]),
        ("compare_error_distributions", "b",
         lambda v: s2_phase_noise.compare_error_distributions([1.0, 2.0], v), ["b", [True, True]]),
        ("phase_spread", "linewidth_hz", thermal.phase_spread,
         ["abc", [True], [1 + 0j], [-1.0], 1e308]),
        ("rate_residuals", "neuron_mode",
         lambda v: s2_phase_noise.rate_residuals(4, 0, 1e-5, v, 3), ["lookup", None]),
        ("rate_residuals", "params",
         lambda v: s2_phase_noise.rate_residuals(4, 0, 1e-5, "stochastic", 3, params=v), ["p", {}]),
        ("fig2_noise_trial", "params", lambda v: s2_phase_noise.fig2_noise_trial(4, params=v),
         ["p", 3]),
        ("fig2_noise_trial", "neuron_mode",
         lambda v: s2_phase_noise.fig2_noise_trial(4, temperature=300.0, neuron_mode=v), ["lookup"]),
        ("free_run_swap", "check_ns", lambda v: s2_phase_noise.free_run_swap(4, 0, 1e-5, v),
         [True, NAN, INF, "1", 1e9]),
        ("free_run_swap", "params", lambda v: s2_phase_noise.free_run_swap(4, 0, 1e-5, 15.0, params=v),
         ["p", 3]),
        ("noise_point_trial", "point", s2_phase_noise.noise_point_trial, ["p", None]),
        ("SweepResult", "metrics", lambda v: SweepResult(
            values=np.ones(2), seeds=np.ones(3), metrics=v), ["m", 3]),
        ("SweepResult.success_rate", "metric_or_predicate",
         lambda v: _sweep_result().success_rate(v), ["m", "nope", 3]),
        ("ResponseCurve", "meta", lambda v: ResponseCurve(
            j=np.array([1.0, 2.0]), delta_r=np.ones(2), j_min=1.0, j_max=2.0,
            delta_r_min=1.0, delta_r_max=2.0, meta=v), ["m", 3]),
        ("free_run_report", "target", lambda v: free_run_report(
            np.arange(4.0), np.ones(4), v, [1, 1, 0, 0]), [np.zeros(4)]),
        ("settle_time", "t_ns", lambda v: settle_time(v, np.ones(4), 0.0, 3.0, 0.5),
         [np.ones(3)]),
    ]
    return _expand(specs)


def _empty_schedule(n_steps):
    from mtjlib.networks.step_types import Schedule

    return Schedule(u=np.zeros((n_steps, 0)), reset=np.zeros(n_steps, bool),
                    target=np.zeros((n_steps, 1)), learn=np.zeros(n_steps, bool),
                    restart=np.zeros(n_steps, bool))


TRIPLES = (_real_cases() + _int_cases() + _array_cases() + _other_cases()
           + _issue24_cases())


def _call(net, label, name, value, call):
    """Dispatch the entry points that need the module's network."""
    if call == "net.rates":
        return net.rates(value)
    if call == "net.reset":
        return net.reset(value)
    if label == "Network.run":
        return net.run(value) if name == "n_steps" else net.run(4, **{name: value})
    if label == "Network.advance":
        from mtjlib.networks.step_types import Learning, Schedule

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
    from mtjlib.tasks.generation import Segment

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
    from mtjlib.tasks.recognition import recognition_stream
    from mtjlib.training.innate_config import innate_memory, make_network

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


# 4. Issue 24: the causes of the second round, one defect test per listed case and one
#    Hypothesis property per cause ------------------------------------------------------------

HANZI = ROOT / "tests" / "data" / "hanzi"
#: Hypothesis settings of the issue-24 properties: few examples (each may build a network).
HYP24 = settings(HYP, max_examples=25)


class _WorkStarted(Exception):
    """Raised by a patched work function: the entry point accepted its arguments."""


def _no_work(*args, **kwargs):
    raise _WorkStarted


@functools.cache
def _hanzi():
    from mtjlib.tasks.character_data import load_character

    return load_character("人", HANZI)


def _small_innate_config():
    return InnateConfig(n_mtj=8, period_ns=15.0, n_recurrent_trials=1, trigger_steps=2,
                        n_readout_trials=1)


def test_defect_callers_names_before_any_work(monkeypatch):
    """run_innate named `char=` for its `data`, `n_trials`/`n_periods` for `n_test`/
    `n_test_periods`, and only after training; the character functions named `char=`."""
    from mtjlib.tasks import character, drawing

    cfg = _small_innate_config()
    monkeypatch.setattr(drawing, "make_network", _no_work)
    for kw, name in (({"n_test": 0}, "n_test"), ({"n_test_periods": 1.5}, "n_test_periods"),
                     ({"record_units": [0.5]}, "record_units")):
        msg = _named_error(lambda k=kw: drawing.run_innate(_hanzi(), cfg, **k), name)
        assert "n_trials" not in msg and "n_periods=" not in msg
    for fn in (drawing.run_innate, lambda d, c: drawing.drawing_path(d, c)):
        msg = _named_error(lambda f=fn: f("ab", cfg), "data='ab'")
        assert "char=" not in msg
    msg = _named_error(lambda: character.character_path(""), "data=''")
    assert "char=" not in msg
    with pytest.raises(FileNotFoundError, match="data='no-such.json'"):
        drawing.run_innate("no-such.json", cfg)
    with pytest.raises(_WorkStarted):  # valid arguments reach the work
        drawing.run_innate(_hanzi(), cfg, n_test=1, n_test_periods=1, record_units=[0, 7])


def test_defect_realised_for_another_network_names_the_argument():
    """Imperfections realised for another network named no argument."""
    from mtjlib.tasks.recognition import recognition_stream, train_and_classify

    other = Imperfections(read_sigma=0.1).realise(build_network(n=5, seed=0), 0)
    net = build_network(n=6, seed=1)
    _named_error(lambda: net.run(3, synapses=other), "synapses")
    _named_error(lambda: force_train(net, np.ones(3), np.arange(3) * 1.5, np.ones(3, bool),
                                     imperfections=other), "imperfections")
    rec = recognition_network(5, 0)
    own = Imperfections(read_sigma=0.1).realise(build_network(n=6, n_in=1, seed=0), 0)
    _named_error(lambda: train_and_classify(rec, recognition_stream(3), 1, imperfections=own),
                 "imperfections")


def test_defect_drawing_error_names_an_empty_target_and_never_overflows():
    """drawing_error blamed z for an empty target, and returned inf for huge values."""
    from mtjlib.tasks.drawing import drawing_error

    f = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]])
    msg = _named_error(lambda: drawing_error(np.zeros((4, 2)), np.zeros((0, 2))), "target")
    assert not msg.startswith("z")
    _named_error(lambda: drawing_error(np.full((4, 2), 1e200), f), "z")
    _named_error(lambda: drawing_error(np.zeros((4, 2)), f * 1e200), "target")
    _named_error(lambda: drawing_error(np.full((2, 2), 1e150), f[:2] * 1e-300), "target")
    z = f[::-1] * 0.9
    e = drawing_error(z, f)
    assert drawing_error(z * 1e-200, f * 1e-200) == pytest.approx(e, rel=1e-12)  # no underflow
    assert drawing_error(z * 1e140, f * 1e140) == pytest.approx(e, rel=1e-12)


def test_defect_wrong_types_never_reach_an_attribute():
    """imperfections='bad' or a dict in run_recognition raised AttributeError; so did a params,
    config or net of the wrong type in several entry points."""
    from mtjlib.studies import s1_sizes, s2_phase_noise
    from mtjlib.tasks.recognition import run_recognition
    from mtjlib.training import innate_config

    for bad in ("bad", {"read_sigma": 0.1}):
        _named_error(lambda b=bad: run_recognition(4, n_train=2, n_test=2, imperfections=b),
                     "imperfections")
    _named_error(lambda: innate_config.innate_memory("c"), "config")
    _named_error(lambda: build_memory(None), "params")
    _named_error(lambda: s1_sizes.fig2_family_trial(params="p"), "params")
    _named_error(lambda: s2_phase_noise.free_run_swap(4, 0, 1e-5, 15.0, params={}), "params")


@pytest.mark.parametrize("medians", [[[0.0, 0.0], [1e308, 1e308]], [[-1e308, 0.0], [1e308, 1.0]],
                                     [[0.0, 0.0], [1e-320, 0.0]]])
def test_defect_character_medians_out_of_range(medians):
    """A huge coordinate in a character's medians gave an IndexError (the span overflowed)."""
    from mtjlib.tasks.character import character_path

    _named_error(lambda: character_path({"strokes": ["M 0 0 Z"], "medians": [medians]}), "data")


def test_defect_fit_noise_law_degenerate():
    """One temperature gave numbers; NaN or negative v_ref a LinAlgError. A single temperature
    with several volumes is a volume law: the undetermined T exponent is NaN, not a number."""
    from mtjlib.physics.thermal import fit_noise_law

    _named_error(lambda: fit_noise_law([300.0, 300.0], [1.0, 2.0]), "temperature")
    for v_ref in (math.nan, -1.0, 0.0):
        _named_error(lambda r=v_ref: fit_noise_law([1.0, 300.0], [1.0, 2.0],
                                                   volume=[1e-24, 2e-24], v_ref=r), "v_ref")
    _named_error(lambda: fit_noise_law([1.0, 2.0, 4.0], [1.0, 2.0, 3.0], volume=[1.0, 4.0, 16.0]),
                 "volume")
    law = fit_noise_law([1e-4] * 3, [0.1, 0.2, 0.25], volume=[1e-24, 1.6e-24, 2.1e-24])
    assert math.isnan(law.t_exponent) and math.isnan(law.prefactor)
    assert math.isfinite(law.v_exponent)


def test_defect_silent_coercions():
    """record_units=[0.5] became unit 0, cache='no' counted as true, a step longer than the
    timeline gave a one-step timeline, and a segment shorter than a step was dropped."""
    from mtjlib.physics.thermal import noise_calibration
    from mtjlib.tasks.drawing import evaluate_drawing
    from mtjlib.tasks.generation import Segment

    net, cfg, path = _innate()
    for units in ([0.5], [True], [[0]], [-1], [cfg.n_mtj]):
        _named_error(lambda u=units: evaluate_drawing(net, path, cfg, n_trials=1, n_periods=1,
                                                      record_units=u), "record_units")
    for cache in ("no", 0, None):
        _named_error(lambda c=cache: noise_calibration(cache=c), "cache")
    seg = Segment(0.0, sine(1.0, 45.0), True)
    _named_error(lambda: timeline([seg], 10.0, dt_ns=100.0), "dt_ns", 100.0, show_value=True)
    _named_error(lambda: fig2_timeline(dt_ns=2000.0), "dt_ns")  # the first free run: no step
    assert len(timeline([seg], 10.0, dt_ns=10.0).t_ns) == 1  # a step of the whole timeline


def test_defect_thermal_run_on_coefficients_built_for_another_temperature():
    """simulate_batch at 300 K ran without noise on coefficients built at 0 K."""
    c0 = coefficients(DEV, [0.9e10])
    msg = _named_error(lambda: simulate_batch(c0, (0, 0, 1), 1e-11, temperature=300.0),
                       "temperature", 300.0, show_value=True)
    assert "coefficients(device, j, temperature=300.0" in msg
    c300 = coefficients(DEV, [0.9e10], temperature=300.0)
    _named_error(lambda: simulate_batch(c300, (0, 0, 1), 1e-11), "temperature")
    assert np.all(np.isfinite(simulate_batch(c300, (0, 0, 1), 1e-11, temperature=300.0).m))


def test_defect_no_recurrent_trial_is_a_readout_only_run():
    """n_recurrent_trials=0 reported an innate-trained run: it is the readout-only run (same
    bits as readout_only=True) and says so."""
    from mtjlib.tasks.drawing import run_innate

    cfg = _small_innate_config().replace(n_recurrent_trials=0)
    a = run_innate(_hanzi(), cfg, 3, n_test=1, n_test_periods=1)
    b = run_innate(_hanzi(), cfg.replace(n_recurrent_trials=1), 3, readout_only=True, n_test=1,
                   n_test_periods=1)
    assert a.readout_only and len(a.log.recurrent_error) == 0
    np.testing.assert_array_equal(a.test.z, b.test.z)


def test_defect_delta_r_samples_checks_j_like_delta_r():
    """delta_r_samples accepted an empty j that delta_r rejects (and bools, as 1 A/m^2)."""
    from mtjlib.physics.thermal import delta_r_samples

    for j in ([], [True], np.zeros((2, 2))):
        _named_error(lambda v=j: delta_r(DEV, v), "j")
        _named_error(lambda v=j: delta_r_samples(DEV, 0.0, v, 2), "j")
    assert delta_r_samples(DEV, 0.0, 0.9e10, 2, t_window=4e-10).shape == (1, 2)


# Properties, one per cause ----------------------------------------------------------------------

ANY_VALUE = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(), st.text(max_size=3),
    st.lists(st.one_of(st.integers(-3, 3), st.floats(allow_nan=False), st.text(max_size=1)),
             max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.tuples(st.floats(), st.floats()),
)


def _wrapper_calls():
    """(entry point, parameter, call, patch target, internal names its errors must not use):
    wrappers that pass the parameter on to another function under another name."""
    from mtjlib.studies import s1_sizes
    from mtjlib.tasks import character, drawing, recognition

    cfg = _small_innate_config()
    return {
        "run_innate data": ("data", lambda v: drawing.run_innate(v, cfg),
                            (drawing, "make_network"), ("char=",)),
        "run_innate n_test": ("n_test", lambda v: drawing.run_innate(_hanzi(), cfg, n_test=v),
                              (drawing, "make_network"), ("n_trials",)),
        "run_innate n_test_periods": ("n_test_periods",
                                      lambda v: drawing.run_innate(_hanzi(), cfg,
                                                                   n_test_periods=v),
                                      (drawing, "make_network"), ("n_periods=",)),
        "run_innate record_units": ("record_units",
                                    lambda v: drawing.run_innate(_hanzi(), cfg, record_units=v),
                                    (drawing, "make_network"), ()),
        "innate_trial n_test": ("n_test", lambda v: drawing.innate_trial(None, data=_hanzi(),
                                                                         config=cfg, n_test=v),
                                (drawing, "make_network"), ("n_trials",)),
        "character_path data": ("data", lambda v: character.character_path(v),
                                (character, "_frame"), ("char=",)),
        "run_recognition n_train": ("n_train",
                                    lambda v: recognition.run_recognition(4, n_train=v, n_test=2),
                                    (recognition, "recognition_stream"), ("n_windows",)),
        "run_recognition stream_kw": ("stream_kw",
                                      lambda v: recognition.run_recognition(
                                          4, n_train=2, n_test=2, stream_kw=v),
                                      (recognition, "recognition_stream"), ()),
        "run_recognition imperfections": ("imperfections",
                                          lambda v: recognition.run_recognition(
                                              4, n_train=2, n_test=2, imperfections=v),
                                          (recognition, "recognition_stream"), ()),
        "recognition_family_trial n_mtj": ("n_mtj",
                                           lambda v: s1_sizes.recognition_family_trial(
                                               None, name=None, k=1, n_mtj=v, n_train=2,
                                               n_test=2),
                                           (s1_sizes, "recognition_stream"), ("n=",)),
        "recognition_family_trial n_train": ("n_train",
                                             lambda v: s1_sizes.recognition_family_trial(
                                                 None, name=None, k=1, n_mtj=4, n_train=v,
                                                 n_test=2),
                                             (s1_sizes, "recognition_stream"), ("n_windows",)),
        "fig2_family_trial training": ("training",
                                       lambda v: s1_sizes.fig2_family_trial(
                                           params=NetworkParams(n=4), k=1, training=v),
                                       (s1_sizes, "trial_family"), ()),
    }


@HYP24
@given(which=st.sampled_from(sorted(_wrapper_calls())), value=ANY_VALUE)
def test_hyp_wrappers_name_their_own_parameter_before_any_work(which, value):
    """Cause 1: any value of a parameter a wrapper passes on is checked by the wrapper, under
    its own name, before any work: a ValueError/TypeError naming it (never the name of the
    function it wraps), or the work starts (the value was valid)."""
    from unittest import mock

    name, call, (module, attr), internal = _wrapper_calls()[which]
    with mock.patch.object(module, attr, _no_work):
        try:
            call(value)
        except _WorkStarted:
            return
        except (ValueError, TypeError, FileNotFoundError) as exc:
            keys = list(value) if isinstance(value, dict) else []  # a kwargs key, as spelled
            assert name in str(exc) or any(f"{k}=" in str(exc) for k in keys), f"{which}: {exc}"
            assert not any(i in str(exc) for i in internal), f"{which}: {exc}"


def _object_params():
    """(entry point and parameter) -> (call, accepts None): parameters that take an object of
    one class (a config, a network, imperfections...)."""
    from mtjlib.networks.imperfections import realise
    from mtjlib.networks.network import sparse_recurrent
    from mtjlib.networks.step_types import ideal_synapses
    from mtjlib.physics import thermal
    from mtjlib.studies import s1_sizes, s2_phase_noise
    from mtjlib.sweep import SweepResult
    from mtjlib.tasks import character, drawing
    from mtjlib.tasks.generation import Segment, fig2_trial, run_timeline
    from mtjlib.tasks.recognition import recognition_stream, run_recognition, train_and_classify
    from mtjlib.training import innate_config

    net, cfg, _ = _innate()
    p4 = NetworkParams(n=4)
    tl = timeline([Segment(0.0, sine(1.0, 45.0), True)], 6.0)
    return {
        "run_recognition imperfections": (lambda v: run_recognition(
            4, n_train=2, n_test=2, imperfections=v), "imperfections", True),
        "train_and_classify imperfections": (lambda v: train_and_classify(
            recognition_network(4), recognition_stream(3), 1, imperfections=v), "imperfections",
            True),
        "force_train imperfections": (lambda v: force_train(
            build_network(n=4), np.ones(3), np.arange(3) * 1.5, np.ones(3, bool),
            imperfections=v), "imperfections", True),
        "run_timeline imperfections": (lambda v: run_timeline(p4, 0, tl, imperfections=v),
                                       "imperfections", True),
        "fig2_trial imperfections": (lambda v: fig2_trial(params=p4, timeline=tl,
                                                          imperfections=v), "imperfections",
                                     True),
        "realise imperfections": (lambda v: realise(v, net, 0), "imperfections", False),
        "Network.run synapses": (lambda v: build_network(n=4).run(2, synapses=v), "synapses",
                                 True),
        "innate_memory config": (innate_config.innate_memory, "config", False),
        "make_network config": (innate_config.make_network, "config", False),
        "drawing_path config": (lambda v: drawing.drawing_path(_hanzi(), v), "config", False),
        "evaluate_drawing path": (lambda v: drawing.evaluate_drawing(net, v, cfg), "path", False),
        "build_memory params": (build_memory, "params", False),
        "fig2_family_trial params": (lambda v: s1_sizes.fig2_family_trial(params=v), "params",
                                     True),
        "recognition_family_trial params": (lambda v: s1_sizes.recognition_family_trial(
            params=v), "params", True),
        "rate_residuals params": (lambda v: s2_phase_noise.rate_residuals(4, 0, 1e-5, "stochastic", 3,
                                                                   params=v), "params", True),
        "fig2_noise_trial params": (lambda v: s2_phase_noise.fig2_noise_trial(4, params=v), "params",
                                    True),
        "free_run_swap params": (lambda v: s2_phase_noise.free_run_swap(4, 0, 1e-5, 15.0, params=v),
                                 "params", True),
        "fig2_family_trial timeline": (lambda v: s1_sizes.fig2_family_trial(params=p4, k=1,
                                                                          timeline=v),
                                       "timeline", True),
        "noise_point_trial point": (s2_phase_noise.noise_point_trial, "point", False),
        "delta_r_samples device": (lambda v: thermal.delta_r_samples(v, 0.0, [1e10], 1),
                                   "device", True),
        "ideal_synapses weights": (lambda v: ideal_synapses(v, 1), "weights", False),
        "Realised.check net": (lambda v: Imperfections(read_sigma=0.1).realise(net, 0).check(v),
                               "net", False),
        "SweepResult metrics": (lambda v: SweepResult(values=np.ones(1), seeds=np.ones(1),
                                                      metrics=v), "metrics", False),
        "character_path data": (character.character_path, "data", False),
        "sparse_recurrent rng": (lambda v: sparse_recurrent(4, 0.5, 1.0, 1.0, v), "rng", False),
    }


@HYP24
@given(which=st.sampled_from(sorted(_object_params())), value=ANY_VALUE)
def test_hyp_wrong_types_raise_only_named_type_or_value_errors(which, value):
    """Cause 2: a value of the wrong type (a str, a number, a list, a dict...) never reaches
    an attribute access or an index: only a ValueError/TypeError naming the parameter."""
    call, name, none_ok = _object_params()[which]
    if (value is None and none_ok) or (name == "metrics" and value == {}):  # valid values
        return
    with pytest.raises((ValueError, TypeError, FileNotFoundError)) as info:
        call(value)
    assert name in str(info.value), f"{which}: {info.value}"


INDEX_LIKE = st.one_of(
    st.lists(st.integers(-3, 12), max_size=4),
    st.lists(st.floats(-3, 12), min_size=1, max_size=4),
    st.lists(st.booleans(), min_size=1, max_size=3),
    st.lists(st.lists(st.integers(0, 7), max_size=2), min_size=1, max_size=2),
    hnp.arrays(st.sampled_from([np.int64, np.int32, np.float64, np.bool_]),
               st.integers(0, 4), elements=None),
)


@HYP24
@given(value=INDEX_LIKE)
def test_hyp_indices_are_integers_never_truncated(value):
    """Cause 3 (silent coercion): record_units, rows and CSR pointers take integers only: 0.5
    is refused, never truncated to 0; valid indices keep their values."""
    from mtjlib.networks.rls import row_p
    from mtjlib.tasks.drawing import evaluate_drawing

    net, cfg, path = _innate()
    try:
        arr = np.asarray(value)
    except ValueError:  # ragged
        arr = np.empty((0, 0))
    valid = (arr.ndim == 1 and (arr.size == 0 or (np.issubdtype(arr.dtype, np.integer)
                                                  and arr.min() >= 0 and arr.max() < net.n))
             and len(np.unique(arr)) == arr.size)
    try:
        res = evaluate_drawing(net, path, cfg, n_trials=1, n_periods=1, record_units=value)
    except (ValueError, TypeError) as exc:
        assert not valid and "record_units" in str(exc), str(exc)
    else:
        assert valid and res.r.shape[-1] == arr.size
    try:
        rp = row_p(np.arange(9), value)
    except (ValueError, TypeError) as exc:
        assert not valid and "rows" in str(exc), str(exc)
    else:
        assert valid and np.array_equal(rp.rows, arr)
    if arr.ndim == 1 and arr.size and not np.issubdtype(arr.dtype, np.integer):
        with pytest.raises(TypeError, match="indptr"):
            row_p(value, [0])


def _bool_params():
    """(entry point and parameter) -> call: parameters that take True or False."""
    from mtjlib.physics import family, thermal
    from mtjlib.studies import s1_sizes, s2_phase_noise
    from mtjlib.tasks import drawing

    cfg = _small_innate_config()
    return {
        "noise_calibration cache": (lambda v: thermal.noise_calibration(cache=v, x="bad"),
                                    "cache"),
        "run_innate readout_only": (lambda v: drawing.run_innate(_hanzi(), cfg,
                                                                 readout_only=v, n_test=0),
                                    "readout_only"),
        "Network.run record": (lambda v: build_network(n=4).run(2, record=v, u="bad"),
                               "record"),
        "Network.advance record_w_norm": (lambda v: build_network(n=4).advance(
            _empty_schedule(1), record_w_norm=v, learning="x"), "record_w_norm"),
        "force_train record_rates": (lambda v: force_train(build_network(n=4), np.ones(2),
                                                           np.arange(2) * 1.5, np.ones(2, bool),
                                                           record_rates=v, alpha=0.0),
                                     "record_rates"),
        "device_family fixed_ra": (lambda v: family.device_family(2, 2, fixed_ra=v,
                                                                  nominal="bad"), "fixed_ra"),
        "recognition_family_trial fixed_ra": (lambda v: s1_sizes.recognition_family_trial(
            name=None, fixed_ra=v, params="bad"), "fixed_ra"),
        "NoisePoint first_run_only": (lambda v: s2_phase_noise.NoisePoint(
            task="recognition", n=4, temperature=0.0, first_run_only=v), "first_run_only"),
    }


@HYP24
@given(which=st.sampled_from(sorted(_bool_params())),
       value=st.one_of(st.booleans(), st.sampled_from([np.True_, np.False_]), ANY_VALUE))
def test_hyp_bool_parameters_take_only_bools(which, value):
    """Cause 3: a flag takes True or False only ('no' is not true, 0 is not false): anything
    else is a TypeError naming it. The calls above are otherwise invalid (no work is done), so
    a valid flag passes on to an error naming another parameter."""
    call, name = _bool_params()[which]
    try:
        call(value)
    except (ValueError, TypeError) as exc:
        if isinstance(value, (bool, np.bool_)):
            assert f"{name}=" not in str(exc), str(exc)
        else:
            assert isinstance(exc, TypeError) and name in str(exc), str(exc)
    else:
        assert isinstance(value, (bool, np.bool_))


@HYP24
@given(starts=st.lists(st.floats(0.5, 100.0), max_size=3, unique=True),
       t_end=st.floats(0.1, 200.0), dt=st.floats(0.01, 300.0))
def test_hyp_every_segment_of_a_timeline_holds_a_step(starts, t_end, dt):
    """Cause 3: a timeline never drops a segment nor shrinks to a step longer than itself: a
    ValueError names dt_ns (or t_end_ns), or every segment holds at least one step."""
    from mtjlib.tasks.generation import Segment

    starts = [0.0] + sorted(starts)
    segs = [Segment(s, sine(1.0, 45.0), k % 2 == 0) for k, s in enumerate(starts)]
    try:
        tl = timeline(segs, t_end, dt)
    except ValueError as exc:
        assert "dt_ns" in str(exc) or "t_end_ns" in str(exc), str(exc)
        return
    assert dt <= t_end
    idx = np.searchsorted(np.array(starts), tl.t_ns + 1e-9 * dt, side="right") - 1
    assert set(idx.tolist()) == set(range(len(segs)))


@HYP24
@given(t_built=st.one_of(st.just(0.0), st.floats(1e-6, 1e3)),
       t_run=st.one_of(st.just(0.0), st.floats(1e-6, 1e3)))
def test_hyp_thermal_runs_need_coefficients_built_with_a_thermal_field(t_built, t_run):
    """Cause 3: simulate_batch runs only coefficients built for its kind of run (thermal or
    not): a thermal run of coefficients built at 0 K (or the reverse) is a ValueError naming
    the temperature, never a run without the noise asked for."""
    c = coefficients(DEV, [0.9e10, 1e10], temperature=t_built)
    try:
        res = simulate_batch(c, (0, 0, 1), 1e-11, temperature=t_run, seed=1)
    except ValueError as exc:
        assert (t_built > 0) != (t_run > 0) and "temperature" in str(exc), str(exc)
    else:
        assert (t_built > 0) == (t_run > 0) and np.all(np.isfinite(res.m))


@HYP24
@given(data=st.data(), k=st.integers(1, 3), t=st.integers(2, 5))
def test_hyp_drawing_error_never_overflows_and_keeps_its_scale(data, k, t):
    """Cause 4 (overflow): drawing_error of finite outputs and targets anywhere in float64 is
    a finite number or a ValueError naming z or target, never inf; the error does not depend on
    the scale (an exact power of two, from 2^-600 to 2^400: no underflow to 0 either)."""
    from mtjlib.tasks.drawing import drawing_error

    z = data.draw(hnp.arrays(np.float64, (k * t, 2), elements=FINITE), label="z")
    f = data.draw(hnp.arrays(np.float64, (t, 2), elements=FINITE), label="target")
    try:
        e = drawing_error(z, f)
    except ValueError as exc:
        assert "z" in str(exc) or "target" in str(exc), str(exc)
        return
    assert np.all(np.isfinite(e))
    top = max(np.max(np.abs(z)), np.max(np.abs(f)))
    diag = float(np.hypot(*(f.max(axis=0) - f.min(axis=0))))
    p = data.draw(st.integers(-600, 400), label="power of two")
    # scaled values stay normal numbers (the error of a target 1e-20 of z's size would rest
    # on denormals, with fewer bits)
    if diag > 1e-20 * top and top * 2.0**p <= _validate.HUGE and top * 2.0**p > 1e-250:
        np.testing.assert_allclose(drawing_error(z * 2.0**p, f * 2.0**p), e, rtol=1e-12)


@HYP24
@given(n=st.integers(1, 4), data=st.data())
def test_hyp_fit_noise_law_returns_no_undetermined_number(n, data):
    """Cause 2 (degenerate fits): fit_noise_law returns a coefficient only where the points
    determine it (a least-squares fit on other points would not change it), NaN otherwise, or
    a ValueError naming its input when no exponent is determined."""
    from mtjlib.physics.thermal import fit_noise_law

    pos = st.sampled_from([1e-3, 1.0, 2.0, 10.0, 300.0])
    t = data.draw(st.lists(pos, min_size=n + 1, max_size=n + 1), label="temperature")
    s = data.draw(st.lists(st.floats(1e-3, 1e3), min_size=n + 1, max_size=n + 1), label="sigma")
    v = data.draw(st.one_of(st.none(), st.lists(pos, min_size=n + 1, max_size=n + 1)),
                  label="volume")
    try:
        law = fit_noise_law(t, s, volume=v)
    except ValueError as exc:
        assert any(k in str(exc) for k in ("temperature", "volume")), str(exc)
        assert len(set(t)) == 1 or (v is not None and len(set(v)) > 1)
        return
    assert math.isnan(law.t_exponent) == (len(set(t)) == 1)
    if not math.isnan(law.t_exponent):  # determined: the same from a shifted sigma (times 2)
        again = fit_noise_law(t, [2 * x for x in s], volume=v)
        assert again.t_exponent == pytest.approx(law.t_exponent, abs=1e-6)


@HYP24
@given(value=ARRAYS)
def test_hyp_wrappers_check_like_the_function_they_wrap(value):
    """Cause 5 (a wrapper looser than what it wraps): delta_r_samples refuses exactly the j
    that delta_r refuses, by the same name."""
    from mtjlib.physics.thermal import delta_r_samples

    outcomes = []
    for fn in (lambda: delta_r(DEV, value, t_window=2e-11),
               lambda: delta_r_samples(DEV, 0.0, value, 1, t_window=2e-11)):
        try:
            fn()
        except (ValueError, TypeError) as exc:
            assert "j" in str(exc), str(exc)
            outcomes.append(type(exc))
        else:
            outcomes.append(None)
    assert outcomes[0] == outcomes[1], (value, outcomes)


#: Coordinates anywhere in float64, the extremes (overflowing spans, denormals) drawn often.
COORD = st.one_of(st.floats(allow_nan=False),
                  st.sampled_from([-1.7e308, 1.7e308, 1e308, -1e-320, 1e-320, 0.0]))


@settings(HYP, max_examples=100)  # cheap: no LLG, no network
@given(pts=st.lists(st.tuples(COORD, COORD), min_size=2, max_size=4),
       amplitude=st.floats(1e-3, 1e6))
def test_hyp_character_path_of_any_medians_is_finite_or_named(pts, amplitude):
    """Cause 2: medians anywhere in float64 (a user's own dict) give a finite path or a
    ValueError naming data (or the amplitude), never an IndexError or NaN knots."""
    from mtjlib.tasks.character import character_path

    d = {"strokes": ["M 0 0 Z"], "medians": [[list(p) for p in pts]]}
    try:
        p = character_path(d, amplitude=amplitude)
    except ValueError as exc:
        assert "data" in str(exc) or "amplitude" in str(exc), str(exc)
        return
    for a in (p.x, p.y, p.knot_t_ns, p.knot_x, p.knot_y):
        assert np.all(np.isfinite(a))
    assert np.max(np.abs(p.xy)) <= amplitude * (1 + 1e-9)


def test_neuron_builders_check_their_lists(net):
    """llg_neuron/stochastic_neuron index devices and curves by neuron inside numba kernels:
    a list of the wrong length is refused (it would be read out of bounds)."""
    from mtjlib.networks.network import llg_neuron, stochastic_neuron, thermal_noise_f

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
