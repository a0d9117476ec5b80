"""The numba kernels that integrate the macrospin LLGS equation of :mod:`mtjlib.physics.llg`: the
right-hand side, the RK4 and stochastic Heun steps, the single-trace and batched integrators
with their resistance trackers, and the network neuron's evaluation :func:`reset_delta_r`.
They only compute (no validation); :mod:`mtjlib.physics.llg` checks the inputs and calls them.
"""

from __future__ import annotations

import math

import numpy as np

from mtjlib._counter_rng import GOLDEN, junction_word, normal, normals_sweep, seed_key
from mtjlib._numba import kernel, parallel_kernel, prange
from mtjlib.physics.device import GAMMA
from mtjlib.physics.llg_fit import N_FIT, fit_basis, fit_rule

# Rows of the coefficient array.
CX, CY, CZ, AJ, LAM2, ALPHA, BETA, SIGMA, PT, R0 = range(10)
N_PAR = 10
RK4, HEUN = 0, 1
#: Junctions per parallel chunk: small enough to stay in L1, large enough to vectorise.
CHUNK = 64


@kernel
def _rhs(mx, my, mz, cx, cy, cz, aj, lam2, alpha, beta, bx, by, bz):
    """dm/dt of the LLGS equation in Landau-Lifshitz form; (bx, by, bz) is an extra field, T."""
    hx = cx * mx + bx
    hy = cy * my + by
    hz = cz * mz + bz
    # precession -gamma m x B
    tx = -GAMMA * (my * hz - mz * hy)
    ty = -GAMMA * (mz * hx - mx * hz)
    tz = -GAMMA * (mx * hy - my * hx)
    # Slonczewski torque tau eps m x (m_p x m) = tau eps (m_p - m_x m), m_p = x
    eps = lam2 / ((lam2 + 1.0) + (lam2 - 1.0) * mx)
    s = aj * eps
    tx += s * (1.0 - mx * mx)
    ty -= s * mx * my
    tz -= s * mx * mz
    # field-like torque -beta tau m x m_p = -beta tau (0, m_z, -m_y)
    ty -= beta * aj * mz
    tz += beta * aj * my
    # (1 + alpha^2) dm/dt = T + alpha m x T
    k = 1.0 / (1.0 + alpha * alpha)
    dx = k * (tx + alpha * (my * tz - mz * ty))
    dy = k * (ty + alpha * (mz * tx - mx * tz))
    dz = k * (tz + alpha * (mx * ty - my * tx))
    return dx, dy, dz


@kernel
def _step(mx, my, mz, p, i, dt, scheme, nx, ny, nz):
    """One step of junction i (coefficients p[:, i]); RK4, or Heun with thermal field (nx, ny,
    nz)."""
    cx, cy, cz, aj = p[CX, i], p[CY, i], p[CZ, i], p[AJ, i]
    lam2, alpha, beta = p[LAM2, i], p[ALPHA, i], p[BETA, i]
    if scheme == RK4:
        k1x, k1y, k1z = _rhs(mx, my, mz, cx, cy, cz, aj, lam2, alpha, beta, 0.0, 0.0, 0.0)
        h = 0.5 * dt
        k2x, k2y, k2z = _rhs(mx + h * k1x, my + h * k1y, mz + h * k1z,
                             cx, cy, cz, aj, lam2, alpha, beta, 0.0, 0.0, 0.0)
        k3x, k3y, k3z = _rhs(mx + h * k2x, my + h * k2y, mz + h * k2z,
                             cx, cy, cz, aj, lam2, alpha, beta, 0.0, 0.0, 0.0)
        k4x, k4y, k4z = _rhs(mx + dt * k3x, my + dt * k3y, mz + dt * k3z,
                             cx, cy, cz, aj, lam2, alpha, beta, 0.0, 0.0, 0.0)
        w = dt / 6.0
        ax = mx + w * (k1x + 2.0 * k2x + 2.0 * k3x + k4x)
        ay = my + w * (k1y + 2.0 * k2y + 2.0 * k3y + k4y)
        az = mz + w * (k1z + 2.0 * k2z + 2.0 * k3z + k4z)
    else:
        sg = p[SIGMA, i]
        bx, by, bz = sg * nx, sg * ny, sg * nz
        k1x, k1y, k1z = _rhs(mx, my, mz, cx, cy, cz, aj, lam2, alpha, beta, bx, by, bz)
        k2x, k2y, k2z = _rhs(mx + dt * k1x, my + dt * k1y, mz + dt * k1z,
                             cx, cy, cz, aj, lam2, alpha, beta, bx, by, bz)
        w = 0.5 * dt
        ax = mx + w * (k1x + k2x)
        ay = my + w * (k1y + k2y)
        az = mz + w * (k1z + k2z)
    inv = 1.0 / math.sqrt(ax * ax + ay * ay + az * az)
    return ax * inv, ay * inv, az * inv


