"""Macrospin Landau-Lifshitz-Gilbert-Slonczewski kernels (numba) and their public wrappers.

The equation (paper Eq. 1) is solved in its explicit Landau-Lifshitz form

    (1 + alpha^2) dm/dt = T + alpha m x T,
    T = -gamma m x B + tau eps(m) m x (m_p x m) - beta tau m x m_p,
    eps(m) = Lambda^2 / ((Lambda^2 + 1) + (Lambda^2 - 1) m.m_p),

with m_p = +x, B = (cx m_x, cy m_y, cz m_z) (+ a thermal field), tau = a_j (1/s).

Layout: every kernel takes the device as a (N_PAR, n) float64 array of per-junction
coefficients (structure of arrays: one row per coefficient, the junction index last and
innermost), so a batch of different junctions (size dispersion) costs nothing extra.
Thermal random numbers are drawn inside the kernels by a counter-based generator keyed by
(seed, junction, step) (``mtjlib._counter_rng``), so no result depends on threads, chunks or
memory. The network's LLG neuron calls :func:`reset_delta_r` from inside its own kernel.

Length: about 615 lines, 390 of them code, on purpose: the kernels of one equation and their
thin validated wrappers; splitting them would make the wrappers import the kernels' privates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import prange

from ._counter_rng import (
    GOLDEN,
    MAX_JUNCTIONS,
    MAX_STEPS,
    junction_word,
    normal,
    normals_sweep,
    seed_key,
    seed_word,
)
from ._numba import kernel, parallel_kernel
from ._validate import check_array, check_int, check_list, check_real, check_seed
from .device import GAMMA, K_B, DeviceParams

# Rows of the coefficient array.
CX, CY, CZ, AJ, LAM2, ALPHA, BETA, SIGMA, PT, R0 = range(10)
N_PAR = 10
RK4, HEUN = 0, 1
#: The LLG time step of the book, s (Delta R converges to about 1e-7 Ohm with it).
DT = 0.5e-12
#: Junctions per parallel chunk: small enough to stay in L1, large enough to vectorise.
CHUNK = 64
#: Highest temperature of the thermal field, K (as :class:`mtjlib.network.NetworkParams`).
T_MAX = 1e4
#: Largest rotation of m in one step, rad, that the public wrappers accept: the fastest rate of
#: the equation (``gamma |B|`` with a 6-sigma thermal field, plus the spin torque) times dt.
#: RK4 on a pure rotation loses 1e-4 of the angle per step at 0.1 rad and becomes unstable near
#: 2.8 rad; above 1 rad a trace is not a solution of the equation any more (and overflows to NaN).
MAX_ROTATION = 1.0


def check_step(coeffs: np.ndarray, dt: float) -> None:
    """Raise ValueError if ``dt`` is too long for the fastest junction of ``coeffs``: one step
    would turn m by more than :data:`MAX_ROTATION` rad (the integration would be wrong or NaN)."""
    coeffs = check_array("coeffs", coeffs, shape=(N_PAR, None))
    check_real("dt", dt, 0.0, math.inf, lo_open=True, unit="s")
    if coeffs.shape[1] == 0:
        return
    field = np.max(np.abs(coeffs[CX:CZ + 1]), axis=0) + 6.0 * coeffs[SIGMA]
    rate = GAMMA * field + np.abs(coeffs[AJ]) * (0.5 + coeffs[BETA])
    worst = int(np.argmax(rate))
    turn = float(rate[worst]) * dt
    if not turn <= MAX_ROTATION:
        raise ValueError(f"dt={dt!r} s is too long for junction {worst}: m would turn by "
                         f"{turn:.3g} rad per step (at most {MAX_ROTATION} rad; its field, "
                         f"thermal field and current density j set the rate {rate[worst]:.3g} "
                         f"rad/s); use dt <= {MAX_ROTATION / rate[worst]:.3g} s or a smaller j")


def coefficients(device: DeviceParams | list, j, temperature: float = 0.0, dt: float = DT):
    """Pack devices and current densities into the kernels' (N_PAR, n) coefficient array.

    Parameters
    ----------
    device : DeviceParams or sequence of DeviceParams
        One device for all junctions, or one per junction.
    j : float or array_like, shape (n,)
        Current density of each junction, A/m^2 (positive: electrons flow so as to favour m_p).
    temperature : float
        Temperature of the thermal field, K (0 disables it).
    dt : float
        Time step, s (the thermal field's variance depends on it).
    """
    j = check_array("j", j, ndim=1, min_size=1)  # a scalar becomes shape (1,)
    check_real("temperature", temperature, 0.0, T_MAX, unit="K")
    check_real("dt", dt, 1e-16, 1e-10, unit="s")
    devices = check_list("device", device, len(j), DeviceParams, "current density j")
    uniq = {}
    out = np.empty((N_PAR, len(j)))
    for i, d in enumerate(devices):
        if d not in uniq:
            d.check_perpendicular(f"device[{i}]" if len(devices) > 1 else "device")
            cx, cy, cz = d.field_coefficients
            sig = math.sqrt(2 * d.alpha * K_B * temperature / (GAMMA * d.ms * d.volume * dt))
            uniq[d] = (cx, cy, cz, d.torque_per_current, d.slonczewski_lambda**2, d.alpha,
                       d.beta, sig, d.p_tmr, d.r0)
        out[:, i] = uniq[d]
        out[AJ, i] *= j[i]
    return out


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
    """One step of junction i (coefficients p[:, i]); RK4, or Heun with thermal field (nx, ny, nz)."""
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


# Kernels --------------------------------------------------------------------------------------

@kernel
def _trace_kernel(m0, p, dt, n_steps, scheme, key):
    """Trajectory of junction 0 of ``p``: returns (n_steps + 1, 3); HEUN draws junction 0's noise."""
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
    the order of :data:`FIT_BASIS`). Branch-free like :func:`_track_extrema`."""
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


#: The fit rule's basis over a window of n_win steps ending at sample n_steps: 1, tau, cos, sin,
#: tau cos, tau sin, with cos and sin of the reference phase s d at sample s and
#: tau = (s - n_steps + n_win / 2) / n_win (about -1/2 to 1/2 over the window): an oscillation at
#: the reference frequency whose offset and envelope vary linearly across the window.
FIT_BASIS = ("1", "tau", "cos", "sin", "tau cos", "tau sin")
N_FIT = len(FIT_BASIS)


@kernel
def _fit_basis(s_idx, n_steps, n_win, c, sn, b):
    """The basis functions at sample ``s_idx`` (cos and sin of its phase given) into ``b``."""
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
        _fit_basis(s_idx, n_steps, n_win, c, sn, b)
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
        _fit_basis(s_idx, n_steps, n_win, c, sn, b)
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


@parallel_kernel
def _batch_kernel(m, p, dt, n_steps, scheme, key, counter, n_window, phase_step, out):
    """Evolve every junction of ``m`` (3, n) in place for n_steps, tracking resistance extrema.

    out (4, n) receives, for R(t) = R0 / (1 + p_T m_x) sampled at every step (t = 0 included):
    [0] the last interior maximum, [1] the last interior minimum (each refined by a parabola
    through its three samples; NaN if none), [2] the maximum and [3] the minimum of the samples in
    junction i's last ``n_window[i]`` steps (n_window[i] + 1 samples; none if n_window[i] < 0),
    and, if ``phase_step`` (n,) is not empty, [4:10] the sums over those window samples of R
    times each function of :data:`FIT_BASIS` (reference phase k phase_step[i] at sample k: the
    sums of :func:`fit_delta_r`; rows 4-9 are left untouched when ``phase_step`` is empty).
    HEUN draws its normals from the counter generator with ``key`` (see :func:`seed_key`) at
    global steps counter .. counter + n_steps - 1.
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
                    _fit_basis(0, n_steps, nw[q], 1.0, 0.0, b0)
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
        least-squares fit of R over the window (:func:`fit_delta_r`).
    dr : ndarray, shape (n,)
        Output, Ohm.
    """
    n = p.shape[1]
    m = np.zeros((3, n))
    m[2, :] = 1.0
    out = np.empty((4 + N_FIT, n))
    _batch_kernel(m, p, dt, n_steps, HEUN if thermal else RK4, seed_key(seed), counter,
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


# Public API ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Trace:
    """A single junction's trajectory. Arrays share the time axis ``t`` (s)."""

    t: np.ndarray
    """Times, s, shape (n + 1,)."""
    m: np.ndarray
    """Unit magnetisation, shape (n + 1, 3)."""
    resistance: np.ndarray
    """R(t) = R0 / (1 + p_T m_x), Ohm, shape (n + 1,)."""


