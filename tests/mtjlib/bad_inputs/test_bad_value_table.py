"""Bad inputs to mtjlib's public API (issues 13 and 24): A table of (entry point, parameter, bad value) triples, each of which must raise an error naming the parameter."""

from __future__ import annotations

import functools
import math

import numpy as np
import pytest
from bad_input_helpers import (
    DEV,
    N_NET,
    ROOT,
    _empty_schedule,
    _innate,
    _named_error,
)

from mtjlib.networks.imperfections import Imperfections
from mtjlib.networks.network import NetworkParams, build_memory, build_network
from mtjlib.physics.delta_r_rules import delta_r, delta_r_from_trace, parabola_extrema
from mtjlib.physics.device import DeviceParams
from mtjlib.physics.llg import coefficients, simulate_batch, simulate_trace
from mtjlib.physics.neuron import calibrate, joule_energy, no_reset_study, response_curve
from mtjlib.tasks.generation import fig2_timeline, sine, timeline
from mtjlib.tasks.metrics import (
    free_run_report,
    nrmse,
    rolling_nrmse,
    settle_time,
    zero_crossing_period,
)
from mtjlib.tasks.recognition import classify, fit_ridge, recognition_network, window_means
from mtjlib.training.force import force_train
from mtjlib.training.innate_config import InnateConfig

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
    for fname, fn in _defect_functions():
        if fname.startswith("test_defect_"):
            marks = [m for m in getattr(fn, "pytestmark", []) if m.name == "parametrize"]
            defects += len(marks[0].args[1]) if marks else 1
    total = len(keys) + defects
    print(f"\n{len(keys)} distinct (entry point, parameter, bad value) triples + "
          f"{defects} defect cases = {total}")
    assert total >= 200




def _defect_functions():
    """The test_defect_* functions of the defect modules beside this one."""
    import importlib

    for mod in ("test_defects_issue13", "test_defects_issue24"):
        yield from vars(importlib.import_module(mod)).items()
