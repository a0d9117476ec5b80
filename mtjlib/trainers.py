"""Online readout training: FORCE learning by recursive least squares (Sussillo & Abbott 2009).

At each learning step, with r the neuron outputs and f the target::

    e = W_out r - f                      error of the output the network actually produced
    k = P r;   c = 1 / (1 + r^T P r)
    P <- P - c k k^T                     (= P - P r r^T P / (1 + r^T P r))
    W_out <- W_out - c e k^T             (= W_out - e (P r)^T with the updated P)

with P(0) = I / alpha. The output fed back to the network at that step is the one computed
before the update, as in the original algorithm. The kernels below work on the float64 arrays
in place; :func:`force_train` validates, allocates and runs one timeline on one network.

References
----------
.. [1] D. Sussillo and L. F. Abbott, "Generating coherent patterns of activity from chaotic
   neural networks", Neuron 63, 544 (2009).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._numba import kernel
from .network import Network, _int, _integrate, _interp_rows, _readout, _real

P_RESET = ("each_window", "never")


# Kernels ----------------------------------------------------------------------------------------

@kernel
def _matvec_sym(P, r, k):
    """k = P r for symmetric P, as a sum of scaled rows (vectorises without reassociation)."""
    k[:] = 0.0
    for i in range(P.shape[0]):
        ri = r[i]
        for j in range(P.shape[1]):
            k[j] += P[i, j] * ri


@kernel
def _gain(r, k, lam):
    """c = 1 / (lam + r^T P r) with k = P r."""
    rpr = 0.0
    for i in range(r.shape[0]):
        rpr += r[i] * k[i]
    return 1.0 / (lam + rpr)


@kernel
def _update_w(w_out, e, c, k):
    """W_out -= c e k^T (= e (P_new r)^T for any forgetting factor)."""
    for o in range(w_out.shape[0]):
        ce = c * e[o]
        for j in range(k.shape[0]):
            w_out[o, j] -= ce * k[j]


@kernel
def _update_p(P, k, c, lam, r_next, k_next, fuse):
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
def rls_update(P, r, w_out, e, lam):
    """One RLS step in place (reference form, two passes over P).

    P (n, n) symmetric, r (n,), w_out (n_out, n), e (n_out,) = W_out r - f, forgetting factor
    lam in (0, 1] (1: plain RLS, every past step weighs the same).
    """
    k = np.empty(r.shape[0])
    _matvec_sym(P, r, k)
    c = _gain(r, k, lam)
    _update_w(w_out, e, c, k)
    _update_p(P, k, c, lam, r, k, False)


@kernel
def _reset_p(P, alpha):
    n = P.shape[0]
    for i in range(n):
        for j in range(n):
            P[i, j] = 0.0
        P[i, i] = 1.0 / alpha


@kernel
def _force_step(x, r, w_out, P, indptr, indices, data, w_f, w_in, u, b, a, f, learn, restart,
                alpha, lam, z, e):
    """Readout, optional RLS update, Euler step, given the neuron outputs r of this step."""
    _readout(w_out, r, z)
    if learn:
        if restart:
            _reset_p(P, alpha)
        for o in range(z.shape[0]):
            e[o] = z[o] - f[o]
        rls_update(P, r, w_out, e, lam)
    _integrate(x, r, z, indptr, indices, data, w_f, w_in, u, b, a)


@kernel
def _force_lookup(x, w_out, P, indptr, indices, data, w_f, w_in, b, a, xlo, xhi, tab_x, tab_f,
                  u, reset, x_reset, target, learn, restart, alpha, lam, z_out, w_norm, r_out):
    """The whole FORCE timeline in lookup mode (see :func:`force_train`).

    Same arithmetic as :func:`_force_step` step by step, except that k = P r of the next
    learning step is computed while P is updated (one pass over P per step instead of two).
    """
    n = x.shape[0]
    n_steps = target.shape[0]
    r, r_next = np.empty(n), np.empty(n)
    k, k_next = np.empty(n), np.empty(n)
    z = np.empty(w_out.shape[0])
    e = np.empty(w_out.shape[0])
    rec = r_out.shape[0] > 0
    have_k = False
    if n_steps > 0:
        if reset[0]:
            x[:] = x_reset
        _interp_rows(x, xlo, xhi, tab_x, tab_f, r)
    for t in range(n_steps):
        if rec:
            r_out[t] = r
        _readout(w_out, r, z)
        z_out[t] = z
        c = 0.0
        if learn[t]:
            if restart[t]:
                _reset_p(P, alpha)
                have_k = False
            if not have_k:
                _matvec_sym(P, r, k)
            for o in range(z.shape[0]):
                e[o] = z[o] - target[t, o]
            c = _gain(r, k, lam)
            _update_w(w_out, e, c, k)
        _integrate(x, r, z, indptr, indices, data, w_f, w_in, u[t], b, a)
        if t + 1 < n_steps and reset[t + 1]:
            x[:] = x_reset
        _interp_rows(x, xlo, xhi, tab_x, tab_f, r_next)
        fuse = t + 1 < n_steps and learn[t + 1] and not restart[t + 1]
        if learn[t]:
            _update_p(P, k, c, lam, r_next, k_next, fuse)
            k, k_next = k_next, k
        have_k = learn[t] and fuse
        r, r_next = r_next, r
        acc = 0.0
        for o in range(w_out.shape[0]):
            for j in range(n):
                acc += w_out[o, j] * w_out[o, j]
        w_norm[t] = np.sqrt(acc)


# Public API -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ForceResult:
    """One FORCE timeline. Arrays share the time axis ``t_ns``."""

    t_ns: np.ndarray
    """Time of each network step, ns, shape (T,)."""
    z: np.ndarray
    """Network output (before that step's weight update), shape (T, n_out)."""
    target: np.ndarray
    """Target, shape (T, n_out)."""
    learn: np.ndarray
    """The learning mask as given (learning windows), shape (T,) bool."""
    updated: np.ndarray
    """Steps at which the readout was updated (mask and ``learn_every``), shape (T,) bool."""
    w_norm: np.ndarray
    """Frobenius norm of W_out after each step, shape (T,)."""
    r: np.ndarray | None
    """Neuron outputs, shape (T, n), if recorded."""
    P: np.ndarray
    """Final inverse correlation estimate P, shape (n, n)."""
    alpha: float
    """P(0) = I / alpha."""
    learn_every: int
    """Learning happened on steps with index % learn_every == 0 inside the mask."""
    forgetting: float
    """RLS forgetting factor."""


def _restart_mask(learn: np.ndarray, learn_now: np.ndarray, p_reset: str,
                  fresh: bool) -> np.ndarray:
    """Steps at which P is set to I/alpha: the first learning step of every learning window
    (``each_window``) or of the first window only (``never``; none if P was given)."""
    starts = np.flatnonzero(learn & ~np.concatenate([[False], learn[:-1]]))
    ends = np.flatnonzero(learn & ~np.concatenate([learn[1:], [False]]))
    restart = np.zeros_like(learn)
    for s, e in zip(starts, ends):
        hits = np.flatnonzero(learn_now[s:e + 1])
        if len(hits):
            restart[s + hits[0]] = True
            if p_reset == "never":
                break
    if p_reset == "never" and not fresh:
        restart[:] = False
    return restart


def force_train(net: Network, target, t_ns, learn_mask, *, alpha: float = 1.0,
                learn_every: int = 1, p_reset: str = "each_window", forgetting: float = 1.0,
                u=None, reset=None,
                record_rates: bool = False, P=None) -> ForceResult:
    """Run ``net`` along a timeline, training its readout with FORCE where ``learn_mask`` is set.

    Parameters
    ----------
    net : Network
        Its state ``x`` and readout ``w_out`` are advanced in place.
    target : callable or array_like
        ``f(t_ns) -> array`` evaluated at ``t_ns``, or values of shape (T,) or (T, n_out).
        Must be finite everywhere (it is also the reference while learning is off).
    t_ns : array_like, shape (T,)
        Times of the steps, ns, equally spaced by ``net.params.dt_ns``.
    learn_mask : array_like of bool, shape (T,)
        True where the readout learns; False: free run with fixed weights.
    alpha : float
        P(0) = I / alpha (the learning rate of the first steps).
    learn_every : int
        Learn on steps whose index is a multiple of this inside the mask.
    p_reset : {"each_window", "never"}
        Reset P to I/alpha at the start of every learning window, or only at the first.
    forgetting : float
        RLS forgetting factor lambda in (0, 1]: P <- (P - c k k^T) / lambda, c = 1/(lambda +
        r^T P r), so that step k steps back weighs lambda^k. 1 is the original FORCE.
    u : array_like, shape (T, n_in), optional
        External input.
    reset : array_like of bool, shape (T,), optional
        Steps at whose start the network state is reset to ``x0``.
    record_rates : bool
        Keep r (T, n).
    P : ndarray (n, n), optional
        Initial P (continues a previous run); P(0) = I/alpha otherwise.
    """
    if not isinstance(net, Network):
        raise TypeError(f"net must be a Network, got {type(net).__name__}")
    prm = net.params
    t_ns = np.asarray(t_ns, dtype=np.float64)
    if t_ns.ndim != 1 or len(t_ns) < 1 or not np.all(np.isfinite(t_ns)):
        raise ValueError("t_ns must be a finite 1-d array of times (ns) with at least one step")
    if len(t_ns) > 1 and not np.allclose(np.diff(t_ns), prm.dt_ns, rtol=1e-9, atol=1e-9):
        raise ValueError(f"t_ns must be equally spaced by dt_ns={prm.dt_ns} ns")
    n_steps, n_out = len(t_ns), prm.n_out
    f = np.asarray(target(t_ns) if callable(target) else target, dtype=np.float64)
    f = f.reshape(-1, 1) if f.ndim == 1 else f
    if f.shape != (n_steps, n_out):
        raise ValueError(f"target has shape {f.shape}, expected ({n_steps},) or "
                         f"({n_steps}, {n_out}) to match t_ns and n_out")
    if not np.all(np.isfinite(f)):
        raise ValueError("target must be finite at every step")
    learn = np.asarray(learn_mask)
    if learn.shape != (n_steps,):
        raise ValueError(f"learn_mask has shape {learn.shape}, expected ({n_steps},)")
    learn = learn.astype(np.bool_)
    _real("alpha", alpha, 0.0, 1e12, lo_open=True)
    _int("learn_every", learn_every, 1, 10**9)
    _real("forgetting", forgetting, 0.0, 1.0, lo_open=True)
    if p_reset not in P_RESET:
        raise ValueError(f"p_reset={p_reset!r} is not one of {P_RESET}")
    fresh = P is None
    if P is None:
        P = np.eye(prm.n) / alpha
    else:
        P = np.array(P, dtype=np.float64)
        if P.shape != (prm.n, prm.n):
            raise ValueError(f"P has shape {P.shape}, expected ({prm.n}, {prm.n})")
    learn_now = learn & (np.arange(n_steps) % learn_every == 0)
    restart = _restart_mask(learn, learn_now, p_reset, fresh)
    u = net._inputs(u, n_steps)
    reset = net._reset_mask(reset, n_steps)
    z = np.empty((n_steps, n_out))
    w_norm = np.empty(n_steps)
    r_rec = np.empty((n_steps, prm.n) if record_rates else (0, prm.n))
    fc = np.ascontiguousarray(f)
    lo, hi = prm.x_limits
    if prm.neuron_mode == "lookup":
        _force_lookup(net.x, net.w_out, P, net.indptr, net.indices, net.data, net.w_f,
                      net.w_in, net.b, prm.leak, lo, hi, net.tab_x, net.tab_f, u, reset,
                      net.x0, fc, learn_now, restart, float(alpha), float(forgetting), z, w_norm,
                      r_rec)
    else:
        zk, ek = np.empty(n_out), np.empty(n_out)
        for k in range(n_steps):
            if reset[k]:
                net.x[:] = net.x0
            r = net._llg_rates(net.x)
            if record_rates:
                r_rec[k] = r
            _force_step(net.x, r, net.w_out, P, net.indptr, net.indices, net.data, net.w_f,
                        net.w_in, u[k], net.b, prm.leak, fc[k], learn_now[k], restart[k],
                        float(alpha), float(forgetting), zk, ek)
            z[k] = zk
            w_norm[k] = math.sqrt(float(np.sum(net.w_out**2)))
    net.t_ns = float(t_ns[-1] + prm.dt_ns)
    return ForceResult(t_ns=t_ns, z=z, target=f, learn=learn, updated=learn_now, w_norm=w_norm,
                       r=r_rec if record_rates else None, P=P, alpha=float(alpha),
                       learn_every=learn_every, forgetting=float(forgetting))


# Runs of a whole timeline ------------------------------------------------------------------------

def run_timeline(params, seed, timeline, **train_kw) -> ForceResult:
    """Build the network of ``params`` from ``seed`` and FORCE-train it along ``timeline``
    (a :class:`mtjlib.tasks.Timeline`); ``train_kw`` go to :func:`force_train`."""
    from .network import build_network

    net = build_network(params, seed)
    return force_train(net, timeline.target, timeline.t_ns, timeline.learn, **train_kw)


@dataclass(frozen=True)
class SeedSweep:
    """Free-running quality of one timeline over many network seeds."""

    seeds: np.ndarray
    """Network seeds, (S,)."""
    nrmse: np.ndarray
    """NRMSE of each free-running stretch, (S, W)."""
    period_ns: np.ndarray
    """Measured period of each stretch, (S, W)."""
    target_period_ns: np.ndarray
    """Target period of each stretch, (W,)."""
    holds: np.ndarray
    """Each stretch meets the claims' rule, (S, W) bool."""

    @property
    def success(self) -> np.ndarray:
        """A seed succeeds when every free-running stretch meets the rule, (S,) bool."""
        return self.holds.all(axis=1)

    @property
    def success_rate(self) -> float:
        return float(self.success.mean())


def seed_sweep(params, seeds, timeline, **train_kw) -> SeedSweep:
    """Run :func:`run_timeline` for every seed and report its free-running stretches."""
    from .tasks import free_run_report

    seeds = np.asarray(list(seeds), dtype=np.int64)
    rows = []
    for s in seeds:
        res = run_timeline(params, int(s), timeline, **train_kw)
        rows.append(free_run_report(res.t_ns, res.z, res.target, res.learn, timeline.t_end_ns))
    return SeedSweep(seeds=seeds, nrmse=np.array([[w.nrmse for w in r] for r in rows]),
                     period_ns=np.array([[w.period_ns for w in r] for r in rows]),
                     target_period_ns=np.array([w.target_period_ns for w in rows[0]]),
                     holds=np.array([[w.holds() for w in r] for r in rows], dtype=bool))
