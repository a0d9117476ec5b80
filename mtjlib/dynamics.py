"""The network's step body, written once: rates -> readout -> learning -> integration.

Every run of a network, free or training, with any neuron kind, is :func:`drive` over a schedule.
At step t, with r_t = F(x_t) from the network's neuron (:mod:`mtjlib.activation`)::

    z_t = W_out r_t                                       readout (before any update)
    if learn_t:  e = z_t - f_t;  RLS step on W_out        (mtjlib.rls, shared P)
    x_{t+1} = x_t + a (-x_t + J r_t + W_f z_t + W_in u_t + b)     Euler, a = dt / tau

Arguments are grouped in named tuples (:class:`Weights`, :class:`Schedule`, :class:`Learning`,
:class:`Record`) so a kernel call reads as what it is. Computing k = P r of the next learning step
while P is updated (one pass over P per step instead of two) gives the same bits as the two-pass
form (:func:`mtjlib.rls.rls_update`): each sum runs over the same terms in the same order.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import rls
from ._numba import kernel
from .activation import rates


class Weights(NamedTuple):
    """The fixed weights of a network (the readout is state, see :class:`Learning`)."""

    indptr: np.ndarray
    """CSR row pointers of J, (n + 1,) int64."""
    indices: np.ndarray
    """CSR column indices of J, (nnz,) int64."""
    data: np.ndarray
    """CSR values of J, (nnz,)."""
    w_f: np.ndarray
    """Feedback weights, (n, n_out)."""
    w_in: np.ndarray
    """Input weights, (n, n_in)."""
    b: np.ndarray
    """Bias, (n,)."""


class Schedule(NamedTuple):
    """What happens at each of T steps."""

    u: np.ndarray
    """External input, (T, n_in)."""
    reset: np.ndarray
    """Reset x to x0 at the start of the step, (T,) bool."""
    target: np.ndarray
    """Readout target, (T, n_out) (read only where ``learn``)."""
    learn: np.ndarray
    """RLS update of W_out at this step, (T,) bool."""
    restart: np.ndarray
    """Set P = I / alpha before this step's update, (T,) bool."""


class Learning(NamedTuple):
    """RLS state of the readout."""

    P: np.ndarray
    """Inverse correlation estimate, (n, n) (may be (0, 0) when nothing is learned)."""
    alpha: float
    """P(0) = I / alpha."""
    lam: float
    """Forgetting factor in (0, 1]."""


class Plasticity(NamedTuple):
    """What else a run may do besides the readout: noise on the drive and recurrent learning.

    Empty arrays (``NO_PLASTICITY``) switch each part off, and the run keeps its bits.
    """

    noise: np.ndarray
    """Noise added to the drive's input current at each step, (T, n) or (0, n) (normalised
    current; it enters like J r, before the factor dt / tau)."""
    learn: np.ndarray
    """Recurrent RLS on the plastic rows of J at this step, (T,) bool or (0,)."""
    target: np.ndarray
    """Rates the units must follow where ``learn`` (their innate trajectory), (T, n) or (0, n)."""
    P: np.ndarray
    """Per-row P blocks, flat (see :class:`mtjlib.rls.RowP`)."""
    off: np.ndarray
    """Block offsets, (Q + 1,) int64."""
    rows: np.ndarray
    """Plastic rows, (Q,) int64."""
    lam: float
    """Forgetting factor of the recurrent RLS."""


def no_plasticity(n: int) -> Plasticity:
    """A :class:`Plasticity` that does nothing (no noise, no recurrent learning)."""
    return Plasticity(noise=np.zeros((0, n)), learn=np.zeros(0, dtype=np.bool_),
                      target=np.zeros((0, n)), P=np.zeros(0), off=np.zeros(1, dtype=np.int64),
                      rows=np.zeros(0, dtype=np.int64), lam=1.0)


