"""Recognition stream, readout training and classification (paper Fig. 4)."""

from __future__ import annotations

import numpy as np
import pytest

from mtjlib.tasks.recognition import (
    SINE,
    SQUARE,
    classify,
    fit_ridge,
    recognition_network,
    recognition_stream,
    recognition_trial,
    run_recognition,
    train_and_classify,
    window_means,
)


def test_window_count_and_layout():
    s = recognition_stream(160, seed=3)
    assert s.n_windows == 160
    assert s.steps_per_window == 40  # 60 ns / 1.5 ns
    assert s.t_ns.shape == s.u.shape == s.target.shape == (160 * 40,)
    assert s.t_ns[-1] == pytest.approx(9600 - 1.5)
    assert np.array_equal(np.flatnonzero(s.reset), np.arange(160) * 40)
    assert np.array_equal(s.target, s.labels[s.window].astype(float))


def test_labels_balanced_for_fixed_seed():
    s = recognition_stream(2000, seed=7)
    frac = np.mean(s.labels == SINE)
    assert set(np.unique(s.labels)) == {SINE, SQUARE}
    assert abs(frac - 0.5) < 3 * 0.5 / np.sqrt(2000)


@pytest.mark.parametrize("noise", [0.05, 0.3])
def test_measured_noise_equals_requested(noise):
    s = recognition_stream(500, seed=1, noise=noise)
    n = len(s.u)
    # std of the sample std of n Gaussians is sigma / sqrt(2 n): agree within 4 of those
    assert s.measured_noise() == pytest.approx(noise, rel=4 / np.sqrt(2 * n))
    for lab in (SINE, SQUARE):  # per class too, relative to that class's magnitude
        m = s.target == lab
        assert np.std(s.u[m] - s.clean[m]) / s.magnitude[m][0] == pytest.approx(noise, rel=0.05)


def test_clean_functions():
    s = recognition_stream(50, seed=2, noise=0.0)
    assert np.array_equal(s.u, s.clean)
    sq = s.target < 0
    assert set(np.unique(s.clean[sq])) <= {-2.0, 0.0, 2.0}
    assert np.allclose(s.clean[~sq], np.sin(0.21 * s.t_ns[~sq]))
    w = recognition_stream(50, seed=2, noise=0.0, time_origin="window")
    t_in = (np.arange(len(w.t_ns)) % 40) * 1.5
    assert np.allclose(w.clean[~sq], np.sin(0.21 * t_in[~sq]))


def test_same_seed_same_bits():
    a, b = recognition_stream(20, seed=5), recognition_stream(20, seed=5)
    assert np.array_equal(a.u, b.u) and np.array_equal(a.labels, b.labels)
    assert not np.array_equal(a.u, recognition_stream(20, seed=6).u)
    r1, r2 = run_recognition(20, 4, n_train=10, n_test=10), run_recognition(
        20, 4, n_train=10, n_test=10)
    assert np.array_equal(r1.z, r2.z) and np.array_equal(r1.w_out, r2.w_out)


@pytest.mark.parametrize("kw, exc", [
    ({"n_windows": 0}, ValueError), ({"n_windows": 2.0}, TypeError),
    ({"n_windows": 4, "noise": -0.1}, ValueError), ({"n_windows": 4, "w1": 0.0}, ValueError),
    ({"n_windows": 4, "window_ns": 61.0}, ValueError),
    ({"n_windows": 4, "time_origin": "local"}, ValueError),
    ({"n_windows": 4, "seed": -1}, TypeError),
])
def test_stream_validation(kw, exc):
    with pytest.raises(exc):
        recognition_stream(**kw)


