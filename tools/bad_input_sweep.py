"""A new user's sweep of bad inputs across mtjlib's public API (issue 24), with a verdict per case.

Usage: ``.venv/bin/python tools/bad_input_sweep.py [ENTRY]`` (``ENTRY``: only labels
containing it). Every public function and dataclass of the API reference (``book/api/``) is
called with bad values of each parameter (NaN, inf, strings, bools for numbers, None, lists,
dicts, wrong shapes, out-of-range, empty, huge and tiny values, objects of another class,
non-integer indices, flags that are not bools, realised imperfections of another network,
degenerate fits), and each outcome is classified:

``named``
    a ValueError or TypeError (or the FileNotFoundError load_character documents) whose message
    names the parameter as the caller spelled it and shows a scalar's value;
``novalue``
    named, but a scalar's value is not shown;
``unnamed``
    a ValueError/TypeError that does not name the parameter (an internal name instead);
``other``
    another exception (AttributeError, IndexError, LinAlgError...);
``silent``
    no error: the bad value was accepted (coerced, ignored, or an inf returned);
``slow``
    named, but after more than 2 s (work done before the check);
``hang``
    no answer within 120 s.

The numba kernels documented with their modules (``activation.rates``, ``dynamics.drive``,
the ``rls`` and ``llg`` kernels) are not called: they take arrays the public functions have
checked and do no validation by design (DESIGN.md: "pure functions of float64 arrays").
It prints every case that is not ``named`` and the counts; about a minute on 2 cores.
"""

from __future__ import annotations

import math
import signal
import sys
import time
import traceback
import warnings
from pathlib import Path

import numpy as np

warnings.simplefilter("ignore")
ROOT = Path(__file__).resolve().parents[1]
HZ = ROOT / "tests" / "data" / "hanzi"

from mtjlib import sweep, sweep_executors
from mtjlib.networks import imperfections, network, rls, step_types
from mtjlib.physics import delta_r_rules, device, family, llg, neuron, thermal
from mtjlib.physics.device import default_device
from mtjlib.studies import s1_sizes, s2_phase_noise, s3_synapses
from mtjlib.tasks import (
    character,
    character_data,
    drawing,
    generation,
    metrics,
    recognition,
)
from mtjlib.training import force, innate, innate_config

DEV = default_device()
NAN, INF = math.nan, math.inf
NOT_REAL = [NAN, INF, -INF, "1.0", True, None, [1.0], 1 + 0j]
NOT_INT = [1.5, "3", True, None, NAN, 2.0]
NOT_BOOL = ["no", "yes", 1, 0, None, 1.0]
NOT_SEED = [-1, 1.5, "s", True, None]
BAD_ARR = [np.array([1.0, NAN]), np.array([INF, 1.0]), "abc", [[1.0], [1.0, 2.0]],
           np.array(["a", "b"]), np.ones(2, dtype=bool), np.ones(2, dtype=complex),
           [1.0, "a"], None]
HUGE_ARR = [np.full(4, 1e300), np.full(4, -1e300)]
BAD_OBJ = ["bad", {"a": 1}, 3, 1.5]

CASES: list[tuple] = []


#: (entry point, parameter) whose default is None: None is a valid value there.
NONE_OK = {("InnateConfig", "n_readout_trials"), ("trigger_input", "perturb_step"),
           ("evaluate_drawing", "noise"), ("llg_network", "llg_dt"), ("realise", "n_steps"),
           ("noise_calibration", "x"), ("fit_noise_law", "v_ref"),
           ("free_run_report", "t_end_ns"), ("process_pool", "n_workers"),
           ("sweep", "n_workers"), ("sweep", "root_seed"), ("run_timeline", "params"),
           ("fit_noise_law", "volume")}


def add(label, name, call, values):
    for v in values:
        if v is None and (label, name) in NONE_OK:
            continue
        CASES.append((label, name, v, call))


# Shared objects --------------------------------------------------------------------------------
NET = network.build_network(n=6, seed=1)
NET2 = network.build_network(n=6, seed=1, n_in=1, feedback_scale=0.0)
OTHER = network.build_network(n=8, seed=1)
CFG = innate_config.InnateConfig(n_mtj=8, period_ns=15.0, n_recurrent_trials=1, trigger_steps=2,
                                 n_readout_trials=1)
DATA = character_data.load_character("人", HZ)
PATH = drawing.drawing_path(DATA, CFG)
INET = innate_config.make_network(CFG, 0)
T = CFG.steps
STREAM = recognition.recognition_stream(4, 0)
RNET = recognition.recognition_network(5, 0)
FAM = family.device_family(6, 2, seed=0)
SR = sweep.sweep(lambda v, s: {"m": float(v) + s, "ok": v > 1}, [1.0, 2.0], 3, executor="serial",
                 progress=False)
TL = generation.timeline([generation.Segment(0.0, generation.sine(1.0, 45.0), True),
                          generation.Segment(6.0, generation.sine(1.0, 45.0), False)], 15.0)
REAL_OTHER = imperfections.Imperfections(read_sigma=0.1).realise(OTHER, 0)
CURVE = neuron.response_curve(n_j=21)
TT = np.arange(4) * NET.params.dt_ns


def metric_fn(v, s):
    return {"m": 1.0}


# device -------------------------------------------------------------------------------------------
add("demag_elliptic_cylinder", "a", lambda v: device.demag_elliptic_cylinder(v, 2e-8, 1e-9),
    NOT_REAL + [0.0, -1e-8])
add("demag_elliptic_cylinder", "b", lambda v: device.demag_elliptic_cylinder(2e-8, v, 1e-9),
    NOT_REAL + [0.0])
add("demag_elliptic_cylinder", "t", lambda v: device.demag_elliptic_cylinder(2e-8, 2e-8, v),
    NOT_REAL + [0.0])
add("demag_elliptic_cylinder", "n_phi",
    lambda v: device.demag_elliptic_cylinder(2e-8, 2e-8, 1e-9, n_phi=v), NOT_INT + [0, 10**9])
add("demag_cylinder", "t", lambda v: device.demag_cylinder(4e-8, v), NOT_REAL + [0.0])
add("DeviceParams.resistance", "mx", DEV.resistance, NOT_REAL[:5] + [2.0, [0.5, NAN]])
add("DeviceParams.thermal_stability", "temperature", DEV.thermal_stability,
    NOT_REAL + [0.0, -1.0])
add("DeviceParams.replace", "bogus", lambda v: DEV.replace(bogus=v), [1.0])

# llg --------------------------------------------------------------------------------------------
add("coefficients", "device", lambda v: llg.coefficients(v, [1e10]), BAD_OBJ + [None, [DEV, DEV]])
add("coefficients", "j", lambda v: llg.coefficients(DEV, v), BAD_ARR + [[], np.zeros((2, 2))])
add("coefficients", "temperature", lambda v: llg.coefficients(DEV, [1e10], temperature=v),
    NOT_REAL + [-1.0, 1e9])
add("coefficients", "dt", lambda v: llg.coefficients(DEV, [1e10], dt=v), NOT_REAL + [0.0, 1.0])
add("simulate_trace", "seed", lambda v: llg.simulate_trace(DEV, 1e10, t_end=1e-11,
                                                            temperature=1.0, seed=v), NOT_SEED)
add("simulate_trace", "device", lambda v: llg.simulate_trace(v, 1e10, t_end=1e-11), BAD_OBJ)
add("period_window_steps", "devices", lambda v: llg.period_window_steps(v), BAD_OBJ + [None])
add("period_window_steps", "dt", lambda v: llg.period_window_steps(DEV, v), NOT_REAL + [0.0])
C1 = llg.coefficients(DEV, [1e10])
add("delta_r_from_reset", "coeffs", lambda v: llg.delta_r_from_reset(v, 5e-13, 10),
    BAD_ARR + [np.ones((3, 2))])
