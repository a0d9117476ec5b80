"""The fit rule of Delta R: the least-squares fit of R over a window onto an oscillation at a
reference frequency whose offset and envelope vary linearly (:data:`FIT_BASIS`), then the
paper's rule on the fitted curve. Numba kernels, called by the integration kernels of
:mod:`mtjlib.physics.llg_kernels` (which accumulate the window's sums) and by
:mod:`mtjlib.physics.llg`.
"""

from __future__ import annotations

import math

import numpy as np

from mtjlib._numba import kernel

#: The fit rule's basis over a window of n_win steps ending at sample n_steps: 1, tau, cos, sin,
#: tau cos, tau sin, with cos and sin of the reference phase s d at sample s and
#: tau = (s - n_steps + n_win / 2) / n_win (about -1/2 to 1/2 over the window): an oscillation at
#: the reference frequency whose offset and envelope vary linearly across the window.
FIT_BASIS = ("1", "tau", "cos", "sin", "tau cos", "tau sin")
N_FIT = len(FIT_BASIS)


@kernel
def fit_basis(s_idx, n_steps, n_win, c, sn, b):
    """The basis functions at sample ``s_idx`` (cos and sin of its phase given) into ``b``
    (shape (N_FIT,)), with tau from ``n_steps`` and ``n_win`` as in :data:`FIT_BASIS`."""
    tau = (s_idx - n_steps + 0.5 * n_win) / n_win
    b[0], b[1], b[2], b[3], b[4], b[5] = 1.0, tau, c, sn, tau * c, tau * sn


@kernel
def _fit_gram(first, n_steps, n_win, d, gram):
    """Gram matrix of the basis over samples first .. n_steps (phase s d), into ``gram``."""
    gram[:, :] = 0.0
    b = np.empty(N_FIT)
    cd, sd = math.cos(d), math.sin(d)
    c, sn = math.cos(first * d), math.sin(first * d)
    for s_idx in range(first, n_steps + 1):
        fit_basis(s_idx, n_steps, n_win, c, sn, b)
        for i in range(N_FIT):
            for j in range(i, N_FIT):
                gram[i, j] += b[i] * b[j]
        c, sn = c * cd - sn * sd, sn * cd + c * sd
    for i in range(N_FIT):
        for j in range(i):
            gram[i, j] = gram[j, i]


@kernel
def _solve_small(a, rhs, x):
    """x = a^-1 rhs by Gaussian elimination with partial pivoting (a small dense system; a
    and rhs are copied). Returns False when a pivot vanishes (singular to working precision)."""
    n = rhs.shape[0]
    m = a.copy()
    v = rhs.copy()
    scale = 0.0
    for i in range(n):
        scale = max(scale, abs(m[i, i]))
    for k in range(n):
        piv = k
        for i in range(k + 1, n):
            if abs(m[i, k]) > abs(m[piv, k]):
                piv = i
        if not abs(m[piv, k]) > 1e-13 * scale:
            return False
        if piv != k:
            for j in range(n):
                m[k, j], m[piv, j] = m[piv, j], m[k, j]
            v[k], v[piv] = v[piv], v[k]
        for i in range(k + 1, n):
            f = m[i, k] / m[k, k]
            for j in range(k, n):
                m[i, j] -= f * m[k, j]
            v[i] -= f * v[k]
    for k in range(n - 1, -1, -1):
        acc = v[k]
        for j in range(k + 1, n):
            acc -= m[k, j] * x[j]
        x[k] = acc / m[k, k]
    return True


@kernel
def fit_delta_r(sums, first, n_steps, n_win, d, gram):
    """Delta R of the fit rule from a window's sums: the paper's rule on the fitted curve.

    The least-squares fit of R over samples first .. n_steps onto :data:`FIT_BASIS` (an
    oscillation at the reference phase step ``d`` rad per sample whose offset and envelope vary
    linearly), from the sums of R times each basis function (``sums``, (6,)) and the basis's
    Gram matrix ``gram`` (``_fit_gram``); then the paper's rule, the last maximum minus the
    last minimum (each refined by a parabola through three samples), applied to the fitted
    curve sampled from a quarter of the window before ``first`` (so that a precession slightly
    slower than the reference keeps both extrema) to ``n_steps``. Units: those of R; 0 when the
    fitted curve has no interior maximum or minimum (as the paper's rule), NaN when the fit is
    singular.
    """
    coef = np.empty(N_FIT)
    if n_steps - first + 1 < N_FIT or not _solve_small(gram, sums, coef):
        return math.nan
    b = np.empty(N_FIT)
    lo = max(first - n_win // 4, 0)
    cd, sd = math.cos(d), math.sin(d)
    c, sn = math.cos(lo * d), math.sin(lo * d)
    y0 = y1 = 0.0
    lmax = lmin = math.nan
    for s_idx in range(lo, n_steps + 1):
        fit_basis(s_idx, n_steps, n_win, c, sn, b)
        y = 0.0
        for i in range(N_FIT):
            y += coef[i] * b[i]
        if s_idx >= lo + 2:
            den = y0 - 2.0 * y1 + y
            if y1 > y0 and y1 >= y:
                lmax = y1 - (y - y0) ** 2 / (8.0 * den)
            elif y1 < y0 and y1 <= y:
                lmin = y1 - (y - y0) ** 2 / (8.0 * den)
        y0, y1 = y1, y
        c, sn = c * cd - sn * sd, sn * cd + c * sd
    out = lmax - lmin
    return 0.0 if math.isnan(out) else out


@kernel
def fit_rule(sums, first, n_steps, n_win, d, gram, gram_key):
    """:func:`fit_delta_r` of one junction, recomputing ``gram`` only when its window
    (first, n_win, d) differs from ``gram_key``'s (updated): junctions of one device share it."""
    if not (gram_key[0] == first and gram_key[1] == n_win and gram_key[2] == d):
        _fit_gram(first, n_steps, n_win, d, gram)
        gram_key[0], gram_key[1], gram_key[2] = first, n_win, d
    return fit_delta_r(sums, first, n_steps, n_win, d, gram)