def _check_steps(t_end: float, dt: float, t_name: str = "t_end") -> int:
    check_real("dt", dt, 1e-16, 1e-10, unit="s")
    check_real(t_name, t_end, 0.0, 1e-3, lo_open=True, unit="s")
    n = round(t_end / dt)
    if n < 1:
        raise ValueError(f"{t_name}={t_end!r} s is shorter than half a step dt={dt!r} s")
    if n > MAX_STEPS:
        raise ValueError(f"{t_name}={t_end!r} s at dt={dt!r} s is {n} steps; at most {MAX_STEPS}")
    return n


def _check_thermal_field(coeffs: np.ndarray, temperature: float) -> None:
    """Raise ValueError when ``coeffs`` were not built for ``temperature``: a thermal field
    (the SIGMA row) is needed above 0 K and must be absent at 0 K."""
    sigma = coeffs[SIGMA]
    if temperature > 0 and not np.all(sigma > 0):
        raise ValueError(f"temperature={temperature!r} K, but coeffs hold no thermal field "
                         f"(built at 0 K): the run would have no noise; build them with "
                         f"coefficients(device, j, temperature={temperature!r}, dt=dt)")
    if temperature == 0 and np.any(sigma != 0):
        raise ValueError(f"temperature={temperature!r} K, but coeffs hold a thermal field "
                         "(built at T > 0) "
                         "that a run at 0 K would drop: pass the temperature they were built "
                         "at, or build them with coefficients(device, j, dt=dt)")


