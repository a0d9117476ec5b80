"""Covariance windup of RLS and its absence in the bounded step (issue 29), the bounded step
against a plain NumPy implementation, and the phase-free free-run rule (issue 35)."""

import numpy as np
import pytest

from mtjbook.claims.table import free_run_holds, free_run_holds_phase_free, free_run_seed_holds
from mtjlib.networks.network import build_network
from mtjlib.networks.rls import anchor_gain, gain, matvec_sym, update_p, update_p_bounded
from mtjlib.studies.s3_synapses import fig2_readout_trial
from mtjlib.tasks.generation import FIG2_TRAINING_EXPONENTIAL, fig2_timeline, fig2_training
from mtjlib.tasks.metrics import aligned_nrmse, aligned_target, free_run_report
from mtjlib.training.force import force_train

N, ALPHA = 10, 1e-3


def _rates(t):
    """Rates that excite only two of N directions (a rotating pair), as a network's rates on
    a low-dimensional orbit do."""
    r = np.zeros(N)
    r[0], r[1] = np.cos(0.3 * t), np.sin(0.3 * t)
    return r


def _largest_eig_along(step, n_steps, every):
    P = np.eye(N) / ALPHA
    out = []
    k = np.empty(N)
    for t in range(n_steps):
        step(P, _rates(t), k)
        if (t + 1) % every == 0:
            out.append(np.linalg.eigvalsh(P)[-1])
    return np.array(out)


def test_exponential_forgetting_winds_up_and_the_bounded_step_does_not():
    lam, p_d = 0.995, 1.0 / 504.0

    def exponential(P, r, k):
        matvec_sym(P, r, k)
        update_p(P, k.copy(), gain(r, k, lam), lam, r, k, False)

    def bounded(P, r, k):
        matvec_sym(P, r, k)
        update_p_bounded(P, k.copy(), gain(r, k, 1.0), r, anchor_gain(r, p_d), r, k, False)

    e = _largest_eig_along(exponential, 4000, 500)
    b = _largest_eig_along(bounded, 4000, 500)
    # unexcited directions: P grows as lam^-t, without bound (1e3 * 0.995^-4000 ~ 5e11)
    assert np.all(np.diff(e) > 0)
    assert e[-1] > 1e3 * e[0] and e[-1] == pytest.approx(0.995**-4000 / ALPHA, rel=1e-6)
    # the bounded step: never above max(1/alpha, p_d), the stated bound
    assert b.max() <= max(1 / ALPHA, p_d) * (1 + 1e-12)


def test_fig2_network_p_stays_bounded_and_a_static_readout_error_stays_harmless():
    """The book's trainer on the Fig. 2 timeline: the largest eigenvalue of P never exceeds
    max(1/alpha, 1/alpha_bound); the old trainer's exceeds 1e6. A static error of 1e-4 on the
    readout synapses in situ leaves the bounded trainer's readout norm within 1.5 times the
    ideal one (the old trainer's grows by more than 10 times)."""
    tr = fig2_training(40)
    bound = max(1 / tr["alpha"], 1 / tr["alpha_bound"])
    net = build_network(seed=0)
    tl = fig2_timeline()
    res = force_train(net, tl.target, tl.t_ns, tl.learn, p_trace=100, **tr)
    assert res.p_max.max() <= bound * (1 + 1e-9)
    old = force_train(build_network(seed=0), tl.target, tl.t_ns, tl.learn, p_trace=100,
                      **FIG2_TRAINING_EXPONENTIAL)
    assert old.p_max.max() > 1e6
    ideal = fig2_readout_trial(None, 0)
    noisy = fig2_readout_trial(1e-4, 0, model="fluctuation/static-readout-insitu")
    for k in (1, 2):
        assert noisy[f"w_norm_{k}"] <= 1.5 * ideal[f"w_norm_{k}"]
        assert noisy[f"p_max_{k}"] <= bound * (1 + 1e-9)
    old_ideal = fig2_readout_trial(None, 0, training=FIG2_TRAINING_EXPONENTIAL)
    old_noisy = fig2_readout_trial(1e-4, 0, model="fluctuation/static-readout-insitu",
                                   training=FIG2_TRAINING_EXPONENTIAL)
    assert old_noisy["w_norm_1"] > 10 * old_ideal["w_norm_1"]


def test_p_trace_keeps_the_bits_of_one_advance():
    tl = fig2_timeline(t_end_ns=900.0, t_off1_ns=450.0, t_switch_ns=600.0, t_off2_ns=750.0)
    a = force_train(build_network(seed=3), tl.target, tl.t_ns, tl.learn, **fig2_training())
    b = force_train(build_network(seed=3), tl.target, tl.t_ns, tl.learn, p_trace=7,
                    **fig2_training())
    assert np.array_equal(a.z, b.z) and np.array_equal(a.P, b.P)
    assert b.p_steps[-1] == len(tl.t_ns) - 1 and len(b.p_max) == len(b.p_steps)


