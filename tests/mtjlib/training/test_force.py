"""FORCE: the fused kernel, restart rules, textbook checks, the Fig. 2 constants, validation."""

import numpy as np
import pytest

from mtjlib.networks.activation import evaluate
from mtjlib.networks.dynamics import integrate, readout
from mtjlib.networks.network import NetworkParams, build_network
from mtjlib.networks.rls import reset_p, rls_update
from mtjlib.tasks.generation import (
    FIG2_TRAINING,
    FIG2_TRAINING_BOUNDED,
    FIG2_TRAINING_EXPONENTIAL,
    Segment,
    fig2_timeline,
    fig2_trial,
    run_timeline,
    sine,
    timeline,
)
from mtjlib.tasks.metrics import free_run_report
from mtjlib.training.force import _restart_mask, force_train

XG = np.linspace(-6.0, 6.0, 4001)
TANH = {"activation": (XG, np.tanh(XG)), "bias": 0.0, "x_limits": (-6.0, 6.0), "x0_spread": 0.5}
FIG2_TRAIN = FIG2_TRAINING


def test_fused_timeline_kernel_matches_the_step_by_step_kernel():
    """The lookup timeline computes P r of the next step while updating P; the llg path uses
    the plain step. Same arithmetic, so the same bits."""
    tl = fig2_timeline(t_end_ns=1500.0, t_off1_ns=450.0, t_switch_ns=600.0, t_off2_ns=1200.0)
    reset = np.zeros(len(tl.t_ns), bool)
    reset[500] = True
    net = build_network(seed=4, n=25)
    res = force_train(net, tl.target, tl.t_ns, tl.learn, learn_every=2, reset=reset,
                      **FIG2_TRAINING_EXPONENTIAL)
    ref = build_network(seed=4, n=25)
    P = np.eye(25) / FIG2_TRAINING_EXPONENTIAL["alpha"]
    restart = _restart_mask(tl.learn, res.updated, "each_window", True)
    z, r = np.empty(1), np.empty(25)
    zs = []
    for k in range(len(tl.t_ns)):
        if reset[k]:
            ref.x[:] = ref.x0
        evaluate(ref.neuron, ref.x, r, 0)
        readout(ref.w_out, r, z)
        zs.append(z[0])
        if res.updated[k]:
            if restart[k]:
                reset_p(P, FIG2_TRAINING_EXPONENTIAL["alpha"])
            rls_update(P, r, ref.w_out, z - tl.target[k:k + 1],
                       FIG2_TRAINING_EXPONENTIAL["forgetting"])
        integrate(ref.x, r, z, ref.weights, np.zeros(0), ref.params.leak, np.zeros(0))
    assert np.array_equal(res.z[:, 0], np.array(zs))
    assert np.array_equal(res.P, P)


def test_restart_mask():
    learn = np.array([1, 1, 1, 0, 0, 1, 1, 0, 1], bool)
    now = learn & (np.arange(9) % 2 == 0)
    assert list(np.flatnonzero(_restart_mask(learn, now, "each_window", True))) == [0, 6, 8]
    assert list(np.flatnonzero(_restart_mask(learn, now, "never", True))) == [0]
    # a given P is continued: its first window does not restart it
    assert not _restart_mask(learn, now, "never", False).any()
    assert list(np.flatnonzero(_restart_mask(learn, now, "each_window", False))) == [6, 8]


def test_a_given_P_is_used():
    """force_train(P=...) continues that P (issue: it was silently replaced by I/alpha)."""
    tl = fig2_timeline(t_end_ns=300.0, t_off1_ns=150.0, t_switch_ns=200.0, t_off2_ns=250.0)
    a = force_train(build_network(seed=1, n=8), tl.target, tl.t_ns, tl.learn, alpha=1e-3)
    P = np.eye(8) * 5.0
    b = force_train(build_network(seed=1, n=8), tl.target, tl.t_ns, tl.learn, alpha=1e-3, P=P)
    assert not np.array_equal(a.z, b.z)
    with pytest.raises(ValueError, match="P"):
        force_train(build_network(seed=1, n=8), tl.target, tl.t_ns, tl.learn,
                    P=np.full((8, 8), np.nan))
    with pytest.raises(ValueError, match="symmetric"):
        force_train(build_network(seed=1, n=8), tl.target, tl.t_ns, tl.learn,
                    P=np.triu(np.ones((8, 8))))