def _unit(m0, n: int | None = None) -> np.ndarray:
    """``m0`` of shape (3,) (or (3, n) if ``n`` is given) normalised, or a clear error."""
    m0 = check_array("m0", m0)
    ok = m0.shape == (3,) or (n is not None and m0.shape == (3, n))
    if not ok:
        want = "(3,)" if n is None else f"(3,) or (3, {n})"
        raise ValueError(f"m0 has shape {m0.shape}, expected {want}")
    with np.errstate(over="ignore"):
        norm = np.linalg.norm(m0, axis=0)
    if not np.all(np.isfinite(norm)):
        # components near float64's largest: |m0|^2 overflows (and m0 / inf would be 0); scale
        # by the largest component first (only here, so ordinary directions keep their bits)
        m0 = m0 / np.max(np.abs(m0), axis=0)
        norm = np.linalg.norm(m0, axis=0)
    if not np.all(norm > 1e-150):  # also keeps norm**2 from underflowing to 0
        raise ValueError(f"m0 must be non-zero (a direction); got {m0!r}")
    return np.ascontiguousarray(m0 / norm)


def simulate_trace(device: DeviceParams, j: float, t_end: float = 1.5e-9, dt: float = DT,
                   m0=(0.0, 0.0, 1.0), temperature: float = 0.0, seed=0) -> Trace:
    """Integrate one junction from ``m0`` under a constant current density ``j`` (A/m^2).

    Deterministic RK4 at ``temperature = 0``; stochastic Heun with the thermal field otherwise
    (``seed``: int or numpy Generator; same seed, same bits). The thermal trace is junction 0
    of :func:`simulate_batch` with the same seed, bit for bit.
    """
    n = _check_steps(t_end, dt)
    if not isinstance(device, DeviceParams):
        raise TypeError(f"device must be a DeviceParams, got "
                        f"{type(device).__name__}: {device!r:.60}")
    check_real("j", j, unit="A/m^2")
    check_seed("seed", seed)
    m0 = _unit(m0)
    p = coefficients(device, [j], temperature, dt)
    check_step(p, dt)
    scheme = HEUN if temperature > 0 else RK4
    key = np.uint64(seed_key(seed_word(seed)) if temperature > 0 else 0)
    m = _trace_kernel(m0, p, dt, n, scheme, key)
    t = np.arange(n + 1) * dt
    return Trace(t=t, m=m, resistance=p[R0, 0] / (1 + p[PT, 0] * m[:, 0]))