add("delta_r_from_reset", "dt", lambda v: llg.delta_r_from_reset(C1, v, 10), NOT_REAL + [0.0])
add("delta_r_from_reset", "n_steps", lambda v: llg.delta_r_from_reset(C1, 5e-13, v),
    NOT_INT + [0, -1])
add("simulate_batch", "t_end", lambda v: llg.simulate_batch(C1, (0, 0, 1), v), NOT_REAL + [0.0])
add("simulate_batch", "temperature", lambda v: llg.simulate_batch(C1, (0, 0, 1), 1e-11,
                                                                  temperature=v),
    NOT_REAL + [-1.0, 300.0])  # 300 K on coefficients built at 0 K: no thermal field
C300 = llg.coefficients(DEV, [1e10], temperature=300.0)
add("simulate_batch", "temperature", lambda v: llg.simulate_batch(C300, (0, 0, 1), 1e-11,
                                                                  temperature=v), [0.0])
add("simulate_batch", "seed", lambda v: llg.simulate_batch(C1, (0, 0, 1), 1e-11, seed=v), NOT_SEED)
add("simulate_batch", "window", lambda v: llg.simulate_batch(C1, (0, 0, 1), 1e-11, window=v),
    [NAN, -1.0, "w", [1e-12, 1e-12]])
add("simulate_batch", "frequency",
    lambda v: llg.simulate_batch(C1, (0, 0, 1), 1e-11, window=5e-12, frequency=v),
    [NAN, 0.0, -1.0, "f", [1e9, 1e9]])
add("check_step", "coeffs", lambda v: llg.check_step(v, 5e-13), ["c", None, np.ones(3)])
add("check_step", "dt", lambda v: llg.check_step(C1, v), NOT_REAL + [0.0, -1.0])

# neuron -----------------------------------------------------------------------------------------
add("delta_r_from_trace", "rule", lambda v: delta_r_rules.delta_r_from_trace(np.ones(5), rule=v),
    ["bogus", 3, None])
add("delta_r_from_trace", "period_samples",
    lambda v: delta_r_rules.delta_r_from_trace(np.arange(9.0), rule="continuous", period_samples=v),
    NOT_INT + [0])
add("delta_r_from_trace", "phase_step",
    lambda v: delta_r_rules.delta_r_from_trace(np.arange(9.0), rule="fit", period_samples=4,
                                               phase_step=v), NOT_REAL + [0.0, 4.0])
add("delta_r", "rule", lambda v: neuron.delta_r(DEV, 1e10, rule=v, t_window=1e-11),
    ["bogus", 3])
add("delta_r", "device", lambda v: neuron.delta_r(v, 1e10, t_window=1e-11), BAD_OBJ + [None])
add("delta_r", "seed", lambda v: neuron.delta_r(DEV, 1e10, t_window=4e-10, temperature=1.0,
                                                 seed=v), NOT_SEED)
add("delta_r", "m0", lambda v: neuron.delta_r(DEV, 1e10, t_window=1e-11, m0=v),
    BAD_ARR + [np.zeros(3), np.ones(2)])
add("ResponseCurve.__call__", "x", lambda v: CURVE(v), BAD_ARR)
add("ResponseCurve.j_of_x", "x", lambda v: CURVE.j_of_x(v), BAD_ARR)
add("ResponseCurve", "j_min", lambda v: neuron.ResponseCurve(
    j=CURVE.j, delta_r=CURVE.delta_r, j_min=v, j_max=CURVE.j_max, delta_r_min=1.0,
    delta_r_max=2.0), NOT_REAL)
add("ResponseCurve", "delta_r", lambda v: neuron.ResponseCurve(
    j=np.array([1.0, 2.0]), delta_r=v, j_min=1.0, j_max=2.0, delta_r_min=1.0, delta_r_max=2.0),
    BAD_ARR + [np.ones(3)])
add("ResponseCurve", "meta", lambda v: neuron.ResponseCurve(
    j=np.array([1.0, 2.0]), delta_r=np.ones(2), j_min=1.0, j_max=2.0, delta_r_min=1.0,
    delta_r_max=2.0, meta=v), ["m", 3])
add("response_curve", "device", lambda v: neuron.response_curve(v, n_j=5), BAD_OBJ)
add("response_curve", "x_range", lambda v: neuron.response_curve(n_j=5, x_range=v),
    [(0.5, 1.0), (0.0, NAN), "ab", (1.0, 0.0), 3, (0.0, 1.0, 2.0)])
add("response_curve", "j_range", lambda v: neuron.response_curve(n_j=5, j_range=v),
    [(0.0, 1e10), (-1e10, 1e10), (NAN, 1e10), "ab", (1e10, 0.8e10)])
add("response_curve", "rule", lambda v: neuron.response_curve(n_j=5, rule=v), ["bogus", None])
add("response_curve", "cache", lambda v: neuron.response_curve(n_j=5, cache=v), NOT_BOOL)
add("calibrate", "targets", lambda v: neuron.calibrate(v), [[1, 2], "t", None,
                                                           {0.8e10: 114.0},
                                                           {-1.0: 114.0, 1e10: 145.0},
                                                           {0.8e10: "a", 1e10: 145.0}])
add("calibrate", "base", lambda v: neuron.calibrate({0.8e10: 114.0, 1e10: 145.0}, base=v),
    BAD_OBJ)
add("calibrate", "free", lambda v: neuron.calibrate({0.8e10: 114.0, 1e10: 145.0}, free=v),
    ["ku", ("ku", "ku"), (), ("ku", 3), ("beta", "ku")])
add("no_reset_study", "device", lambda v: neuron.no_reset_study(v, 1e10, 1), BAD_OBJ)
add("no_reset_study", "j", lambda v: neuron.no_reset_study(DEV, v, 1), NOT_REAL + [1e20])
add("no_reset_study", "n_windows", lambda v: neuron.no_reset_study(DEV, 1e10, v),
    NOT_INT + [0])
add("no_reset_study", "t_relax_max", lambda v: neuron.no_reset_study(DEV, 1e10, 1,
                                                                     t_relax_max=v),
    NOT_REAL + [0.0])
add("no_reset_study", "dt", lambda v: neuron.no_reset_study(DEV, 1e10, 1, dt=v),
    NOT_REAL + [0.0])
add("joule_energy", "j", lambda v: neuron.joule_energy(DEV, v), BAD_ARR + [1e20])
add("joule_energy", "device", lambda v: neuron.joule_energy(v, 1e10), BAD_OBJ)
add("calibration_sensitivity", "rel_step",
    lambda v: neuron.calibration_sensitivity(rel_step=v), NOT_REAL + [0.0, 1.0])
add("calibration_sensitivity", "device", lambda v: neuron.calibration_sensitivity(v), BAD_OBJ)
add("precession_period", "device", delta_r_rules.precession_period, BAD_OBJ + [None])

# network ----------------------------------------------------------------------------------------
add("NetworkParams", "x_limits", lambda v: network.NetworkParams(x_limits=v),
    [(1.0, 0.0), (NAN, 1.0), "ab", 3, (0.0, 1.0, 2.0), (0.0, INF), (0.0, "1")])
add("NetworkParams", "neuron_mode", lambda v: network.NetworkParams(neuron_mode=v),
    ["bogus", None, 3])
add("NetworkParams.replace", "bogus", lambda v: network.NetworkParams().replace(bogus=v), [1])
add("Network.inputs", "u", lambda v: NET2.inputs(v, 3), BAD_ARR[:8] + [np.zeros((2, 1))])
add("Network.inputs", "n_steps", lambda v: NET.inputs(None, v), NOT_INT + [-1])
add("Network.reset_mask", "reset", lambda v: NET.reset_mask(v, 3),
    ["r", [1, 2, 0], np.zeros(2, bool), [0.5, 0, 0]])
add("Network.reset_mask", "n_steps", lambda v: NET.reset_mask(None, v), NOT_INT + [-1])
add("Network.run", "record", lambda v: NET.run(2, record=v), NOT_BOOL)
add("Network.run", "synapses", lambda v: NET.run(2, synapses=v),
    BAD_OBJ + [imperfections.Imperfections(read_sigma=0.1), REAL_OTHER])
