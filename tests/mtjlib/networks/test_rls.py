"""RLS kernels: the textbook step, recovery of known weights, and one P per row."""

import numpy as np
import pytest

from mtjlib.networks.rls import (
    RowP,
    is_symmetric,
    matvec_sym,
    rls_update,
    row_kmax,
    row_p,
    row_rls_deferred,
    row_rls_flush,
    row_rls_update,
    update_p,
)


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


def _csr(mask):
    indptr = np.r_[0, np.cumsum(mask.sum(axis=1))].astype(np.int64)
    indices = np.concatenate([np.flatnonzero(row) for row in mask]).astype(np.int64)
    return indptr, indices


@pytest.mark.parametrize("lam", [1.0, 0.995])
def test_per_row_rls_recovers_known_sparse_weights(lam):
    """Each plastic row of a sparse J learns its own true weights over its existing inputs only;
    rows outside the plastic set and absent connections never change."""
    rng = np.random.default_rng(2)
    n, T = 30, 600
    mask = rng.random((n, n)) < 0.3
    indptr, indices = _csr(mask)
    w_true = rng.standard_normal(len(indices))
    data = np.zeros(len(indices))
    rows = np.arange(0, n, 2)  # half the rows are plastic
    rp = row_p(indptr, rows, alpha=1e-6)
    R = rng.standard_normal((T, n))
    for t in range(T):
        r = R[t]
        y = np.array([w_true[indptr[i]:indptr[i + 1]] @ r[indices[indptr[i]:indptr[i + 1]]]
                      for i in range(n)])
        err = np.array([data[indptr[i]:indptr[i + 1]] @ r[indices[indptr[i]:indptr[i + 1]]]
                        for i in range(n)]) - y
        row_rls_update(rp.P, rp.off, rp.rows, indptr, indices, data, r, err, lam)
    for i in range(n):
        sl = slice(indptr[i], indptr[i + 1])
        if i in rows:
            assert np.allclose(data[sl], w_true[sl], atol=1e-6)
        else:
            assert np.all(data[sl] == 0.0)


def test_per_row_step_equals_the_shared_step_on_one_row():
    """One plastic row with all inputs present is the shared-P step with one output."""
    rng = np.random.default_rng(3)
    n = 9
    indptr, indices = _csr(np.ones((1, n), bool))
    data = rng.standard_normal(n)
    rp = row_p(indptr, [0], alpha=0.5)
    P, w = np.eye(n) / 0.5, data.copy()[None, :]
    for _ in range(5):
        r = rng.standard_normal(n)
        e = np.array([w[0] @ r - 1.0])
        row_rls_update(rp.P, rp.off, rp.rows, indptr, indices, data, r, e, 0.99)
        rls_update(P, r, w, e, 0.99)
    assert np.allclose(data, w[0], rtol=1e-12, atol=1e-12)
    assert np.allclose(rp.P.reshape(n, n), P, rtol=1e-12, atol=1e-12)


def test_row_p_layout_and_validation():
    indptr = np.array([0, 2, 2, 5], dtype=np.int64)
    rp = row_p(indptr, [0, 1, 2], alpha=2.0)
    assert isinstance(rp, RowP)
    assert list(rp.off) == [0, 4, 4, 13]
    assert np.array_equal(rp.P[:4].reshape(2, 2), np.eye(2) / 2.0)
    with pytest.raises(ValueError, match="rows"):
        row_p(indptr, [3])
    with pytest.raises(ValueError, match="repeat"):
        row_p(indptr, [0, 0])
    with pytest.raises(ValueError, match="alpha"):
        row_p(indptr, [0], alpha=0.0)


@pytest.mark.parametrize("lam", [1.0, 0.99])
def test_deferred_row_updates_give_the_same_bits(lam):
    """Deferring each row's P update to its next step (one pass over P instead of two) changes
    no number: weights and P after the flush equal step-by-step updates bit for bit."""
    rng = np.random.default_rng(4)
    n = 25
    mask = rng.random((n, n)) < 0.4
    mask[3] = False  # a plastic row without inputs
    indptr, indices = _csr(mask)
    rows = np.array([0, 3, 5, 6, 11, 24], dtype=np.int64)
    data0 = rng.standard_normal(len(indices))
    a, b = row_p(indptr, rows, 0.3), row_p(indptr, rows, 0.3)
    da, db = data0.copy(), data0.copy()
    kp = np.full((len(rows), row_kmax(rows, indptr)), np.nan)
    cp = np.full(len(rows), np.nan)
    for t in range(7):
        r, err = rng.standard_normal(n), rng.standard_normal(n)
        row_rls_update(a.P, a.off, a.rows, indptr, indices, da, r, err, lam)
        row_rls_deferred(b.P, b.off, b.rows, indptr, indices, db, r, err, lam, kp, cp, t > 0)
        assert np.array_equal(da, db)
    row_rls_flush(b.P, b.off, b.rows, indptr, lam, kp, cp)
    assert np.array_equal(a.P, b.P)
    assert row_kmax(rows, indptr) == max(mask[i].sum() for i in rows)


def test_fused_update_then_matvec_is_update_then_matvec():
    """The shared-P step the training loop uses: P's update fused with the next k = P r."""
    rng = np.random.default_rng(5)
    n = 11
    g = rng.standard_normal((n, n))
    P = g @ g.T + np.eye(n)
    k, r = rng.standard_normal(n), rng.standard_normal(n)
    P1, P2 = P.copy(), P.copy()
    k1, k2 = np.empty(n), np.empty(n)
    update_p(P1, k, 0.01, 0.98, r, k1, True)
    update_p(P2, k, 0.01, 0.98, r, r, False)
    matvec_sym(P2, r, k2)
    assert np.array_equal(P1, P2) and np.array_equal(k1, k2)


def test_is_symmetric_is_numpys_allclose_with_a_relative_atol():
    rng = np.random.default_rng(6)
    g = rng.standard_normal((9, 9))
    P = g @ g.T
    assert is_symmetric(P, 1e-9, 1e-12)
    for eps in (1e-6, 1e-10, 1e-14):
        Q = P.copy()
        Q[2, 7] *= 1 + eps
        ref = np.allclose(Q, Q.T, rtol=1e-9, atol=1e-12 * np.abs(Q).max())
        assert is_symmetric(Q, 1e-9, 1e-12) == ref
    assert not is_symmetric(P + np.triu(np.ones((9, 9)), 1), 1e-9, 1e-12)