@dataclass(frozen=True)
class BatchResult:
    """Final states of a batch and the resistance extrema seen along the way (Ohm)."""

    m: np.ndarray
    """Final unit magnetisations, shape (3, n)."""
    last_max: np.ndarray
    """Last interior maximum of R, parabola-refined (NaN if none), shape (n,)."""
    last_min: np.ndarray
    """Last interior minimum of R, parabola-refined (NaN if none), shape (n,)."""
    window_max: np.ndarray
    """Largest sample of R in the last ``window`` of the run, shape (n,)."""
    window_min: np.ndarray
    """Smallest sample of R in the last ``window`` of the run, shape (n,)."""
    fit_delta_r: np.ndarray
    """Delta R of the fit rule over the last ``window`` (:func:`fit_delta_r`; NaN unless a
    ``frequency`` was given), shape (n,)."""


def period_window_steps(devices, dt: float = DT) -> np.ndarray:
    """Steps in one small-angle precession period (Kittel) of each device: the measurement rule's
    window for :func:`reset_delta_r` and :func:`simulate_batch`, int64 array (n,).

    Parameters
    ----------
    devices : DeviceParams or sequence of DeviceParams
        One device (gives a length-1 array) or one per junction.
    dt : float
        Time step, s.
    """
    check_real("dt", dt, 1e-16, 1e-10, unit="s")
    n = len(devices) if hasattr(devices, "__len__") and not isinstance(devices, str) else 1
    devices = check_list("devices", devices, 1 if isinstance(devices, DeviceParams) else n,
                         DeviceParams)
    return np.array([round(1.0 / (d.kittel_frequency() * dt)) for d in devices], dtype=np.int64)


def delta_r_from_reset(coeffs: np.ndarray, dt: float, n_steps: int, noise=None) -> np.ndarray:
    """Paper-rule Delta R (Ohm) of every junction of ``coeffs``, each started from m = z (RK4).

    Kept for the network's deterministic ``llg`` mode; ``noise`` must be None (thermal
    evaluations draw their numbers inside the kernel: use :func:`reset_delta_r`).
    Junctions without two extrema in the window get 0.
    """
    if noise is not None:
        raise NotImplementedError("thermal noise arrays are gone: call llg.reset_delta_r(p, dt, "
                                  "n_steps, True, seed, counter, n_window, dr), which draws the "
                                  "thermal field inside the kernel")
    coeffs = check_array("coeffs", coeffs, shape=(N_PAR, None))
    check_real("dt", dt, 1e-16, 1e-10, unit="s")
    check_int("n_steps", n_steps, 1, MAX_STEPS)
    _check_thermal_field(coeffs, 0.0)
    check_step(coeffs, dt)
    n = coeffs.shape[1]
    dr = np.empty(n)
    reset_delta_r(coeffs, dt, n_steps, False, 0, 0, np.full(n, -1, dtype=np.int64),
                  np.empty(0), dr)
    return dr