add("Network.run", "u", lambda v: NET2.run(3, u=v), BAD_ARR[:8] + [np.full((3, 1), 1e300)])
add("Network.advance", "learning", lambda v: NET.advance(
    step_types.Schedule(u=np.zeros((2, 0)), reset=np.zeros(2, bool), target=np.zeros((2, 1)),
                      learn=np.ones(2, bool), restart=np.zeros(2, bool)), v), BAD_OBJ)
add("Network.advance", "plasticity", lambda v: NET.advance(
    step_types.Schedule(u=np.zeros((2, 0)), reset=np.zeros(2, bool), target=np.zeros((2, 1)),
                      learn=np.zeros(2, bool), restart=np.zeros(2, bool)), plasticity=v),
    BAD_OBJ)
add("Network.advance", "record", lambda v: NET.advance(
    step_types.Schedule(u=np.zeros((2, 0)), reset=np.zeros(2, bool), target=np.zeros((2, 1)),
                      learn=np.zeros(2, bool), restart=np.zeros(2, bool)), record=v), NOT_BOOL)
add("Network.advance", "record_w_norm", lambda v: NET.advance(
    step_types.Schedule(u=np.zeros((2, 0)), reset=np.zeros(2, bool), target=np.zeros((2, 1)),
                      learn=np.zeros(2, bool), restart=np.zeros(2, bool)), record_w_norm=v),
    NOT_BOOL)
add("sparse_recurrent", "n", lambda v: network.sparse_recurrent(v, 0.5, 1.0, 1.0,
                                                               np.random.default_rng(0)),
    NOT_INT + [0, -1])
add("sparse_recurrent", "p", lambda v: network.sparse_recurrent(5, v, 1.0, 1.0,
                                                               np.random.default_rng(0)),
    NOT_REAL + [0.0, 2.0])
add("sparse_recurrent", "slope", lambda v: network.sparse_recurrent(5, 0.5, 1.0, v,
                                                                   np.random.default_rng(0)),
    NOT_REAL + [0.0])
add("sparse_recurrent", "rng", lambda v: network.sparse_recurrent(5, 0.5, 1.0, 1.0, v),
    [0, "r", None])
add("build_memory", "params", network.build_memory, BAD_OBJ + [None])
add("llg_neuron", "dt", lambda v: network.llg_neuron(NET.params, DEV, CURVE, v, 1),
    NOT_REAL + [0.0])
add("llg_neuron", "seed", lambda v: network.llg_neuron(NET.params, DEV, CURVE, 5e-13, v),
    NOT_SEED)
add("stochastic_neuron", "seed", lambda v: network.stochastic_neuron(NET.params, DEV, CURVE, v),
    NOT_SEED)
add("thermal_noise_f", "devices", lambda v: network.thermal_noise_f(NET.params, v),
    BAD_OBJ + [[DEV] * 3])
add("build_network", "params", lambda v: network.build_network(v), BAD_OBJ)
add("build_network", "seed", lambda v: network.build_network(n=4, seed=v), NOT_SEED)
add("build_network", "devices", lambda v: network.build_network(n=4, devices=v),
    BAD_OBJ + [[DEV] * 3])
add("build_network", "curves", lambda v: network.build_network(n=4, curves=v),
    BAD_OBJ + [[CURVE] * 3])
add("build_network", "activation", lambda v: network.build_network(n=4, activation=v),
    ["a", 3, ([0.0, 1.0],), ([1.0, 0.0], [0.0, 1.0]), ([0.0, NAN], [0.0, 1.0]),
     ([0.0, 1.0], [0.0, 1.0, 2.0])])
add("build_network", "bogus", lambda v: network.build_network(n=4, bogus=v), [1])

# force ------------------------------------------------------------------------------------------
add("force_train", "net", lambda v: force.force_train(v, np.ones(4), TT, np.ones(4, bool)),
    BAD_OBJ + [None])
add("force_train", "p_reset", lambda v: force.force_train(NET, np.ones(4), TT, np.ones(4, bool),
                                                          p_reset=v), ["bogus", None, 3])
add("force_train", "forgetting",
    lambda v: force.force_train(NET, np.ones(4), TT, np.ones(4, bool), forgetting=v),
    NOT_REAL + [0.1, 1.5])
add("force_train", "alpha", lambda v: force.force_train(NET, np.ones(4), TT, np.ones(4, bool),
                                                        alpha=v), NOT_REAL + [0.0, -1.0])
add("force_train", "u", lambda v: force.force_train(NET2, np.ones(4), TT, np.ones(4, bool), u=v),
    BAD_ARR[:8] + [np.zeros((3, 1))])
add("force_train", "reset", lambda v: force.force_train(NET, np.ones(4), TT, np.ones(4, bool),
                                                        reset=v), ["r", [2, 0, 0, 0]])
add("force_train", "imperfections",
    lambda v: force.force_train(NET, np.ones(4), TT, np.ones(4, bool), imperfections=v),
    BAD_OBJ + [REAL_OTHER])
add("force_train", "target", lambda v: force.force_train(NET, v, TT, np.ones(4, bool)),
    HUGE_ARR + [lambda t: "x", lambda t: np.full(len(t), NAN)])

# generation ---------------------------------------------------------------------------------
add("sine", "amplitude", lambda v: generation.sine(v, 45.0), NOT_REAL)
add("sine", "phase", lambda v: generation.sine(1.0, 45.0, v), NOT_REAL)
add("Sine.__call__", "t_ns", lambda v: generation.sine(1.0, 45.0)(v), BAD_ARR)
add("timeline", "segments", lambda v: generation.timeline(v, 10.0),
    ["s", 3, [], [1, 2], None])
add("timeline", "t_end_ns", lambda v: generation.timeline(
    [generation.Segment(0.0, generation.sine(1.0, 45.0), True)], v), NOT_REAL + [0.0, -1.0])
add("timeline", "dt_ns", lambda v: generation.timeline(
    [generation.Segment(0.0, generation.sine(1.0, 45.0), True)], 10.0, v),
    NOT_REAL + [0.0, 100.0])
add("timeline", "dt_ns", lambda v: generation.timeline(
    [generation.Segment(0.0, generation.sine(1.0, 45.0), True),
     generation.Segment(4.0, generation.sine(1.0, 45.0), False),
     generation.Segment(5.0, generation.sine(1.0, 45.0), True)], 30.0, v), [3.0])
add("fig2_timeline", "dt_ns", lambda v: generation.fig2_timeline(dt_ns=v), [20000.0, 2000.0])
add("fig2_timeline", "t_off1_ns", lambda v: generation.fig2_timeline(t_off1_ns=v),
    NOT_REAL + [0.0, 6000.0])
add("run_timeline", "params", lambda v: generation.run_timeline(v, 0, TL), BAD_OBJ + [None])
add("run_timeline", "seed", lambda v: generation.run_timeline(network.NetworkParams(n=4), v, TL),
    NOT_SEED)
add("run_timeline", "timeline", lambda v: generation.run_timeline(network.NetworkParams(n=4), 0,
                                                                  v), BAD_OBJ + [None])
add("run_timeline", "imperfections",
    lambda v: generation.run_timeline(network.NetworkParams(n=4), 0, TL, imperfections=v),
    BAD_OBJ)
add("run_timeline", "bogus",
    lambda v: generation.run_timeline(network.NetworkParams(n=4), 0, TL, bogus=v), [1])
add("fig2_trial", "seed", lambda v: generation.fig2_trial(None, v, params=network.NetworkParams(
    n=4), timeline=TL), NOT_SEED)
add("fig2_trial", "timeline", lambda v: generation.fig2_trial(timeline=v), BAD_OBJ)
add("fig2_trial", "imperfections", lambda v: generation.fig2_trial(
    params=network.NetworkParams(n=4), timeline=TL, imperfections=v), BAD_OBJ)