# Integrators ----------------------------------------------------------------------------------

@kernel
def trace_kernel(m0, p, dt, n_steps, scheme, key):
    """Trajectory of junction 0 of ``p`` from the unit vector ``m0`` (3,): returns
    (n_steps + 1, 3). ``scheme`` is RK4 or HEUN; HEUN draws junction 0's noise with ``key``."""
    out = np.empty((n_steps + 1, 3))
    mx, my, mz = m0[0], m0[1], m0[2]
    out[0, 0], out[0, 1], out[0, 2] = mx, my, mz
    w0 = junction_word(0)
    for k in range(n_steps):
        if scheme == HEUN:
            w = w0 + np.uint64(3 * k)
            mx, my, mz = _step(mx, my, mz, p, 0, dt, scheme, normal(key, w),
                               normal(key, w + np.uint64(1)), normal(key, w + np.uint64(2)))
        else:
            mx, my, mz = _step(mx, my, mz, p, 0, dt, scheme, 0.0, 0.0, 0.0)
        out[k + 1, 0], out[k + 1, 1], out[k + 1, 2] = mx, my, mz
    return out


@kernel
def _rk4_sweep(mx, my, mz, p, dt):
    """One RK4 step of a chunk of junctions (p: the chunk's coefficients), in place; branch-free."""
    h, w6 = 0.5 * dt, dt / 6.0
    for q in range(mx.shape[0]):
        cx, cy, cz, aj = p[CX, q], p[CY, q], p[CZ, q], p[AJ, q]
        lam2, alpha, beta = p[LAM2, q], p[ALPHA, q], p[BETA, q]
        x, y, z = mx[q], my[q], mz[q]
        k1x, k1y, k1z = _rhs(x, y, z, cx, cy, cz, aj, lam2, alpha, beta, 0.0, 0.0, 0.0)
        k2x, k2y, k2z = _rhs(x + h * k1x, y + h * k1y, z + h * k1z,
                             cx, cy, cz, aj, lam2, alpha, beta, 0.0, 0.0, 0.0)
        k3x, k3y, k3z = _rhs(x + h * k2x, y + h * k2y, z + h * k2z,
                             cx, cy, cz, aj, lam2, alpha, beta, 0.0, 0.0, 0.0)
        k4x, k4y, k4z = _rhs(x + dt * k3x, y + dt * k3y, z + dt * k3z,
                             cx, cy, cz, aj, lam2, alpha, beta, 0.0, 0.0, 0.0)
        ax = x + w6 * (k1x + 2.0 * k2x + 2.0 * k3x + k4x)
        ay = y + w6 * (k1y + 2.0 * k2y + 2.0 * k3y + k4y)
        az = z + w6 * (k1z + 2.0 * k2z + 2.0 * k3z + k4z)
        inv = 1.0 / math.sqrt(ax * ax + ay * ay + az * az)
        mx[q], my[q], mz[q] = ax * inv, ay * inv, az * inv


@kernel
def _heun_sweep(mx, my, mz, p, dt, n0, n1, n2):
    """One Heun step with thermal field of a chunk, in place; n0, n1, n2: normals per component."""
    h = 0.5 * dt
    for q in range(mx.shape[0]):
        cx, cy, cz, aj = p[CX, q], p[CY, q], p[CZ, q], p[AJ, q]
        lam2, alpha, beta, sg = p[LAM2, q], p[ALPHA, q], p[BETA, q], p[SIGMA, q]
        x, y, z = mx[q], my[q], mz[q]
        bx, by, bz = sg * n0[q], sg * n1[q], sg * n2[q]
        k1x, k1y, k1z = _rhs(x, y, z, cx, cy, cz, aj, lam2, alpha, beta, bx, by, bz)
        k2x, k2y, k2z = _rhs(x + dt * k1x, y + dt * k1y, z + dt * k1z,
                             cx, cy, cz, aj, lam2, alpha, beta, bx, by, bz)
        ax = x + h * (k1x + k2x)
        ay = y + h * (k1y + k2y)
        az = z + h * (k1z + k2z)
        inv = 1.0 / math.sqrt(ax * ax + ay * ay + az * az)
        mx[q], my[q], mz[q] = ax * inv, ay * inv, az * inv


