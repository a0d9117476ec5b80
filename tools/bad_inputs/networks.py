"""The bad-input cases of mtjlib's networks layer (network, imperfections, rls, step_types),
for ``tools/bad_inputs/sweep.py``: importing this module adds them, each section under its
name (the runner puts the sections in order).
"""

from __future__ import annotations

import numpy as np
from shared import (
    BAD_ARR,
    BAD_OBJ,
    CURVE,
    DEV,
    INF,
    NAN,
    NET,
    NET2,
    NOT_BOOL,
    NOT_INT,
    NOT_REAL,
    NOT_SEED,
    REAL_OTHER,
    add,
    section,
)

from mtjlib.networks import imperfections, network, rls, step_types

# network ----------------------------------------------------------------------------------------
section("network")
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


# imperfections --------------------------------------------------------------------------------
section("imperfections")
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


# rls / step_types -------------------------------------------------------------------------------
section("rls")
add("row_p", "indptr", lambda v: rls.row_p(v, [0]), ["abc", None, [[0, 1]], [0.5, 1.0],
                                                     [3, 1, 0], [NAN, 1.0]])
add("row_p", "alpha", lambda v: rls.row_p(np.arange(5), [0], v), NOT_REAL + [0.0])
add("check_forgetting", "forgetting", rls.check_forgetting, NOT_REAL + [0.1])
add("check_every", "k", lambda v: rls.check_every("k", v), NOT_INT + [0])
add("ideal_synapses", "weights", lambda v: step_types.ideal_synapses(v, 1), BAD_OBJ + [None])
add("ideal_synapses", "n_out", lambda v: step_types.ideal_synapses(NET.weights, v),
    NOT_INT + [-1])