add("fig2_trial", "g", lambda v: generation.fig2_trial(v, 0, name="g", timeline=TL), [NAN, -1.0])
add("fig2_trial", "alpha", lambda v: generation.fig2_trial(v, 0, name="alpha", timeline=TL,
                                                           params=network.NetworkParams(n=4)),
    [NAN, -1.0, "a"])

# metrics ----------------------------------------------------------------------------------------
add("free_run_windows", "learn", metrics.free_run_windows, ["l", [0.5, 1.0], [2, 0], None,
                                                            np.ones((2, 2), bool)])
add("free_run_report", "t_ns", lambda v: metrics.free_run_report(v, np.ones(4), np.ones(4),
                                                                 [1, 1, 0, 0]),
    BAD_ARR + [np.ones(3)])
add("free_run_report", "z", lambda v: metrics.free_run_report(np.arange(4.0), v, np.ones(4),
                                                              [1, 1, 0, 0]),
    BAD_ARR + [np.ones(3)])
add("free_run_report", "target", lambda v: metrics.free_run_report(np.arange(4.0), np.ones(4), v,
                                                                   [1, 1, 0, 0]),
    BAD_ARR + [np.ones(3), np.zeros(4)])
add("free_run_report", "learn", lambda v: metrics.free_run_report(np.arange(4.0), np.ones(4),
                                                                  np.ones(4), v),
    ["l", [2, 0, 0, 0], np.ones(3, bool)])
add("free_run_report", "t_end_ns", lambda v: metrics.free_run_report(
    np.arange(4.0), np.ones(4), np.ones(4), [1, 1, 0, 0], v), NOT_REAL[:6])
add("rolling_nrmse", "window_steps", lambda v: metrics.rolling_nrmse(np.ones(4), np.ones(4), v),
    NOT_INT + [0, 5])
add("rolling_nrmse", "z", lambda v: metrics.rolling_nrmse(v, np.ones(4), 2), BAD_ARR + [[]])
add("settle_time", "t_ns", lambda v: metrics.settle_time(v, np.ones(4), 0.0, 3.0, 0.5),
    BAD_ARR + [np.ones(3)])
add("settle_time", "err", lambda v: metrics.settle_time(np.arange(4.0), v, 0.0, 3.0, 0.5),
    BAD_ARR[2:] + [np.ones(3)])
add("settle_time", "lo_ns", lambda v: metrics.settle_time(np.arange(4.0), np.ones(4), v, 3.0,
                                                          0.5), NOT_REAL)
add("settle_time", "hi_ns", lambda v: metrics.settle_time(np.arange(4.0), np.ones(4), 0.0, v,
                                                          0.5), NOT_REAL + [-1.0])
add("zero_crossing_period", "t_ns", lambda v: metrics.zero_crossing_period(v, np.ones(4)),
    BAD_ARR + [np.ones(3)])

# recognition --------------------------------------------------------------------------------
add("recognition_stream", "seed", lambda v: recognition.recognition_stream(3, v), NOT_SEED)
add("recognition_stream", "w1", lambda v: recognition.recognition_stream(3, w1=v),
    NOT_REAL + [0.0])
add("recognition_stream", "window_ns", lambda v: recognition.recognition_stream(3, window_ns=v),
    NOT_REAL + [0.0, 61.0])
add("recognition_stream", "dt_ns", lambda v: recognition.recognition_stream(3, dt_ns=v),
    NOT_REAL + [0.0])
add("recognition_stream", "time_origin",
    lambda v: recognition.recognition_stream(3, time_origin=v), ["bogus", None])
add("recognition_stream", "p_sine", lambda v: recognition.recognition_stream(3, p_sine=v),
    NOT_REAL + [1.5])
add("fit_ridge", "rates", lambda v: recognition.fit_ridge(v, np.ones(4)), HUGE_ARR)
add("window_means", "z", lambda v: recognition.window_means(v, 2), HUGE_ARR)
add("recognition_network", "seed", lambda v: recognition.recognition_network(4, v), NOT_SEED)
add("recognition_network", "params", lambda v: recognition.recognition_network(4, 0, v), BAD_OBJ)
add("recognition_network", "n_in", lambda v: recognition.recognition_network(4, 0, n_in=v), [2])
add("train_and_classify", "net", lambda v: recognition.train_and_classify(v, STREAM, 2),
    BAD_OBJ + [None])
add("train_and_classify", "stream", lambda v: recognition.train_and_classify(RNET, v, 2),
    BAD_OBJ + [None])
add("train_and_classify", "n_train", lambda v: recognition.train_and_classify(RNET, STREAM, v),
    NOT_INT + [0, 4])
add("train_and_classify", "method",
    lambda v: recognition.train_and_classify(RNET, STREAM, 2, method=v), ["bogus", None])
add("train_and_classify", "alpha",
    lambda v: recognition.train_and_classify(RNET, STREAM, 2, alpha=v), NOT_REAL + [0.0])
add("train_and_classify", "ridge",
    lambda v: recognition.train_and_classify(RNET, STREAM, 2, method="ridge", ridge=v),
    NOT_REAL + [0.0])
add("train_and_classify", "imperfections",
    lambda v: recognition.train_and_classify(RNET, STREAM, 2, imperfections=v),
    BAD_OBJ + [REAL_OTHER])
add("train_and_classify", "imperfections",
    lambda v: recognition.train_and_classify(RNET, STREAM, 2, method="ridge", imperfections=v),
    [REAL_OTHER, imperfections.Imperfections(read_sigma=0.1)])
add("run_recognition", "n_mtj", lambda v: recognition.run_recognition(v, n_train=2, n_test=2),
    NOT_INT + [0])
add("run_recognition", "seed", lambda v: recognition.run_recognition(4, v, n_train=2, n_test=2),
    NOT_SEED)
add("run_recognition", "noise", lambda v: recognition.run_recognition(4, noise=v, n_train=2,
                                                                      n_test=2),
    NOT_REAL + [-1.0])
add("run_recognition", "n_train", lambda v: recognition.run_recognition(4, n_train=v, n_test=2),
    NOT_INT + [0])
add("run_recognition", "n_test", lambda v: recognition.run_recognition(4, n_train=2, n_test=v),
    NOT_INT + [0])
add("run_recognition", "method", lambda v: recognition.run_recognition(4, n_train=2, n_test=2,
                                                                       method=v), ["bogus"])
add("run_recognition", "stream_kw", lambda v: recognition.run_recognition(4, n_train=2, n_test=2,
                                                                          stream_kw=v),
    ["s", [1, 2], 3, {"bogus": 1}])
add("run_recognition", "train_kw", lambda v: recognition.run_recognition(4, n_train=2, n_test=2,
                                                                         train_kw=v),
    ["s", [1, 2], 3, {"bogus": 1}])
add("run_recognition", "imperfections",
    lambda v: recognition.run_recognition(4, n_train=2, n_test=2, imperfections=v),
    BAD_OBJ + [REAL_OTHER])
add("run_recognition", "bogus", lambda v: recognition.run_recognition(4, n_train=2, n_test=2,
                                                                      bogus=v), [1])
add("recognition_trial", "noise", lambda v: recognition.recognition_trial(
    v, 0, n_mtj=4, n_train=2, n_test=2), [NAN, -1.0, "a"])

# character ----------------------------------------------------------------------------------
add("load_character", "char", lambda v: character_data.load_character(v, HZ),
    ["", "ab", "a", 3, None, b"x", "\u00e9"])
add("load_character", "data_dir", lambda v: character_data.load_character("人", v),
    [3, "/nonexistent/dir", ROOT / "README.md"])
add("character_path", "data", lambda v: character.character_path(v),
    ["ab", "", 3, None, {"x": 1}, {"strokes": ["M 0 0 Z"], "medians": [[[0, 0]]]},
     {"strokes": ["M 0 0 Z"], "medians": [[[0, 0], [1e308, 1e308]]]},
     {"strokes": ["M 0 0 Z"], "medians": [[[-1e308, 0], [1e308, 1]]]},
     {"strokes": ["M 0 0 Z"], "medians": [[[0, 0], [NAN, 1]]]},
     {"strokes": ["M 0 0 Z"], "medians": [[[0, 0], [1e-320, 0]]]},
     {"strokes": [3], "medians": [[[0, 0], [1, 1]]]}])