def test_reset_makes_first_outputs_identical():
    """Identical inputs after a reset give identical outputs: the first step's output of every
    window is the same, whatever came before."""
    res = run_recognition(30, 0, n_train=10, n_test=20)
    first = res.z[res.stream.reset]
    assert np.all(first[res.n_train:] == first[res.n_train])
    # and a window's whole output depends only on its own input: replay one window alone
    net = recognition_network(30, 11)
    s = res.stream
    k = 25
    sl = slice(k * 40, (k + 1) * 40)
    u = s.u.reshape(-1, 1)
    net.w_out[0] = res.w_out
    whole = net.run(len(s.t_ns), u=u, reset=s.reset, record=False).z[sl, 0]
    net.reset()
    alone = net.run(40, u=u[sl], reset=s.reset[sl], record=False).z[:, 0]
    assert np.array_equal(whole, alone)


def test_fit_ridge_rejects_bad_shapes():
    r = np.random.default_rng(0).random((50, 4))
    with pytest.raises(ValueError):
        fit_ridge(r[:, 0], np.ones(50))
    with pytest.raises(ValueError):
        fit_ridge(r, np.ones(49))
    with pytest.raises(ValueError):
        fit_ridge(r, np.ones((50, 1)))
    with pytest.raises(ValueError):
        fit_ridge(r, np.full(50, np.nan))
    with pytest.raises(ValueError):
        fit_ridge(r, np.ones(50), ridge=0.0)
    w_true = np.array([1.0, -2.0, 0.5, 3.0])
    assert np.allclose(fit_ridge(r, r @ w_true, ridge=1e-10), w_true, atol=1e-6)


def test_train_and_classify_validation():
    net = recognition_network(10, 0)
    s = recognition_stream(10, 0)
    with pytest.raises(TypeError):
        train_and_classify(net, s.u, 5)
    with pytest.raises(ValueError):
        train_and_classify(net, s, 10)  # no test window left
    with pytest.raises(ValueError):
        train_and_classify(net, s, 5, method="sgd")
    with pytest.raises(ValueError):
        recognition_network(10, 0, feedback_scale=1.0)
    with pytest.raises(ValueError):
        window_means(np.ones(41), 40)


def test_classify_and_measures():
    assert np.array_equal(classify([0.3, -0.1, 0.0]), [SINE, SQUARE, SINE])
    res = run_recognition(40, 0, n_train=60, n_test=100)
    c = res.confusion
    assert c.sum() == 100 and np.trace(c) == res.correct_windows
    assert res.accuracy == res.correct_windows / 100
    assert res.margin > 0


def test_force_equals_ridge_with_same_penalty():
    """RLS from P(0) = I/alpha is ridge regression with penalty alpha on the same rates."""
    a = run_recognition(20, 1, n_train=20, n_test=20, method="force", train_kw={"alpha": 0.1})
    b = run_recognition(20, 1, n_train=20, n_test=20, method="ridge", train_kw={"ridge": 0.1})
    assert np.allclose(a.w_out, b.w_out, rtol=1e-6, atol=1e-8)


def test_paper_scale_recognises_all_windows():
    res = run_recognition(40, 0)
    assert res.n_test == 100 and res.correct_windows == 100


def test_recognition_trial_is_run_recognition_as_numbers():
    kw = {"n_test": 20, "n_mtj": 20}
    res = run_recognition(seed=3, noise=0.1, **kw)
    out = recognition_trial(0.1, 3, name="noise", **kw)
    assert out == {"accuracy": res.accuracy, "correct_windows": res.correct_windows,
                   "margin": res.margin}
    assert recognition_trial(None, 3, name=None, noise=0.1, **kw) == out


def test_fit_ridge_with_collinear_huge_rates_is_the_ridge_minimiser():
    """Identical large rates make r^T r + ridge I numerically singular: the SVD form still gives
    the ridge solution (found by the Hypothesis bad-input test)."""
    from mtjlib.tasks.recognition import fit_ridge

    r = np.full((4, 2), 2694315.0)
    w = fit_ridge(r, np.full(4, 2694315.0))
    assert np.all(np.isfinite(w)) and np.allclose(w, [0.5, 0.5], rtol=1e-9)
