"""Recursive least squares kernels shared by the trainers.

Two forms, both the textbook RLS step with forgetting factor ``lam`` in (0, 1]::

    k = P r;   c = 1 / (lam + r^T P r)
    W <- W - c e k^T                    (= W - e (P_new r)^T)
    P <- (P - c k k^T) / lam

- a *shared* P for the readout (FORCE, Sussillo & Abbott 2009): one (n, n) matrix for all
  outputs, r the rates of every neuron;
- one P *per row* for the recurrent weights (innate training, Laje & Buonomano 2013): row i of J
  is trained over its own existing inputs only, so its P is (k_i, k_i) with k_i the number of
  presynaptic neurons of i, and r is restricted to them.

The per-row matrices are stored back to back in one flat array (``RowP``): row ``q`` of the
plastic set owns ``P_flat[off[q]:off[q] + k_q * k_q]`` laid out as a C-order (k_q, k_q) block.

A step reads P twice (k = P r, then the rank-one update) and that memory traffic is what it
costs at large n. The training loop (:func:`mtjlib.networks.dynamics.drive`) therefore defers each
update of P to the next learning step and applies it in the pass that computes that step's
k = P r (:func:`update_p` with ``fuse``, :func:`row_rls_deferred`), flushing the last one at
the end of the run: one sweep over P per step instead of two, with every number unchanged (the
same operations in the same order; ``tests/mtjlib/networks/test_rls.py`` checks the bits).

References
----------
.. [1] D. Sussillo and L. F. Abbott, Neuron 63, 544 (2009).
.. [2] R. Laje and D. V. Buonomano, Nat. Neurosci. 16, 925 (2013).
.. [3] B. Stenlund and F. Gustafsson, "Avoiding windup in recursive parameter estimation",
   Preprints of Reglermöte 2002, Linköping (2002).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from mtjlib._numba import kernel, parallel_kernel, prange
from mtjlib._validate import check_array, check_indices, check_int, check_real

# Shared P ---------------------------------------------------------------------------------------


@kernel
def matvec_sym(P, r, k):
    """k = P r for symmetric P, as a sum of scaled rows (vectorises without reassociation)."""
    k[:] = 0.0
    for i in range(P.shape[0]):
        ri = r[i]
        for j in range(P.shape[1]):
            k[j] += P[i, j] * ri


@kernel
def gain(r, k, lam):
    """c = 1 / (lam + r^T P r) with k = P r."""
    rpr = 0.0
    for i in range(r.shape[0]):
        rpr += r[i] * k[i]
    return 1.0 / (lam + rpr)


@kernel
def update_w(w_out, e, c, k):
    """W_out -= c e k^T (= e (P_new r)^T for any forgetting factor)."""
    for o in range(w_out.shape[0]):
        ce = c * e[o]
        for j in range(k.shape[0]):
            w_out[o, j] -= ce * k[j]


@kernel
def update_p(P, k, c, lam, r_next, k_next, fuse):
    """P <- (P - c k k^T) / lam; if ``fuse``, also k_next = P_new r_next in the same pass.

    c (k_i k_j) keeps P exactly symmetric. Fusing saves one of the two passes over P per
    step, which is what the step costs at large n (P is memory-bound: 5 MB at n = 800).
    """
    inv = 1.0 / lam
    if fuse:
        k_next[:] = 0.0
    for i in range(P.shape[0]):
        ki = k[i]
        rn = r_next[i]
        if fuse:
            for j in range(P.shape[1]):
                pij = (P[i, j] - c * (ki * k[j])) * inv
                P[i, j] = pij
                k_next[j] += pij * rn
        else:
            for j in range(P.shape[1]):
                P[i, j] = (P[i, j] - c * (ki * k[j])) * inv


@kernel
def anchor_gain(r, p_d):
    """d = p_d^2 / (1 + p_d r^T r): the weight of the term P_d r r^T P_d / (1 + r^T P_d r) that
    :func:`update_p_bounded` adds, with P_d = p_d I."""
    rr = 0.0
    for i in range(r.shape[0]):
        rr += r[i] * r[i]
    return (p_d * p_d) / (1.0 + p_d * rr)


@kernel
def update_p_bounded(P, k, c, rp, d, r_next, k_next, fuse):
    """P <- P - c k k^T + d rp rp^T (Stenlund & Gustafsson [3]); if ``fuse``, also
    k_next = P_new r_next in the same pass.

    ``k = P rp`` and ``c = 1 / (1 + rp^T P rp)`` are the plain RLS step's (forgetting 1) and
    ``d`` is :func:`anchor_gain` of ``rp``: the step adds back, along the direction the rates
    excited, what plain RLS would remove from P_d = p_d I. So P_d is a fixed point, directions
    the rates do not excite keep their P (no windup), and P <= P_d whenever P(0) <= P_d: with
    R = P^-1 >= R_d = P_d^-1, (R + r r^T)^-1 <= (R_d + r r^T)^-1 = P_d - d r r^T.
    """
    if fuse:
        k_next[:] = 0.0
    for i in range(P.shape[0]):
        ki = k[i]
        ri = rp[i]
        rn = r_next[i]
        if fuse:
            for j in range(P.shape[1]):
                pij = (P[i, j] - c * (ki * k[j])) + d * (ri * rp[j])
                P[i, j] = pij
                k_next[j] += pij * rn
        else:
            for j in range(P.shape[1]):
                P[i, j] = (P[i, j] - c * (ki * k[j])) + d * (ri * rp[j])


@kernel
def reset_p(P, alpha):
    """P = I / alpha in place."""
    n = P.shape[0]
    for i in range(n):
        for j in range(n):
            P[i, j] = 0.0
        P[i, i] = 1.0 / alpha


@kernel
def rls_update(P, r, w_out, e, lam):
    """One RLS step in place (reference form, two passes over P).

    P (n, n) symmetric, r (n,), w_out (n_out, n), e (n_out,) = W_out r - f, forgetting factor
    lam in (0, 1] (1: plain RLS, every past step weighs the same).
    """
    k = np.empty(r.shape[0])
    matvec_sym(P, r, k)
    c = gain(r, k, lam)
    update_w(w_out, e, c, k)
    update_p(P, k, c, lam, r, k, False)


@kernel
def is_symmetric(P, rtol, atol_rel):
    """``np.allclose(P, P.T, rtol, atol_rel * max|P|)`` without temporaries (P is (n, n); the
    check runs once per training call, where NumPy's version took 8 ms at n = 800)."""
    n = P.shape[0]
    big = 0.0
    for i in range(n):
        for j in range(n):
            big = max(big, abs(P[i, j]))
    atol = atol_rel * big
    for i in range(n):
        for j in range(i + 1, n):
            a, b = P[i, j], P[j, i]
            d = abs(a - b)
            if d > atol + rtol * abs(b) or d > atol + rtol * abs(a):
                return False
    return True


# One P per row ----------------------------------------------------------------------------------

class RowP(NamedTuple):
    """Per-row inverse correlation matrices of the plastic rows of a CSR matrix."""

    rows: np.ndarray
    """Plastic row indices, (Q,) int64."""
    off: np.ndarray
    """Offset of each row's block in ``P``, (Q + 1,) int64."""
    P: np.ndarray
    """The blocks back to back, flat float64; block q is (k_q, k_q), k_q = that row's inputs."""


def row_p(indptr, rows, alpha: float = 1.0) -> RowP:
    """P(0) = I / alpha for each plastic row over its existing inputs (CSR ``indptr``: a
    non-decreasing 1-d integer array from 0)."""
    indptr = check_array("indptr", indptr, shape=(None,), min_size=1, dtype=np.int64)
    if indptr[0] != 0 or np.any(np.diff(indptr) < 0):
        raise ValueError(f"indptr must be CSR row pointers (from 0, non-decreasing), got "
                         f"{indptr[:8].tolist()}...")
    rows = check_indices("rows", rows, len(indptr) - 1)
    check_real("alpha", alpha, 0.0, 1e12, lo_open=True)
    k = indptr[rows + 1] - indptr[rows]
    off = np.zeros(len(rows) + 1, dtype=np.int64)
    off[1:] = np.cumsum(k * k)
    P = np.zeros(int(off[-1]))
    for q in range(len(rows)):
        blk = P[off[q]:off[q + 1]].reshape(k[q], k[q])
        np.fill_diagonal(blk, 1.0 / alpha)
    return RowP(rows=rows, off=off, P=P)


@parallel_kernel
def row_rls_deferred(P, off, rows, indptr, indices, data, r, err, lam, kpend, cpend, pending):
    """:func:`row_rls_update` with each row's P update deferred to its next step.

    Row q's update ``P_q <- (P_q - c k k^T) / lam`` is not applied at once: ``kpend[q]`` and
    ``cpend[q]`` keep it, and the next call applies it in the same pass that computes the new
    k = P_q r_pre (one sweep over the row's block instead of two; P is what the step costs).
    ``pending`` says whether there is a kept update; :func:`row_rls_flush` applies the last one.
    Every number is the same as with :func:`row_rls_update` (same operations, same order).
    """
    nq = rows.shape[0]
    kmax = kpend.shape[1]
    scratch = np.empty((nq, 2, kmax))
    for q in prange(nq):
        i = rows[q]
        a = indptr[i]
        m = indptr[i + 1] - a
        if m == 0:
            continue
        Pq = P[off[q]:off[q] + m * m].reshape(m, m)
        rp, kv = scratch[q, 0, :m], scratch[q, 1, :m]
        kp = kpend[q, :m]
        idx = indices[a:a + m]
        for s in range(m):
            rp[s] = r[idx[s]]
        if pending:  # P_q <- (P_q - c kp kp^T) / lam and k = P_q r_pre in one pass
            update_p(Pq, kp, cpend[q], lam, rp, kv, True)
        else:
            matvec_sym(Pq, rp, kv)
        c = gain(rp, kv, lam)
        ce = c * err[i]
        d = data[a:a + m]
        for s in range(m):
            d[s] -= ce * kv[s]
        kp[:] = kv
        cpend[q] = c


@parallel_kernel
def row_rls_flush(P, off, rows, indptr, lam, kpend, cpend):
    """Apply the updates :func:`row_rls_deferred` kept: P_q <- (P_q - c k k^T) / lam."""
    for q in prange(rows.shape[0]):
        i = rows[q]
        m = indptr[i + 1] - indptr[i]
        kp = kpend[q, :m]
        update_p(P[off[q]:off[q] + m * m].reshape(m, m), kp, cpend[q], lam, kp, kp, False)


@kernel
def row_kmax(rows, indptr):
    """The largest number of inputs of the plastic rows."""
    kmax = 0
    for q in range(rows.shape[0]):
        i = rows[q]
        kmax = max(kmax, indptr[i + 1] - indptr[i])
    return kmax


@kernel
def row_rls_update(P, off, rows, indptr, indices, data, r, err, lam):
    """One RLS step on every plastic row of J (CSR) in place.

    For plastic row i (q-th of ``rows``) with inputs ``indices[indptr[i]:indptr[i+1]]``:
    r_pre = r[inputs], k = P_q r_pre, c = 1/(lam + r_pre k), data[row] -= c err[i] k,
    P_q <- (P_q - c k k^T) / lam. ``err`` (n,) is the error of each unit (only plastic rows are
    read).

    Rows are independent (each owns its block of ``P`` and its slice of ``data``), so they run
    in parallel, each with its own scratch; the arithmetic of a row is in the same order
    whatever the thread count, so the results do not depend on it. The inner loops run over
    contiguous slices (one row of the block at a time) so they vectorise without any
    reassociation of the sums. This is :func:`row_rls_deferred` followed by its flush.
    """
    kpend = np.empty((rows.shape[0], row_kmax(rows, indptr)))
    cpend = np.empty(rows.shape[0])
    row_rls_deferred(P, off, rows, indptr, indices, data, r, err, lam, kpend, cpend, False)
    row_rls_flush(P, off, rows, indptr, lam, kpend, cpend)


def check_forgetting(lam) -> None:
    """The forgetting factor must be in [0.5, 1] (below, P overflows within a few hundred
    steps in the directions the rates do not excite)."""
    check_real("forgetting", lam, 0.5, 1.0)


def check_every(name: str, value) -> None:
    """A learning period in steps, >= 1."""
    check_int(name, value, 1, 10**9)
