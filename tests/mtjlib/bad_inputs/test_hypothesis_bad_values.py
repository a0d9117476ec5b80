"""Bad inputs to mtjlib's public API (issues 13 and 24): Hypothesis: generated bad values for the same entry points, an error naming the parameter or a finite result."""

from __future__ import annotations

import math

import numpy as np
import pytest
from bad_input_helpers import (
    ARRAYS,
    DEV,
    FINITE,
    HYP,
    N_NET,
    _finite,
    _named_error,
)
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from mtjlib import _validate
from mtjlib.networks.network import NetworkParams, build_network
from mtjlib.physics.delta_r_rules import delta_r, delta_r_from_trace, parabola_extrema
from mtjlib.physics.device import DeviceParams
from mtjlib.physics.llg import simulate_trace
from mtjlib.tasks.generation import sine, timeline
from mtjlib.tasks.metrics import (
    SQUARE_SAFE,
    nrmse,
    rolling_nrmse,
    zero_crossing_period,
)
from mtjlib.tasks.recognition import classify, fit_ridge, window_means
from mtjlib.training.force import force_train
from mtjlib.training.innate_config import InnateConfig

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
