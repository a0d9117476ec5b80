"""Bad inputs to mtjlib's public API (issues 13 and 24): The defects of issue 13, one test each."""

from __future__ import annotations

import math
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from bad_input_helpers import (
    DEV,
    N_NET,
    ROOT,
    _named_error,
)

from mtjlib import _validate
from mtjlib.networks.network import MAX_N, NetworkParams, build_network
from mtjlib.physics.delta_r_rules import delta_r, delta_r_from_trace
from mtjlib.physics.device import DeviceParams
from mtjlib.physics.llg import simulate_trace
from mtjlib.physics.neuron import calibrate, response_curve
from mtjlib.tasks.generation import fig2_timeline
from mtjlib.tasks.recognition import classify
from mtjlib.training.force import force_train

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
    run = subprocess.run([sys.executable, "-m", "mtjbook.bench.llg", "--help"], cwd=ROOT, check=False,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and "usage" in run.stdout.lower()
    bad = subprocess.run([sys.executable, "-m", "mtjbook.bench.llg", "--no-such-flag"],
                         cwd=ROOT, check=False,
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "usage" in bad.stderr.lower()