def simulate_batch(coeffs: np.ndarray, m0, t_end: float, dt: float = DT,
                   temperature: float = 0.0, seed=0, window=0.0,
                   frequency=None, *, t_name: str = "t_end") -> BatchResult:
    """Integrate many junctions at once (junction index innermost, parallel over chunks).

    Parameters
    ----------
    coeffs : ndarray, shape (N_PAR, n)
        From :func:`coefficients` (which holds each junction's current density and, if
        ``temperature > 0``, its thermal-field amplitude for this ``dt``).
    m0 : array_like, shape (3,) or (3, n)
        Initial unit magnetisations.
    t_end, dt : float
        Duration and step, s.
    temperature : float
        0 selects deterministic RK4; > 0 selects Heun with the thermal field (its amplitude is
        taken from ``coeffs``, so build them with the same temperature and dt), drawn inside the
        kernel by a counter-based generator keyed by (seed, junction, step): the same seed gives
        the same bits for any number of threads. A ValueError refuses coefficients built for
        the other case (a thermal run of coefficients built at 0 K would run without noise; a
        run at 0 K of coefficients with a thermal field would drop it).
    seed : int or numpy.random.Generator
        Thermal noise seed (a Generator gives one draw).
    window : float or array_like, shape (n,)
        Length of the final window for ``window_max``/``window_min``, s (one for all junctions or
        one per junction).
    frequency : None, float or array_like, shape (n,)
        Reference frequency of the fit rule over the window, Hz (> 0; e.g. the Kittel
        frequency): ``fit_delta_r`` is then the paper's rule applied to the least-squares fit
        R = c0 + c1 tau + (a + a' tau) cos(2 pi f t) + (b + b' tau) sin(2 pi f t) of the
        window's samples (:func:`fit_delta_r`).
    t_name : str
        How the caller spelled ``t_end`` (error messages name it: ``t_window`` for
        :func:`mtjlib.neuron.delta_r`).
    """
    n_steps = _check_steps(t_end, dt, t_name)
    coeffs = check_array("coeffs", coeffs, shape=(N_PAR, None))
    n = coeffs.shape[1]
    if n > MAX_JUNCTIONS:
        raise ValueError(f"coeffs holds {n} junctions; at most {MAX_JUNCTIONS}")
    check_real("temperature", temperature, 0.0, T_MAX, unit="K")
    _check_thermal_field(coeffs, temperature)
    check_seed("seed", seed)
    window = check_array("window", np.broadcast_to(np.asarray(window), (n,))
                         if np.shape(window) in ((), (1,)) else window, shape=(n,), lo=0.0)
    m0 = _unit(m0, n)
    check_step(coeffs, dt)
    m = np.ascontiguousarray(np.broadcast_to(m0.reshape(3, -1), (3, n)), dtype=np.float64).copy()
    n_window = np.round(window / dt).astype(np.int64)
    if frequency is None:
        phase_step = np.empty(0)
    else:
        f = check_array("frequency", np.broadcast_to(np.asarray(frequency), (n,))
                        if np.shape(frequency) in ((), (1,)) else frequency, shape=(n,))
        if np.any(f <= 0):
            raise ValueError(f"frequency={frequency!r} must be > 0 Hz")
        if np.any(n_window < N_FIT - 1):
            raise ValueError(f"the fit rule needs a window of at least {N_FIT} samples; got "
                             f"window={window!r} s at dt={dt!r} s")
        if np.any(n_window > n_steps):
            raise ValueError(f"the fit rule's window={window!r} s is longer than "
                             f"{t_name}={t_end!r} s")
        phase_step = 2.0 * math.pi * f * dt
    out = np.full((4 + N_FIT, n), np.nan)
    scheme = HEUN if temperature > 0 else RK4
    key = np.uint64(seed_key(seed_word(seed)) if temperature > 0 else 0)
    _batch_kernel(m, coeffs, dt, n_steps, scheme, key, 0, n_window, phase_step, out)
    fit = np.full(n, np.nan)
    gram, gram_key = np.empty((N_FIT, N_FIT)), np.full(3, -1.0)
    for i in range(n if len(phase_step) else 0):
        first = max(n_steps - int(n_window[i]), 0)
        fit[i] = fit_rule(np.ascontiguousarray(out[4:, i]), first, n_steps, int(n_window[i]),
                          float(phase_step[i]), gram, gram_key)
    return BatchResult(m=m, last_max=out[0].copy(), last_min=out[1].copy(),
                       window_max=out[2].copy(), window_min=out[3].copy(), fit_delta_r=fit)
