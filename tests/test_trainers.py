import math

import numpy as np
import pytest

from mtjlib.claims import TOLERANCES
from mtjlib.network import NetworkParams, _interp_rows, build_network
from mtjlib.tasks import (
    Segment,
    fig2_timeline,
    free_run_report,
    free_run_windows,
    nrmse,
    sine,
    timeline,
    zero_crossing_period,
)
from mtjlib.trainers import (
    _force_step,
    _restart_mask,
    force_train,
    rls_update,
    run_timeline,
    seed_sweep,
)

XG = np.linspace(-6.0, 6.0, 4001)
TANH = {"activation": (XG, np.tanh(XG)), "bias": 0.0, "x_limits": (-6.0, 6.0), "x0_spread": 0.5}
#: The book's Fig. 2 training constants (book/fig2_force.ipynb).
FIG2_TRAIN = {"alpha": 1e-3, "forgetting": 0.995}


# RLS ------------------------------------------------------------------------------------------

def test_one_rls_step_is_the_textbook_formula():
    rng = np.random.default_rng(0)
    n = 7
    a = rng.standard_normal((n, n))
    P = a @ a.T + np.eye(n)
    r, w, e = rng.standard_normal(n), rng.standard_normal((2, n)), rng.standard_normal(2)
    for lam in (1.0, 0.97):
        P_ref = (P - np.outer(P @ r, r @ P) / (lam + r @ P @ r)) / lam
        w_ref = w - np.outer(e, P_ref @ r)
        P1, w1 = P.copy(), w.copy()
        rls_update(P1, r, w1, e, lam)
        assert np.allclose(P1, P_ref, rtol=1e-13, atol=1e-13)
        assert np.allclose(w1, w_ref, rtol=1e-13, atol=1e-13)
        assert np.array_equal(P1, P1.T)  # kept exactly symmetric


@pytest.mark.parametrize("lam", [1.0, 0.99])
def test_rls_recovers_known_weights_of_a_linear_problem(lam):
    rng = np.random.default_rng(1)
    n, n_out, T = 12, 2, 400
    w_true = rng.standard_normal((n_out, n))
    R = rng.standard_normal((T, n))
    Y = R @ w_true.T
    P, w = np.eye(n) / 1e-6, np.zeros((n_out, n))
    for t in range(T):
        rls_update(P, R[t], w, w @ R[t] - Y[t], lam)
    assert np.allclose(w, w_true, atol=1e-6)
    # with noise it converges to least squares
    Yn = Y + 0.1 * rng.standard_normal(Y.shape)
    P, w = np.eye(n) / 1e-8, np.zeros((n_out, n))
    for t in range(T):
        rls_update(P, R[t], w, w @ R[t] - Yn[t], 1.0)
    lsq = np.linalg.lstsq(R, Yn, rcond=None)[0].T
    assert np.allclose(w, lsq, atol=1e-5)


def test_fused_timeline_kernel_matches_the_step_by_step_kernel():
    """The lookup timeline computes P r of the next step while updating P; the llg path uses
    the plain step. Same arithmetic, so the same bits."""
    tl = fig2_timeline(t_end_ns=1500.0, t_off1_ns=450.0, t_switch_ns=600.0, t_off2_ns=1200.0)
    reset = np.zeros(len(tl.t_ns), bool)
    reset[500] = True
    net = build_network(seed=4, n=25)
    res = force_train(net, tl.target, tl.t_ns, tl.learn, learn_every=2, reset=reset,
                      **FIG2_TRAIN)
    ref = build_network(seed=4, n=25)
    P = np.eye(25) / FIG2_TRAIN["alpha"]
    restart = _restart_mask(tl.learn, res.updated, "each_window", True)
    z, e, r = np.empty(1), np.empty(1), np.empty(25)
    zs = []
    for k in range(len(tl.t_ns)):
        if reset[k]:
            ref.x[:] = ref.x0
        _interp_rows(ref.x, 0.0, 1.0, ref.tab_x, ref.tab_f, r)
        _force_step(ref.x, r, ref.w_out, P, ref.indptr, ref.indices, ref.data, ref.w_f,
                    ref.w_in, np.zeros(0), ref.b, ref.params.leak, tl.target[k:k + 1],
                    res.updated[k], restart[k], FIG2_TRAIN["alpha"], FIG2_TRAIN["forgetting"],
                    z, e)
        zs.append(z[0])
    assert np.array_equal(res.z[:, 0], np.array(zs))
    assert np.array_equal(res.P, P)


def test_restart_mask():
    learn = np.array([1, 1, 1, 0, 0, 1, 1, 0, 1], bool)
    now = learn & (np.arange(9) % 2 == 0)
    assert list(np.flatnonzero(_restart_mask(learn, now, "each_window", True))) == [0, 6, 8]
    assert list(np.flatnonzero(_restart_mask(learn, now, "never", True))) == [0]
    assert not _restart_mask(learn, now, "never", False).any()


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
    assert all(w.holds() for w in report)
    assert TOLERANCES["free_run_nrmse_max"] == 0.1


def test_seed_sweep_reports_every_seed():
    tl = fig2_timeline()
    sw = seed_sweep(NetworkParams(), [1000, 1001, 1002], tl, **FIG2_TRAIN)
    assert sw.nrmse.shape == (3, 2) and sw.holds.shape == (3, 2)
    assert np.allclose(sw.target_period_ns, [45.0, 80.0])
    assert 0.0 <= sw.success_rate <= 1.0


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


# Measures -------------------------------------------------------------------------------------

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