add("character_path", "period_ns", lambda v: character.character_path(DATA, period_ns=v),
    NOT_REAL + [0.0, 1e300])
add("character_path", "dt_ns", lambda v: character.character_path(DATA, dt_ns=v),
    NOT_REAL + [0.0, 1000.0, 1e-300])
add("character_path", "amplitude", lambda v: character.character_path(DATA, amplitude=v),
    NOT_REAL + [0.0, 1e308])
add("character_path", "pen_up_speed_ratio",
    lambda v: character.character_path(DATA, pen_up_speed_ratio=v), NOT_REAL + [0.0, 1e-320])
add("outline_paths", "data", lambda v: character.outline_paths(v), ["ab", 3, None, {"x": 1}])
add("outline_paths", "points_per_curve", lambda v: character.outline_paths(DATA,
                                                                           points_per_curve=v),
    NOT_INT + [0, 10**6])
add("outline_paths", "amplitude", lambda v: character.outline_paths(DATA, amplitude=v),
    NOT_REAL + [0.0])
add("CharacterPath.sample", "t_ns", lambda v: PATH.sample(v), BAD_ARR)
add("CharacterPath.stroke_at", "t_ns", lambda v: PATH.stroke_at(v), BAD_ARR)
add("Frame.apply", "xy", lambda v: PATH.frame.apply(v), BAD_ARR + [np.ones(3)])

# innate ----------------------------------------------------------------------------------------
for f, extra in [("n_mtj", [1]), ("p", [0.0]), ("g", [-1.0]), ("tau_ns", [0.0]),
                 ("input_scale", [-1.0]), ("period_ns", [1.0]), ("trigger_amplitude", [1e9]),
                 ("noise", [-1.0]), ("readout_samples_per_weight", [0.0]),
                 ("alpha_recurrent", [0.0]), ("alpha_readout", [0.0]), ("amplitude", [0.0]),
                 ("pen_up_speed_ratio", [0.0])]:
    add("InnateConfig", f, lambda v, f=f: innate_config.InnateConfig(**{f: v}),
        (NOT_INT if f == "n_mtj" else NOT_REAL) + extra)
for f, extra in [("trigger_steps", [0, 200]), ("n_recurrent_trials", [-1]),
                 ("n_readout_trials", [0]), ("learn_every", [0])]:
    add("InnateConfig", f, lambda v, f=f: innate_config.InnateConfig(**{f: v}), NOT_INT[:4] + extra)
add("InnateConfig", "init_range", lambda v: innate_config.InnateConfig(init_range=v),
    [(1.0, 0.0), (NAN, 1.0), "ab", 3, (0.0, 1.0, 2.0), (0.0, "1")])
add("InnateConfig.replace", "bogus", lambda v: CFG.replace(bogus=v), [1])
add("period_steps", "period_ns", innate_config.period_steps, NOT_REAL + [0.0])
add("period_steps", "dt_ns", lambda v: innate_config.period_steps(15.0, v), NOT_REAL + [0.0])
add("make_network", "config", lambda v: innate_config.make_network(v), BAD_OBJ + [None])
add("make_network", "seed", lambda v: innate_config.make_network(CFG, v), NOT_SEED)
add("trigger_input", "config", innate_config.trigger_input, BAD_OBJ)
add("trigger_input", "n_periods", lambda v: innate_config.trigger_input(CFG, v), NOT_INT + [0])
add("trigger_input", "perturb_step", lambda v: innate_config.trigger_input(CFG, perturb_step=v,
                                                                           perturb_steps=1),
    NOT_INT + [-1, 100])
add("trigger_input", "perturb_amplitude", lambda v: innate_config.trigger_input(
    CFG, perturb_step=1, perturb_steps=1, perturb_amplitude=v), NOT_REAL)
add("trigger_input", "perturb_steps", lambda v: innate_config.trigger_input(CFG, perturb_step=1,
                                                                            perturb_steps=v),
    NOT_INT + [0])
add("innate_memory", "config", innate_config.innate_memory, BAD_OBJ)
add("random_state", "net", lambda v: innate_config.random_state(v, CFG, np.random.default_rng()),
    BAD_OBJ + [NET])
add("learn_window", "config", innate.learn_window, BAD_OBJ)
add("record_innate", "net", lambda v: innate.record_innate(v, CFG), BAD_OBJ + [NET])
add("record_innate", "seed", lambda v: innate.record_innate(INET, CFG, v), NOT_SEED)
add("plastic_rows", "n", lambda v: innate.plastic_rows(v, 0.5), NOT_INT + [0])
add("plastic_rows", "fraction", lambda v: innate.plastic_rows(4, v), NOT_REAL + [1.5])
add("train_recurrent", "innate", lambda v: innate.train_recurrent(INET, v, CFG),
    BAD_ARR + [np.zeros((T, 7)), np.full((T, 8), 1e300)])
add("train_recurrent", "seed", lambda v: innate.train_recurrent(INET, np.zeros((T, 8)), CFG, v),
    NOT_SEED)
add("train_recurrent", "config", lambda v: innate.train_recurrent(INET, np.zeros((T, 8)), v),
    BAD_OBJ)
add("train_readout", "seed", lambda v: drawing.train_readout(INET, PATH, CFG, v), NOT_SEED)
add("train_readout", "path", lambda v: drawing.train_readout(INET, v, CFG),
    [character.character_path(DATA, period_ns=30.0)])
add("drawing_error", "target", lambda v: drawing.drawing_error(np.zeros((4, 2)), v),
    BAD_ARR + [np.zeros((0, 2)), np.zeros((4, 3)), np.zeros((1, 2)),
               np.full((4, 2), 1e300)])
add("drawing_error", "z", lambda v: drawing.drawing_error(v, np.array([[0, 0], [1.0, 1.0]])),
    BAD_ARR + [np.zeros((3, 2)), np.zeros((0, 2)), np.full((4, 2), 1e300),
               np.full((4, 2), 1e200)])
add("evaluate_drawing", "n_trials", lambda v: drawing.evaluate_drawing(INET, PATH, CFG,
                                                                       n_trials=v, n_periods=1),
    NOT_INT + [0])
add("evaluate_drawing", "noise", lambda v: drawing.evaluate_drawing(INET, PATH, CFG, n_trials=1,
                                                                    n_periods=1, noise=v),
    NOT_REAL + [-1.0])
add("evaluate_drawing", "u", lambda v: drawing.evaluate_drawing(INET, PATH, CFG, n_trials=1,
                                                                n_periods=1, u=v),
    BAD_ARR[:8] + [np.zeros((T + 1, 2))])
add("evaluate_drawing", "record_units", lambda v: drawing.evaluate_drawing(
    INET, PATH, CFG, n_trials=1, n_periods=1, record_units=v),
    [[0.5], [-1], [8], "a", [[0]], [True], [NAN]])
add("evaluate_drawing", "seed", lambda v: drawing.evaluate_drawing(INET, PATH, CFG, v, n_trials=1,
                                                                   n_periods=1), NOT_SEED)
add("evaluate_drawing", "path", lambda v: drawing.evaluate_drawing(INET, v, CFG, n_trials=1,
                                                                   n_periods=1), BAD_OBJ)
add("divergence", "n_steps", lambda v: innate.divergence(INET, v), NOT_INT + [0])
add("divergence", "u", lambda v: innate.divergence(INET, 5, u=v), BAD_ARR[:8] + [np.zeros((4, 2))])
add("divergence", "seed", lambda v: innate.divergence(INET, 5, seed=v), NOT_SEED)
add("divergence", "config", lambda v: innate.divergence(INET, 5, config=v), BAD_OBJ)
add("drawing_path", "data", lambda v: drawing.drawing_path(v, CFG), ["ab", 3, None, {"x": 1}])
add("drawing_path", "config", lambda v: drawing.drawing_path(DATA, v), BAD_OBJ)
add("run_innate", "data", lambda v: drawing.run_innate(v, CFG), ["ab", "", 3, None, {"x": 1},
                                                                 "x.json"])
