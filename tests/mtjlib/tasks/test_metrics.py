"""Measures of how well an output meets its target, and the Fig. 2 timeline."""

import math

import numpy as np
import pytest

from mtjlib.tasks.generation import fig2_timeline, sine
from mtjlib.tasks.metrics import (
    free_run_report,
    free_run_windows,
    nrmse,
    rolling_nrmse,
    settle_time,
    zero_crossing_period,
)


def test_measures_of_a_known_signal():
    t = 1.5 * np.arange(3000)
    f = sine(0.87, 45.0)(t)
    assert abs(zero_crossing_period(t, f) - 45.0) < 1e-6
    assert nrmse(f, f) == 0.0
    assert math.isclose(nrmse(np.zeros_like(f), f), 1.0)
    assert math.isclose(nrmse(1.01 * f, f), 0.01, rel_tol=1e-9)
    assert free_run_windows([1, 1, 0, 0, 1, 0]) == [(2, 4), (5, 6)]
    tl = fig2_timeline()
    assert len(tl.t_ns) == 6667 and tl.learn.sum() == 3000 + 2000
    # the paper writes f(t) = A sin(2 pi t / T) in absolute time: the target jumps at 5700 ns
    assert tl.target[3800] == pytest.approx(0.65 * math.sin(2 * math.pi * 5700 / 80))
    assert tl.learn[3800] and not tl.learn[3799]


def test_rolling_nrmse_and_settle_time_of_a_known_error():
    t = 1.5 * np.arange(2000)
    f = sine(1.0, 45.0)(t)
    z = f * (1 + 0.5 * np.exp(-t / 300.0))  # relative error 0.5 exp(-t / 300 ns)
    err = rolling_nrmse(z, f, 30)
    mid = slice(100, 1900)
    want = 0.5 * np.exp(-t / 300.0)
    assert np.allclose(err[mid], want[mid], rtol=0.05)
    ts = settle_time(t, err, 0.0, t[-1], 0.01)
    assert ts == pytest.approx(300.0 * math.log(50.0), rel=0.02)  # 0.5 exp(-t/300) = 0.01
    assert settle_time(t, np.zeros_like(t), 0.0, 100.0, 0.01) == 0.0
    with pytest.raises(ValueError, match="window_steps"):
        rolling_nrmse(z, f, 0)
    with pytest.raises(ValueError, match="level"):
        settle_time(t, err, 0.0, 10.0, 0.0)


def test_a_diverged_output_is_measured_not_refused():
    """A free run whose output diverged (finite, 1e242) is a failed trial with a huge finite
    NRMSE and the right period, not an error (S3 counts such trials as failures)."""
    import warnings

    t = np.arange(400) * 1.5
    f = 0.87 * np.sin(2 * np.pi * t / 45.0)
    learn = np.zeros(400, dtype=bool)
    learn[:100] = True
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        (run,) = free_run_report(t, 1e242 * np.sin(2 * np.pi * t / 45.0), f, learn)
    assert np.isfinite(run.nrmse) and run.nrmse > 1e241
    assert np.isfinite(run.amplitude_ratio) and run.amplitude_ratio > 1e241
    assert run.period_ns == pytest.approx(45.0, rel=1e-9)
    # ordinary outputs take the ordinary path (same bits as the plain formula)
    z = f + 0.01 * np.cos(t)
    (ok,) = free_run_report(t, z, f, learn)
    a, b = 100, 400
    assert ok.nrmse == float(np.sqrt(np.mean((z[a:b] - f[a:b]) ** 2) / np.mean(f[a:b] ** 2)))
