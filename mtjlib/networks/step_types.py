"""The argument types of the network's step body (:func:`mtjlib.networks.dynamics.drive`).

Named tuples grouping what a kernel call takes (:class:`Weights`, :class:`Schedule`,
:class:`Learning`, :class:`Plasticity`, :class:`Synapses`, :class:`Record`), and the two
constructors of their do-nothing values (:func:`no_plasticity`, :func:`ideal_synapses`).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from mtjlib._validate import check_instance, check_int


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
    bound: float = 0.0
    """p_d of the bounded step (:func:`mtjlib.networks.rls.update_p_bounded`, P_d = p_d I,
    forgetting 1); 0: the exponential-forgetting step."""


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
    """Per-row P blocks, flat (see :class:`mtjlib.networks.rls.RowP`)."""
    off: np.ndarray
    """Block offsets, (Q + 1,) int64."""
    rows: np.ndarray
    """Plastic rows, (Q,) int64."""
    lam: float
    """Forgetting factor of the recurrent RLS."""


def no_plasticity(n: int) -> Plasticity:
    """A :class:`Plasticity` that does nothing (no noise, no recurrent learning)."""
    check_int("n", n, 0, 10**9)
    return Plasticity(noise=np.zeros((0, n)), learn=np.zeros(0, dtype=np.bool_),
                      target=np.zeros((0, n)), P=np.zeros(0), off=np.zeros(1, dtype=np.int64),
                      rows=np.zeros(0, dtype=np.int64), lam=1.0)


class Synapses(NamedTuple):
    """Imperfect synapses as the kernel always takes them
    (:func:`mtjlib.networks.imperfections.realise`).

    The ideal network (:func:`ideal_synapses`) is unit gains, zero noise, delay lines of length
    1, an all-true update mask and a rule that sees every rate: each factor is an exact 1.0 and
    each delayed read the current value, so an ideal run keeps its bits.
    """

    out_gain: np.ndarray
    """Static gain of each readout synapse: the output uses gain * W_out, (n_out, n)."""
    read_sigma: float
    """Relative cycle-to-cycle read noise of every J and W_f read, per step (0: none)."""
    read_sigma_out: float
    """Relative cycle-to-cycle read noise of every W_out read, per step (0: none)."""
    write_sigma: float
    """Relative noise on each readout update (the written change is (1 + sigma xi) times the
    rule's), per update and synapse."""
    key: int
    """Key of the counter-based generator of read and write noise (:mod:`mtjlib.physics.llg`)."""
    delay: np.ndarray
    """Delay of each recurrent synapse in network steps, (nnz,) int64 (same order as J's data)."""
    depth: int
    """Length of the recurrent delay line (max delay + 1)."""
    fdelay: np.ndarray
    """Delay of each feedback synapse in steps, (n, n_out) int64."""
    fdepth: int
    """Length of the feedback delay line (max feedback delay + 1)."""
    write_mask: np.ndarray
    """1.0 where a readout synapse is written by the rule, 0.0 where it is frozen, (n_out, n)."""
    seen: np.ndarray
    """1.0 for the rates the rule sees, 0.0 for those it ignores (failure-aware rule), (n,)."""


def ideal_synapses(weights: Weights, n_out: int) -> Synapses:
    """Perfect synapses for a network of ``weights`` (:class:`Synapses` that change nothing)."""
    check_instance("weights", weights, Weights)
    check_int("n_out", n_out, 0, 10**9)
    n = len(weights.b)
    return Synapses(out_gain=np.ones((n_out, n)), read_sigma=0.0, read_sigma_out=0.0,
                    write_sigma=0.0, key=0,
                    delay=np.zeros(len(weights.data), dtype=np.int64), depth=1,
                    fdelay=np.zeros((n, n_out), dtype=np.int64), fdepth=1,
                    write_mask=np.ones((n_out, n)), seen=np.ones(n))


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
