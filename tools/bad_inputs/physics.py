"""The bad-input cases of mtjlib's physics layer (device, llg, neuron, delta_r_rules, family,
thermal), for ``tools/bad_inputs/sweep.py``: importing this module adds them, each section
under its name (the runner puts the sections in order).
"""

from __future__ import annotations

import numpy as np
from shared import (
    BAD_ARR,
    BAD_OBJ,
    CURVE,
    DEV,
    NAN,
    NOT_BOOL,
    NOT_INT,
    NOT_REAL,
    NOT_SEED,
    add,
    section,
)

from mtjlib.physics import delta_r_rules, device, family, llg, neuron, thermal

# device -------------------------------------------------------------------------------------------
section("device")
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
section("llg")
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
section("neuron")
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


# family ---------------------------------------------------------------------------------------
section("family")
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


# thermal --------------------------------------------------------------------------------------
section("thermal")
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