add("run_innate", "config", lambda v: drawing.run_innate(DATA, v), BAD_OBJ)
add("run_innate", "seed", lambda v: drawing.run_innate(DATA, CFG, v), NOT_SEED)
add("run_innate", "readout_only", lambda v: drawing.run_innate(DATA, CFG, readout_only=v),
    NOT_BOOL)
add("run_innate", "n_test", lambda v: drawing.run_innate(DATA, CFG, n_test=v), NOT_INT + [0])
add("run_innate", "n_test_periods", lambda v: drawing.run_innate(DATA, CFG, n_test_periods=v),
    NOT_INT + [0])
add("run_innate", "record_units", lambda v: drawing.run_innate(DATA, CFG, record_units=v),
    [[0.5], [-1], [8], "a", [[0]]])
add("run_innate", "bogus", lambda v: drawing.run_innate(DATA, CFG, bogus=v), [1])
add("innate_trial", "name", lambda v: drawing.innate_trial(1, name=v, data=DATA, config=CFG),
    [3, "bogus"])
add("innate_trial", "data", lambda v: drawing.innate_trial(None, data=v, config=CFG),
    [None, "ab", 3])
add("innate_trial", "n_test", lambda v: drawing.innate_trial(None, data=DATA, config=CFG,
                                                             n_test=v), NOT_INT + [0])
add("innate_trial", "config", lambda v: drawing.innate_trial(None, data=DATA, config=v), BAD_OBJ)
add("recurrent_plateau", "tol", lambda v: innate.recurrent_plateau([1.0] * 10, tol=v),
    NOT_REAL + [0.0, 2.0])
add("recurrent_plateau", "errors", lambda v: innate.recurrent_plateau(v), HUGE_ARR)
add("llg_network", "net", lambda v: innate_config.llg_network(v), BAD_OBJ + [NET])
add("llg_network", "llg_dt", lambda v: innate_config.llg_network(INET, llg_dt=v), NOT_REAL + [0.0])

# family ---------------------------------------------------------------------------------------
add("device_family", "n", lambda v: family.device_family(v, 1), NOT_INT + [0])
add("device_family", "k", lambda v: family.device_family(5, v), NOT_INT + [0, 6])
add("device_family", "seed", lambda v: family.device_family(5, 2, kind="normal", seed=v), NOT_SEED)
add("device_family", "nominal", lambda v: family.device_family(5, 2, nominal=v),
    BAD_OBJ + [DEV.replace(diameter_x=5e-8, ku=4e5)])
add("device_family", "ku_spread", lambda v: family.device_family(5, 2, ku_spread=v),
    NOT_REAL + [-0.1, 1.0])
add("device_family", "fixed_ra", lambda v: family.device_family(5, 2, fixed_ra=v), NOT_BOOL)
add("common_curves", "nominal", lambda v: family.common_curves([DEV], v), BAD_OBJ)
add("common_curves", "x_limits", lambda v: family.common_curves([DEV], x_limits=v),
    [(1.0, 0.0), (NAN, 1.0), "ab", 3, (0.0, "1")])
add("common_curves", "normalisation", lambda v: family.common_curves([DEV], normalisation=v),
    ["bogus", None])
add("common_curves", "rule", lambda v: family.common_curves([DEV], rule=v), ["bogus", None])
add("family_network", "params", lambda v: s1_sizes.family_network(v, family=FAM), BAD_OBJ)
add("family_network", "family", lambda v: s1_sizes.family_network(network.NetworkParams(n=6),
                                                                family=v),
    BAD_OBJ + [family.device_family(5, 2)])
add("family_network", "seed", lambda v: s1_sizes.family_network(network.NetworkParams(n=6), v,
                                                              family=FAM), NOT_SEED)
add("family_network", "normalisation",
    lambda v: s1_sizes.family_network(network.NetworkParams(n=6), family=FAM, normalisation=v),
    ["bogus"])
add("trial_family", "seed", lambda v: s1_sizes.trial_family(v, 5, spread=0.1, k=2), NOT_SEED)
add("trial_family", "spread", lambda v: s1_sizes.trial_family(0, 5, spread=v, k=2),
    NOT_REAL + [-0.1])
add("fig2_family_trial", "name", lambda v: s1_sizes.fig2_family_trial(1, name=v), ["bogus", 3])
add("fig2_family_trial", "spread", lambda v: s1_sizes.fig2_family_trial(
    v, 0, k=2, params=network.NetworkParams(n=4), timeline=TL), [NAN, -0.1, "a"])
add("fig2_family_trial", "params", lambda v: s1_sizes.fig2_family_trial(params=v), BAD_OBJ)
add("fig2_family_trial", "timeline", lambda v: s1_sizes.fig2_family_trial(
    k=2, params=network.NetworkParams(n=4), timeline=v), BAD_OBJ)
add("fig2_family_trial", "training", lambda v: s1_sizes.fig2_family_trial(
    k=2, params=network.NetworkParams(n=4), timeline=TL, training=v), ["t", [1, 2], {"bogus": 1}])
add("fig2_family_trial", "seed", lambda v: s1_sizes.fig2_family_trial(
    k=2, params=network.NetworkParams(n=4), timeline=TL, seed=v), NOT_SEED)
add("recognition_family_trial", "n_mtj", lambda v: s1_sizes.recognition_family_trial(
    k=2, n_mtj=v, n_train=2, n_test=2), NOT_INT + [0])
add("recognition_family_trial", "noise", lambda v: s1_sizes.recognition_family_trial(
    k=2, n_mtj=5, noise=v, n_train=2, n_test=2), NOT_REAL + [-1.0])
add("recognition_family_trial", "n_train", lambda v: s1_sizes.recognition_family_trial(
    k=2, n_mtj=5, n_train=v, n_test=2), NOT_INT + [0])
add("recognition_family_trial", "method", lambda v: s1_sizes.recognition_family_trial(
    k=2, n_mtj=5, n_train=2, n_test=2, method=v), ["bogus"])
add("recognition_family_trial", "params", lambda v: s1_sizes.recognition_family_trial(
    k=2, n_mtj=5, n_train=2, n_test=2, params=v), BAD_OBJ)
add("recognition_family_trial", "fixed_ra", lambda v: s1_sizes.recognition_family_trial(
    name=None, k=2, n_mtj=5, n_train=2, n_test=2, fixed_ra=v), NOT_BOOL[:3])

# imperfections --------------------------------------------------------------------------------
for f in ("static_sigma", "read_sigma", "write_sigma", "fail_fraction"):
    add("Imperfections", f, lambda v, f=f: imperfections.Imperfections(**{f: v}),
        NOT_REAL + [-0.1, 2.0])
for f in ("recurrent_delay", "feedback_delay"):
    add("Imperfections", f, lambda v, f=f: imperfections.Imperfections(**{f: v}),
        NOT_INT + [-1, 10**6])
for f in ("fluctuating", "delay_mode", "fail_value", "fail_rule"):
    add("Imperfections", f, lambda v, f=f: imperfections.Imperfections(**{f: v}),
        ["bogus", None, 3])
add("Imperfections.replace", "bogus", lambda v: imperfections.Imperfections().replace(bogus=v),
    [1])
add("realise", "imperfections", lambda v: imperfections.realise(v, NET, 0), BAD_OBJ + [None])
add("realise", "n_steps", lambda v: imperfections.realise(
    imperfections.Imperfections(recurrent_delay=3), NET, 0, v), NOT_INT + [0, 2])
add("Realised.check", "net", lambda v: REAL_OTHER.check(v), [NET, "n", None])
add("fig2_imperfect_trial", "name", lambda v: s3_synapses.fig2_imperfect_trial(1, name=v),
    ["bogus", 3])