# FORCE ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", [0, 1, 2])
def test_force_on_a_tanh_network_learns_a_sine(seed):
    """Textbook check, independent of the MTJ: Sussillo & Abbott's chaotic tanh network
    (g = 1.5, p = 0.1, dt/tau = 0.1, alpha = 1) of 200 units learns a sine of period 30 tau
    in 10 periods and keeps it for 3 free-running periods (measured NRMSE 0.05, 0.008, 0.006)."""
    tau = 15.0
    f = sine(1.0, 30 * tau)
    tl = timeline([Segment(0.0, f, True), Segment(300 * tau, f, False)], 390 * tau)
    net = build_network(seed=seed, n=200, p=0.1, g=1.5, tau_ns=tau, **TANH)
    res = force_train(net, tl.target, tl.t_ns, tl.learn)
    (free,) = free_run_report(res.t_ns, res.z, res.target, res.learn)
    assert free.nrmse < 0.1
    assert abs(free.period_ns / (30 * tau) - 1) < 0.01


def test_fig2_constants_reproduce_the_paper_on_the_figure_seed():
    """The book's Fig. 2 network (40 MTJs, lookup) on the figure's seed: both free runs meet the
    claims' rule (NRMSE < 0.1, period within 2 %)."""
    tl = fig2_timeline()
    res = run_timeline(NetworkParams(), 2000, tl, **FIG2_TRAIN)
    report = free_run_report(res.t_ns, res.z, res.target, res.learn, tl.t_end_ns)
    assert [(w.start_ns, w.stop_ns) for w in report] == [(4500.0, 5700.0), (8700.0, 10000.0)]
    assert all(w.nrmse < 0.1 and abs(w.period_ns / w.target_period_ns - 1) <= 0.02
               for w in report)


def test_fig2_trial_reports_both_free_runs():
    out = fig2_trial(None, 1000)
    assert set(out) == {f"{m}_{k}" for m in ("nrmse", "period_ns", "target_period_ns",
                                             "amplitude_ratio", "nrmse_aligned")
                        for k in (1, 2)}
    assert out["target_period_ns_1"] == pytest.approx(45.0, rel=1e-3)
    assert out["target_period_ns_2"] == pytest.approx(80.0, rel=1e-3)
    old = fig2_trial(FIG2_TRAINING_EXPONENTIAL, 1000, name="training")
    assert old != out
    assert fig2_trial(None, 1000, training=FIG2_TRAINING) == out
    assert fig2_trial(FIG2_TRAINING_BOUNDED, 1000, name="training") == out
    assert fig2_trial(20, 1000, name="n") != out
    with pytest.raises(ValueError, match="name='spin'"):
        fig2_trial(1.0, 1000, name="spin")


def test_force_same_seed_same_bits():
    tl = fig2_timeline(t_end_ns=900.0, t_off1_ns=450.0, t_switch_ns=600.0, t_off2_ns=750.0)
    a = run_timeline(NetworkParams(), 7, tl, **FIG2_TRAIN)
    b = run_timeline(NetworkParams(), 7, tl, **FIG2_TRAIN)
    assert np.array_equal(a.z, b.z) and np.array_equal(a.P, b.P)


@pytest.mark.parametrize("change, match", [
    ({"target": np.zeros(99)}, "target has shape"),
    ({"target": np.r_[np.zeros(99), np.nan]}, "finite"),
    ({"target": lambda t: np.full_like(t, np.inf)}, "finite"),
    ({"t_ns": np.r_[0.0, 1.0, 1.5 * np.arange(2, 100)]}, "equally spaced"),
    ({"learn_mask": np.ones(50, bool)}, "learn_mask has shape"),
    ({"alpha": 0.0}, "alpha=0.0"),
    ({"forgetting": 1.5}, "forgetting=1.5"),
    ({"learn_every": 0}, "learn_every=0"),
    ({"p_reset": "sometimes"}, "p_reset"),
])
def test_force_train_rejects_bad_input(change, match):
    kw = {"target": np.zeros(100), "t_ns": 1.5 * np.arange(100), "learn_mask": np.ones(100, bool)}
    kw.update(change)
    net = build_network(n=5)
    with pytest.raises(ValueError, match=match):
        force_train(net, kw.pop("target"), kw.pop("t_ns"), kw.pop("learn_mask"), **kw)
    with pytest.raises(TypeError):
        force_train(object(), np.zeros(3), 1.5 * np.arange(3), np.ones(3, bool))