def test_bounded_force_matches_a_plain_numpy_implementation():
    """The network's step body with the bounded step (fused, deferred P updates) against the
    update written out in NumPy on the rates and targets of the same run."""
    tl = fig2_timeline(t_end_ns=600.0, t_off1_ns=300.0, t_switch_ns=390.0, t_off2_ns=510.0)
    alpha, alpha_b = 1e-2, 50.0
    res = force_train(build_network(seed=5, n=12), tl.target, tl.t_ns, tl.learn, alpha=alpha,
                      rls="bounded", alpha_bound=alpha_b, p_reset="never", record_rates=True)
    P = np.eye(12) / alpha
    Pd = np.eye(12) / alpha_b
    w = build_network(seed=5, n=12).w_out.copy()
    for t in np.flatnonzero(tl.learn):
        r = res.r[t]
        e = w @ r - tl.target[t]
        assert np.allclose(w @ r, res.z[t], rtol=1e-9, atol=1e-9)  # the run's own output
        Pr = P @ r
        c = 1.0 / (1.0 + r @ Pr)
        w = w - c * np.outer(e, Pr)
        P = P - c * np.outer(Pr, Pr) + Pd @ np.outer(r, r) @ Pd / (1.0 + r @ Pd @ r)
    assert np.allclose(res.P, P, rtol=1e-9, atol=1e-12)


def test_bounded_step_validation():
    tl = fig2_timeline(t_end_ns=300.0, t_off1_ns=150.0, t_switch_ns=200.0, t_off2_ns=250.0)
    net = build_network(seed=1, n=8)
    with pytest.raises(ValueError, match="forgetting=0.99"):
        force_train(net, tl.target, tl.t_ns, tl.learn, rls="bounded", forgetting=0.99)
    with pytest.raises(ValueError, match="alpha_bound"):
        force_train(net, tl.target, tl.t_ns, tl.learn, alpha_bound=5.0)
    with pytest.raises(ValueError, match="rls"):
        force_train(net, tl.target, tl.t_ns, tl.learn, rls="directional")
    with pytest.raises(ValueError, match="p_trace"):
        force_train(net, tl.target, tl.t_ns, tl.learn, p_trace=0)


# The free-run rules ------------------------------------------------------------------------

T = np.arange(0.0, 1300.0, 1.5)
F = 0.65 * np.sin(2 * np.pi * T / 80.0)


def _numbers(z):
    learn = np.zeros(len(T) + 1, bool)
    learn[0] = True
    t = np.concatenate([[-1.5], T])
    (w,) = free_run_report(t, np.concatenate([[0.0], z]), np.concatenate([[0.0], F]), learn)
    return {f"{k}_1": getattr(w, k) for k in ("nrmse", "period_ns", "target_period_ns",
                                               "amplitude_ratio", "nrmse_aligned")}


def test_a_pure_phase_shift_passes_the_phase_free_rule_and_fails_the_phase_locked_one():
    m = _numbers(0.65 * np.sin(2 * np.pi * (T - 23.0) / 80.0))
    assert m["nrmse_1"] > 0.5 and m["nrmse_aligned_1"] < 0.01
    assert free_run_seed_holds(m, "phase-free", runs=(1,))
    assert not free_run_seed_holds(m, "phase-locked", runs=(1,))
    # a slowly drifting phase (phase diffusion) too
    m = _numbers(0.65 * np.sin(2 * np.pi * T / 80.0 + 0.6 * np.sin(2 * np.pi * T / 2600.0)))
    assert free_run_seed_holds(m, "phase-free", runs=(1,))


@pytest.mark.parametrize("z", [0.65 * np.sin(2 * np.pi * T / (80.0 * 1.03)),  # period 3 % off
                               0.5 * np.sin(2 * np.pi * T / 80.0),             # amplitude 23 % low
                               0.65 * np.sign(np.sin(2 * np.pi * T / 80.0))])  # wrong shape
def test_a_wrong_period_amplitude_or_shape_fails_both_rules(z):
    m = _numbers(z)
    assert not free_run_seed_holds(m, "phase-free", runs=(1,))
    assert not free_run_seed_holds(m, "phase-locked", runs=(1,))


def test_aligned_target_and_rule_edges():
    z = 0.65 * np.sin(2 * np.pi * (T + 11.0) / 80.0)
    assert np.max(np.abs(aligned_target(T, z, F) - z)) < 0.01
    assert np.isnan(aligned_nrmse(T[:50], z[:50], F[:50]))  # shorter than a window
    assert aligned_nrmse(T, np.full_like(T, np.inf), F) == np.inf
    assert not free_run_holds_phase_free(0.01, 80.0, 80.0, 1.2)
    assert free_run_holds_phase_free(0.01, 80.5, 80.0, 0.95)
    assert not free_run_holds(float("nan"), 80.0, 80.0)
    with pytest.raises(ValueError, match="rule"):
        free_run_seed_holds({}, "phase-ish")


def test_fig4_trainer_cannot_wind_up():
    """Fig. 4 trains with plain RLS (forgetting 1, the bounded step's limit P_d = 0): nothing is
    forgotten, so P never grows; over 10 training windows its largest eigenvalue stays
    at or below 1/alpha, and the readout is the ridge solution (tests/mtjlib/tasks)."""
    from mtjlib.tasks.recognition import recognition_network, recognition_stream

    stream = recognition_stream(12, 0)
    net = recognition_network(40, 0)
    learn = np.zeros(len(stream.t_ns), dtype=bool)
    learn[:10 * stream.steps_per_window] = True
    res = force_train(net, stream.target, stream.t_ns, learn, alpha=1e-2, p_reset="never",
                      u=stream.u.reshape(-1, 1), reset=stream.reset, p_trace=50)
    assert res.p_max.max() <= 1e2 * (1 + 1e-9)
    assert np.all(np.diff(res.p_max) <= 1e-9 * res.p_max[:-1])
