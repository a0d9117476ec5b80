"""Bad inputs to mtjlib's public API (issues 13 and 24): Issue 24: one Hypothesis property per cause it names."""

from __future__ import annotations

import math

import numpy as np
import pytest
from bad_input_helpers import (
    ARRAYS,
    DEV,
    FINITE,
    HYP,
    HYP24,
    N_NET,
    _empty_schedule,
    _hanzi,
    _innate,
    _named_error,
    _no_work,
    _small_innate_config,
    _WorkStarted,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from mtjlib import _validate
from mtjlib.networks.imperfections import Imperfections
from mtjlib.networks.network import NetworkParams, build_memory, build_network
from mtjlib.physics.delta_r_rules import delta_r
from mtjlib.physics.llg import coefficients, simulate_batch
from mtjlib.physics.neuron import response_curve
from mtjlib.tasks.generation import sine, timeline
from mtjlib.tasks.recognition import recognition_network
from mtjlib.training.force import force_train

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