add("fig2_imperfect_trial", "base", lambda v: s3_synapses.fig2_imperfect_trial(base=v),
    BAD_OBJ)
add("fig2_imperfect_trial", "read_sigma", lambda v: s3_synapses.fig2_imperfect_trial(
    v, 0, name="read_sigma", params=network.NetworkParams(n=4), timeline=TL), [NAN, -0.1, "a"])
add("fig2_imperfect_trial", "seed", lambda v: s3_synapses.fig2_imperfect_trial(
    None, v, params=network.NetworkParams(n=4), timeline=TL), NOT_SEED)
add("recognition_imperfect_trial", "base",
    lambda v: s3_synapses.recognition_imperfect_trial(base=v), BAD_OBJ)
add("recognition_imperfect_trial", "read_sigma",
    lambda v: s3_synapses.recognition_imperfect_trial(v, 0, name="read_sigma", n_mtj=4,
                                                        n_train=2, n_test=2), [NAN, "a"])

# thermal --------------------------------------------------------------------------------------
add("boltzmann_start", "device", lambda v: thermal.boltzmann_start(v, 300.0, 3), BAD_OBJ)
add("boltzmann_start", "temperature", lambda v: thermal.boltzmann_start(DEV, v, 3),
    NOT_REAL + [-1.0, 1e9])
add("boltzmann_start", "n", lambda v: thermal.boltzmann_start(DEV, 300.0, v), NOT_INT + [0])
add("boltzmann_start", "seed", lambda v: thermal.boltzmann_start(DEV, 300.0, 3, v), NOT_SEED)
add("delta_r_samples", "j", lambda v: thermal.delta_r_samples(None, 0.0, v, 2, t_window=1e-11),
    BAD_ARR + [[], np.zeros((2, 2))])
add("delta_r_samples", "temperature", lambda v: thermal.delta_r_samples(None, v, [1e10], 2),
    NOT_REAL + [-1.0])
add("delta_r_samples", "n_trials", lambda v: thermal.delta_r_samples(None, 0.0, [1e10], v),
    NOT_INT + [0])
add("delta_r_samples", "start", lambda v: thermal.delta_r_samples(None, 0.0, [1e10], 2, start=v),
    ["bogus", None])
add("delta_r_samples", "seed", lambda v: thermal.delta_r_samples(None, 1.0, [1e10], 2, seed=v),
    NOT_SEED)
add("delta_r_samples", "rule", lambda v: thermal.delta_r_samples(None, 0.0, [1e10], 2, rule=v),
    ["bogus", 3])
add("delta_r_samples", "t_window", lambda v: thermal.delta_r_samples(None, 0.0, [1e10], 2,
                                                                    t_window=v),
    NOT_REAL + [0.0])
add("delta_r_samples", "device", lambda v: thermal.delta_r_samples(v, 0.0, [1e10], 2), BAD_OBJ)
add("noise_calibration", "temperature", lambda v: thermal.noise_calibration(temperature=v),
    NOT_REAL + [0.0, -1.0])
add("noise_calibration", "x", lambda v: thermal.noise_calibration(x=v),
    BAD_ARR + [[], np.zeros((2, 2))])
add("noise_calibration", "n_trials", lambda v: thermal.noise_calibration(n_trials=v),
    NOT_INT + [10])
add("noise_calibration", "seed", lambda v: thermal.noise_calibration(seed=v), NOT_SEED)
add("noise_calibration", "dt", lambda v: thermal.noise_calibration(dt=v, x=[0.5]),
    NOT_REAL + [0.0, 1.0])
add("noise_calibration", "j_range", lambda v: thermal.noise_calibration(j_range=v),
    [(0.0, 1e10), "ab", 3, (NAN, 1e10), (1e10, 0.8e10), (0.8e10, "1")])
add("noise_calibration", "cache", lambda v: thermal.noise_calibration(cache=v, x=[0.5]),
    NOT_BOOL)
add("noise_calibration", "device", lambda v: thermal.noise_calibration(v), BAD_OBJ)
NCAL = thermal.NoiseCalibration(temperature=1.0, x=np.linspace(0, 1, 5), dr_mean=np.arange(5.0),
                                dr_std=np.ones(5), dr_0=0.0, dr_1=4.0, n_trials=200)
add("NoiseCalibration.smooth", "degree", NCAL.smooth, NOT_INT + [-1])
add("fit_noise_law", "temperature", lambda v: thermal.fit_noise_law(v, [1.0, 2.0]),
    BAD_ARR + [[300.0, 300.0], [1.0], [-1.0, 2.0], [0.0, 1.0]])
add("fit_noise_law", "sigma", lambda v: thermal.fit_noise_law([1.0, 2.0], v),
    BAD_ARR + [[1.0], [0.0, 1.0], [1.0, 2.0, 3.0]])
add("fit_noise_law", "volume", lambda v: thermal.fit_noise_law([1.0, 2.0, 3.0], [1.0, 2.0, 3.0],
                                                               volume=v),
    BAD_ARR[:8] + [[1.0, 2.0], [0.0, 1.0, 1.0], [1.0, 2.0, 3.0]])
add("fit_noise_law", "v_ref", lambda v: thermal.fit_noise_law(
    [1.0, 2.0, 3.0], [1.0, 2.0, 3.0], volume=[1.0, 2.0, 1.0], v_ref=v), NOT_REAL + [0.0, -1.0])
add("fmr_linewidth", "device", thermal.fmr_linewidth, BAD_OBJ)
add("phase_spread", "linewidth_hz", thermal.phase_spread, BAD_ARR + [-1.0])
add("phase_spread", "t", lambda v: thermal.phase_spread(1e6, v), NOT_REAL + [-1.0])
add("fig2_noise_trial", "temperature", lambda v: s2_phase_noise.fig2_noise_trial(
    4, 0, temperature=v, timeline=TL), NOT_REAL + [-1.0])
add("fig2_noise_trial", "neuron_mode", lambda v: s2_phase_noise.fig2_noise_trial(
    4, 0, temperature=1e-5, neuron_mode=v, timeline=TL), ["bogus", None])
add("fig2_noise_trial", "params", lambda v: s2_phase_noise.fig2_noise_trial(4, 0, params=v,
                                                                     timeline=TL),
    BAD_OBJ)
add("recognition_noise_trial", "temperature", lambda v: s2_phase_noise.recognition_noise_trial(
    4, 0, temperature=v, n_train=2, n_test=2), NOT_REAL + [-1.0])
add("recognition_noise_trial", "neuron_mode", lambda v: s2_phase_noise.recognition_noise_trial(
    4, 0, temperature=1e-5, neuron_mode=v, n_train=2, n_test=2), ["bogus", None])
add("NoisePoint", "task", lambda v: s2_phase_noise.NoisePoint(task=v, n=4, temperature=0.0),
    ["bogus", None])
add("NoisePoint", "n", lambda v: s2_phase_noise.NoisePoint(task="fig2", n=v, temperature=0.0),
    NOT_INT + [0])
add("NoisePoint", "temperature", lambda v: s2_phase_noise.NoisePoint(task="fig2", n=4, temperature=v),
    NOT_REAL + [-1.0])
add("NoisePoint", "neuron_mode", lambda v: s2_phase_noise.NoisePoint(task="fig2", n=4, temperature=0.0,
                                                              neuron_mode=v), ["lookup", None])
add("NoisePoint", "first_run_only", lambda v: s2_phase_noise.NoisePoint(task="fig2", n=4,
                                                                 temperature=0.0,
                                                                 first_run_only=v), NOT_BOOL)
add("noise_point_trial", "point", s2_phase_noise.noise_point_trial, BAD_OBJ + [None])
add("fit_error_exponent", "n", lambda v: s2_phase_noise.fit_error_exponent(v, np.ones((2, 3))),
    BAD_ARR[:8] + [[1.0, 1.0], [-1.0, 2.0], [1.0, 2.0, 3.0]])