@kernel
def _track_extrema(mx, p, first, k_left, n_win, r1, r2, lmax, lmin, wmax, wmin):
    """Update each junction's last extrema (parabola-refined) and window range with a new R sample.

    ``k_left`` steps remain after this sample; it is in junction q's window if k_left <= n_win[q].
    Written with selects, not branches, so the loop vectorises.
    """
    for q in range(mx.shape[0]):
        r = p[R0, q] / (1.0 + p[PT, q] * mx[q])
        y0, y1 = r2[q], r1[q]
        den = y0 - 2.0 * y1 + r
        v = y1 - (r - y0) ** 2 / (8.0 * (den if den != 0.0 else 1.0)) if den != 0.0 else y1
        is_max = (not first) and (y1 > y0) and (y1 >= r)
        is_min = (not first) and (y1 < y0) and (y1 <= r)
        lmax[q] = v if is_max else lmax[q]
        lmin[q] = v if (is_min and not is_max) else lmin[q]
        in_window = k_left <= n_win[q]
        wmax[q] = max(wmax[q], r) if in_window else wmax[q]
        wmin[q] = min(wmin[q], r) if in_window else wmin[q]
        r2[q] = y1
        r1[q] = r


@kernel
def _track_fit(mx, p, k_left, n_win, cos_d, sin_d, c, s, sums):
    """Advance each junction's reference phase by one step (rotation) and, for a sample in its
    window, add R times each basis function of the fit rule to its sums (rows of ``sums``, in
    the order of :data:`~mtjlib.physics.llg_fit.FIT_BASIS`). Branch-free like
    :func:`_track_extrema`."""
    for q in range(mx.shape[0]):
        r = p[R0, q] / (1.0 + p[PT, q] * mx[q])
        cn = c[q] * cos_d[q] - s[q] * sin_d[q]
        sn = s[q] * cos_d[q] + c[q] * sin_d[q]
        c[q], s[q] = cn, sn
        w = r if k_left <= n_win[q] else 0.0
        wt = w * (0.5 * n_win[q] - k_left) / max(n_win[q], 1)
        sums[0, q] += w
        sums[1, q] += wt
        sums[2, q] += w * cn
        sums[3, q] += w * sn
        sums[4, q] += wt * cn
        sums[5, q] += wt * sn


@parallel_kernel
def batch_kernel(m, p, dt, n_steps, scheme, key, counter, n_window, phase_step, out):
    """Evolve every junction of ``m`` (3, n) in place for n_steps, tracking resistance extrema.

    out (4 + N_FIT, n) receives, for R(t) = R0 / (1 + p_T m_x) sampled at every step (t = 0
    included): [0] the last interior maximum, [1] the last interior minimum (each refined by a
    parabola through its three samples; NaN if none), [2] the maximum and [3] the minimum of the
    samples in junction i's last ``n_window[i]`` steps (n_window[i] + 1 samples; none if
    n_window[i] < 0), and, if ``phase_step`` (n,) is not empty, [4:10] the sums over those window
    samples of R times each function of :data:`~mtjlib.physics.llg_fit.FIT_BASIS` (reference phase
    k phase_step[i] at sample k: the sums of :func:`~mtjlib.physics.llg_fit.fit_delta_r`; rows 4-9
    are left untouched when ``phase_step`` is empty). ``scheme`` is ``RK4`` or ``HEUN``;
    HEUN draws its normals from the counter generator with ``key`` (``seed_key`` of
    ``mtjlib._counter_rng``) at global steps counter .. counter + n_steps - 1.
    Time is the outer loop and junctions the inner one, in chunks of CHUNK run in parallel; each
    sweep over a chunk is a separate branch-free loop (a branch or a per-junction call inside the
    junction loop stops the compiler from vectorising it and costs a factor of 5 to 10).
    """
    n = m.shape[1]
    n_chunks = (n + CHUNK - 1) // CHUNK
    for c in prange(n_chunks):
        lo = c * CHUNK
        hi = min(lo + CHUNK, n)
        w = hi - lo
        # chunk-local coefficients: index q >= 0 is provably non-negative, so numba emits no
        # wraparound select and LLVM plain unit-stride loads instead of gathers (+50 %)
        pc = np.ascontiguousarray(p[:, lo:hi])
        nw = n_window[lo:hi].copy()
        mx = m[0, lo:hi].copy()
        my = m[1, lo:hi].copy()
        mz = m[2, lo:hi].copy()
        base = np.empty(w, dtype=np.uint64)
        n0, n1, n2 = np.empty(w), np.empty(w), np.empty(w)
        r1 = np.empty(w)  # R one sample back
        wmax = np.empty(w)
        wmin = np.empty(w)
        for q in range(w):
            base[q] = key + junction_word(lo + q) * GOLDEN
            r1[q] = p[R0, lo + q] / (1.0 + p[PT, lo + q] * mx[q])
            wmax[q] = r1[q] if n_steps <= nw[q] else -np.inf
            wmin[q] = r1[q] if n_steps <= nw[q] else np.inf
        fit = phase_step.shape[0] > 0
        ref_c, ref_s, cos_d, sin_d = np.ones(w), np.zeros(w), np.ones(w), np.zeros(w)
        sums = np.zeros((N_FIT, w))
        if fit:
            b0 = np.empty(N_FIT)
            for q in range(w):
                d = phase_step[lo + q]
                cos_d[q], sin_d[q] = math.cos(d), math.sin(d)
                if n_steps <= nw[q]:  # sample 0 (phase 0) is in the window
                    fit_basis(0, n_steps, nw[q], 1.0, 0.0, b0)
                    for i in range(N_FIT):
                        sums[i, q] = r1[q] * b0[i]
        r2 = r1.copy()  # R two samples back
        lmax = np.full(w, np.nan)
        lmin = np.full(w, np.nan)
        for k in range(n_steps):
            if scheme == HEUN:
                normals_sweep(base, np.uint64(3 * (counter + k)) * GOLDEN, n0, n1, n2)
                _heun_sweep(mx, my, mz, pc, dt, n0, n1, n2)
            else:
                _rk4_sweep(mx, my, mz, pc, dt)
            _track_extrema(mx, pc, k == 0, n_steps - k - 1, nw, r1, r2, lmax, lmin, wmax, wmin)
            if fit:
                _track_fit(mx, pc, n_steps - k - 1, nw, cos_d, sin_d, ref_c, ref_s, sums)
        for q in range(w):
            i = lo + q
            m[0, i], m[1, i], m[2, i] = mx[q], my[q], mz[q]
            out[0, i], out[1, i], out[2, i], out[3, i] = lmax[q], lmin[q], wmax[q], wmin[q]
            if fit:
                for f in range(N_FIT):
                    out[4 + f, i] = sums[f, q]


