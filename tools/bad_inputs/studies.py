"""The bad-input cases of mtjlib's studies layer (s1_sizes, s2_phase_noise, s3_synapses) and of
mtjlib.sweep that runs them, for ``tools/bad_inputs/sweep.py``: importing this module adds
them, each section under its name (the runner puts the sections in order).
"""

from __future__ import annotations

import numpy as np
from shared import (
    BAD_ARR,
    BAD_OBJ,
    FAM,
    NAN,
    NOT_BOOL,
    NOT_INT,
    NOT_REAL,
    NOT_SEED,
    SR,
    TL,
    add,
    metric_fn,
    section,
)

from mtjlib import sweep, sweep_executors
from mtjlib.networks import network
from mtjlib.physics import family
from mtjlib.studies import s1_sizes, s2_phase_noise, s3_synapses

# s1_sizes ---------------------------------------------------------------------------------------
section("s1_sizes")
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


# s3_synapses ------------------------------------------------------------------------------------
section("s3_synapses")
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


# s2_phase_noise ---------------------------------------------------------------------------------
section("s2_phase_noise")
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
section("sweep")
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