add("fit_error_exponent", "err", lambda v: s2_phase_noise.fit_error_exponent([1.0, 2.0], v),
    BAD_ARR[:8] + [np.ones(2), np.zeros((2, 3)), np.ones((3, 3)), np.ones((2, 0))])
add("compare_error_distributions", "a", lambda v: s2_phase_noise.compare_error_distributions(
    v, [1.0, 2.0]), BAD_ARR[:8] + [[1.0], [0.0, 1.0]])
add("compare_error_distributions", "b", lambda v: s2_phase_noise.compare_error_distributions(
    [1.0, 2.0], v), BAD_ARR[:8] + [[1.0]])
add("compare_error_distributions", "n_boot", lambda v: s2_phase_noise.compare_error_distributions(
    [1.0, 2.0], [1.0, 2.0], n_boot=v), NOT_INT + [1])
add("compare_error_distributions", "level", lambda v: s2_phase_noise.compare_error_distributions(
    [1.0, 2.0], [1.0, 2.0], level=v), NOT_REAL + [0.0, 1.0])
add("compare_error_distributions", "seed", lambda v: s2_phase_noise.compare_error_distributions(
    [1.0, 2.0], [1.0, 2.0], seed=v), NOT_SEED)
add("rate_residuals", "n", lambda v: s2_phase_noise.rate_residuals(v, 0, 1e-5, "stochastic", 3),
    NOT_INT + [0])
add("rate_residuals", "seed", lambda v: s2_phase_noise.rate_residuals(4, v, 1e-5, "stochastic", 3),
    NOT_SEED)
add("rate_residuals", "temperature", lambda v: s2_phase_noise.rate_residuals(4, 0, v, "stochastic", 3),
    NOT_REAL + [0.0])
add("rate_residuals", "neuron_mode", lambda v: s2_phase_noise.rate_residuals(4, 0, 1e-5, v, 3),
    ["bogus", None, "lookup"])
add("rate_residuals", "n_steps", lambda v: s2_phase_noise.rate_residuals(4, 0, 1e-5, "stochastic", v),
    NOT_INT + [0])
add("rate_residuals", "params", lambda v: s2_phase_noise.rate_residuals(4, 0, 1e-5, "stochastic", 3,
                                                                 params=v), BAD_OBJ)
add("free_run_swap", "n", lambda v: s2_phase_noise.free_run_swap(v, 0, 1e-5, 15.0), NOT_INT + [0])
add("free_run_swap", "seed", lambda v: s2_phase_noise.free_run_swap(4, v, 1e-5, 15.0), NOT_SEED)
add("free_run_swap", "temperature", lambda v: s2_phase_noise.free_run_swap(4, 0, v, 15.0),
    NOT_REAL + [0.0])
add("free_run_swap", "check_ns", lambda v: s2_phase_noise.free_run_swap(4, 0, 1e-5, v),
    NOT_REAL + [0.0, 1e9])
add("free_run_swap", "params", lambda v: s2_phase_noise.free_run_swap(4, 0, 1e-5, 15.0, params=v),
    BAD_OBJ)

# sweep ------------------------------------------------------------------------------------------
add("derive_seeds", "root_seed", lambda v: sweep.derive_seeds(2, v), NOT_INT + [-1])
add("process_pool", "n_workers", sweep_executors.process_pool, NOT_INT[:4] + [0])
add("sweep", "values", lambda v: sweep.sweep(metric_fn, v, [0], executor="serial",
                                             progress=False), ["v", 3, [], None])
add("sweep", "n_workers", lambda v: sweep.sweep(metric_fn, [1], [0], n_workers=v,
                                                progress=False), NOT_INT[:4] + [0])
add("sweep", "progress", lambda v: sweep.sweep(metric_fn, [1], [0], executor="serial",
                                               progress=v), ["no", 1, 0])
add("sweep", "name", lambda v: sweep.sweep(metric_fn, [1], [0], executor="serial",
                                           progress=False, name=v), [3, "", None])
add("sweep", "root_seed", lambda v: sweep.sweep(metric_fn, [1], 2, executor="serial",
                                                progress=False, root_seed=v),
    NOT_INT[:4] + [-1])
add("sweep", "client", lambda v: sweep.sweep(metric_fn, [1], [0], client=v, progress=False),
    [3])
add("sweep", "executor", lambda v: sweep.sweep(metric_fn, [1], [0], executor=v, progress=False),
    [3, None.__class__])
add("SweepResult.std", "metric", SR.std, ["nope", 3])
add("SweepResult.success_ci", "level", lambda v: SR.success_ci("ok", level=v),
    NOT_REAL + [0.0, 1.0])
add("SweepResult.success_ci", "metric_or_predicate", lambda v: SR.success_ci(v), ["nope", 3, "m"])
add("SweepResult", "metrics", lambda v: sweep.SweepResult(values=np.ones(2), seeds=np.ones(3),
                                                          metrics=v),
    [{"m": np.ones(2)}, "m", 3])
add("SweepResult", "name", lambda v: sweep.SweepResult(values=np.ones(2), seeds=np.ones(3),
                                                       metrics={}, name=v), [3, None])

# rls / step_types -------------------------------------------------------------------------------
add("row_p", "indptr", lambda v: rls.row_p(v, [0]), ["abc", None, [[0, 1]], [0.5, 1.0],
                                                     [3, 1, 0], [NAN, 1.0]])
add("row_p", "alpha", lambda v: rls.row_p(np.arange(5), [0], v), NOT_REAL + [0.0])
add("check_forgetting", "forgetting", rls.check_forgetting, NOT_REAL + [0.1])
add("check_every", "k", lambda v: rls.check_every("k", v), NOT_INT + [0])
add("ideal_synapses", "weights", lambda v: step_types.ideal_synapses(v, 1), BAD_OBJ + [None])
add("ideal_synapses", "n_out", lambda v: step_types.ideal_synapses(NET.weights, v),
    NOT_INT + [-1])


# Runner ---------------------------------------------------------------------------------------
class Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise Timeout()


def classify(label, name, value, call):
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(120)
    t0 = time.perf_counter()
    try:
        call(value)
    except Timeout:
        return "hang", "timeout 120 s", 120.0
    except (ValueError, TypeError) as e:
        dt = time.perf_counter() - t0
        msg = f"{type(e).__name__}: {e}"
        if name not in str(e):
            return "unnamed", msg, dt
        if name == "bogus":  # Python's own "unexpected keyword argument 'bogus'"
            return "named", msg, dt
        scalar = isinstance(value, (int, float, str)) and not isinstance(value, bool) and \
            value != ""
        shown = (repr(value)[:20], str(value)[:20], f"{value:g}" if isinstance(value, float) else "")
        if scalar and not any(s and s in str(e) for s in shown):
            return "novalue", msg, dt
        return ("slow" if dt > 2.0 else "named"), msg, dt
    except FileNotFoundError as e:  # documented for missing data folders and files
        if name in str(e):
            return "named", str(e), time.perf_counter() - t0
        return "unnamed", str(e), time.perf_counter() - t0
    except Exception as e:  # noqa: BLE001
        return "other", f"{type(e).__name__}: {e}"[:300] + " @ " + \
            traceback.extract_tb(e.__traceback__)[-1].name, time.perf_counter() - t0
    else:
        return "silent", "no error", time.perf_counter() - t0
    finally:
        signal.alarm(0)


if __name__ == "__main__":
    only = sys.argv[1] if len(sys.argv) > 1 else None
    counts: dict[str, int] = {}
    bad = []
    for label, name, value, call in CASES:
        if only and only not in label:
            continue
        cls, msg, dt = classify(label, name, value, call)
        counts[cls] = counts.get(cls, 0) + 1
        if cls != "named":
            bad.append((cls, label, name, value, msg, dt))
    for cls, label, name, value, msg, dt in bad:
        print(f"{cls:8s} {label}({name}={str(value)[:40]!s}) [{dt:.1f}s]: {msg[:220]}")
    print(f"\n{sum(counts.values())} cases: {counts}")