@kernel
def reset_delta_r(p, dt, n_steps, thermal, seed, counter, n_window, phase_step, dr):
    """Delta R (Ohm) of every junction of ``p`` after n_steps from the reset state m = z.

    The LLG neuron's evaluation, callable from inside other numba kernels (no validation).

    Parameters
    ----------
    p : ndarray, shape (N_PAR, n)
        Coefficients (the AJ row already multiplied by each junction's current density).
    dt : float
        Time step, s.
    n_steps : int
        Steps of the evaluation window.
    thermal : bool
        True: stochastic Heun with the thermal field (amplitude from ``p``'s SIGMA row) drawn by
        the counter generator; False: deterministic RK4.
    seed : int or uint64
        Generator seed (non-negative if int64).
    counter : int
        Global step index of this evaluation's first step (pass eval_index * n_steps so that
        consecutive evaluations get fresh numbers).
    n_window : ndarray of int64, shape (n,)
        Per junction: < 0 selects the paper's rule (last maximum minus last minimum, 0 if either
        is missing); >= 0 selects max - min of R over the last n_window steps, or the fit
        rule over them if ``phase_step`` is not empty.
    phase_step : ndarray, shape (n,) or (0,)
        Empty: no fit. Else the reference phase advance per step of each junction, rad
        (2 pi f dt, f its Kittel frequency): Delta R is the paper's rule applied to the
        least-squares fit of R over the window (:func:`~mtjlib.physics.llg_fit.fit_delta_r`).
    dr : ndarray, shape (n,)
        Output, Ohm.
    """
    n = p.shape[1]
    m = np.zeros((3, n))
    m[2, :] = 1.0
    out = np.empty((4 + N_FIT, n))
    batch_kernel(m, p, dt, n_steps, HEUN if thermal else RK4, seed_key(seed), counter,
                 n_window, phase_step, out)
    fit = phase_step.shape[0] > 0
    gram = np.empty((N_FIT, N_FIT))
    gram_key = np.full(3, -1.0)
    for i in range(n):
        if fit and n_window[i] >= 0:
            first = max(n_steps - n_window[i], 0)
            dr[i] = fit_rule(out[4:, i], first, n_steps, n_window[i], phase_step[i], gram,
                             gram_key)
        elif n_window[i] >= 0:
            dr[i] = out[2, i] - out[3, i]
        else:
            d = out[0, i] - out[1, i]
            dr[i] = 0.0 if math.isnan(d) else d