class Record(NamedTuple):
    """Outputs of a run; r and x are (0, n) when not recorded, w_norm (0,) likewise."""

    z: np.ndarray
    """Readout before the step's update, (T, n_out)."""
    w_norm: np.ndarray
    """Frobenius norm of W_out after each step, (T,) or (0,)."""
    r: np.ndarray
    """Rates, (T, n) or (0, n)."""
    x: np.ndarray
    """Drive before the step, (T, n) or (0, n)."""


@kernel
def readout(w_out, r, z):
    """z = W_out r; w_out (n_out, n), r (n,), z (n_out,)."""
    for o in range(w_out.shape[0]):
        acc = 0.0
        for i in range(r.shape[0]):
            acc += w_out[o, i] * r[i]
        z[o] = acc


@kernel
def integrate(x, r, z, w, u, a, eta):
    """One Euler step of tau dx/dt = -x + J r + W_f z + W_in u + b (+ eta), J in CSR form,
    a = dt/tau; ``eta`` (n,) is noise on the input current, or (0,) for none."""
    noisy = eta.shape[0] > 0
    for i in range(x.shape[0]):
        acc = w.b[i]
        if noisy:
            acc += eta[i]
        for q in range(w.indptr[i], w.indptr[i + 1]):
            acc += w.data[q] * r[w.indices[q]]
        for o in range(z.shape[0]):
            acc += w.w_f[i, o] * z[o]
        for m in range(u.shape[0]):
            acc += w.w_in[i, m] * u[m]
        x[i] += a * (acc - x[i])


@kernel
def drive(neuron, w, a, x, x_reset, w_out, counter, sched, learning, plast, rec):
    """Run the schedule from state ``x`` (in place); returns the next evaluation counter.

    ``counter`` numbers neuron evaluations (thermal noise keys). W_out and P change in place, and
    so do the plastic rows of J (``w.data``) where ``plast.learn``.
    """
    n = x.shape[0]
    n_steps = sched.reset.shape[0]
    n_out = w_out.shape[0]
    P = learning.P
    r, r_next = np.empty(n), np.empty(n)
    k, k_next = np.empty(n), np.empty(n)
    z = np.empty(n_out)
    e = np.empty(n_out)
    rec_r = rec.r.shape[0] > 0
    rec_w = rec.w_norm.shape[0] > 0
    noisy = plast.noise.shape[0] > 0
    plastic = plast.learn.shape[0] > 0
    err = np.empty(n)
    no_eta = np.empty(0)
    have_k = False
    if n_steps > 0:
        if sched.reset[0]:
            x[:] = x_reset
        rates(neuron, x, r, counter)
        counter += 1
    for t in range(n_steps):
        learn = sched.learn[t]
        if rec_r:
            rec.r[t] = r
            rec.x[t] = x
        readout(w_out, r, z)
        rec.z[t] = z
        c = 0.0
        if learn:
            if sched.restart[t]:
                rls.reset_p(P, learning.alpha)
                have_k = False
            if not have_k:
                rls.matvec_sym(P, r, k)
            for o in range(n_out):
                e[o] = z[o] - sched.target[t, o]
            c = rls.gain(r, k, learning.lam)
            rls.update_w(w_out, e, c, k)
        if plastic and plast.learn[t]:
            for i in range(n):
                err[i] = r[i] - plast.target[t, i]
            rls.row_rls_update(plast.P, plast.off, plast.rows, w.indptr, w.indices, w.data, r,
                               err, plast.lam)
        integrate(x, r, z, w, sched.u[t], a, plast.noise[t] if noisy else no_eta)
        more = t + 1 < n_steps
        if more:
            if sched.reset[t + 1]:
                x[:] = x_reset
            rates(neuron, x, r_next, counter)
            counter += 1
        fuse = more and sched.learn[t + 1] and not sched.restart[t + 1]
        if learn:
            rls.update_p(P, k, c, learning.lam, r_next, k_next, fuse)
            k, k_next = k_next, k
        have_k = learn and fuse
        r, r_next = r_next, r
        if rec_w:
            acc = 0.0
            for o in range(n_out):
                for j in range(n):
                    acc += w_out[o, j] * w_out[o, j]
            rec.w_norm[t] = np.sqrt(acc)
    return counter
