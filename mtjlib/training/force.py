"""Online readout training: FORCE learning by recursive least squares (Sussillo & Abbott 2009).

At each learning step, with r the neuron outputs and f the target::

    e = W_out r - f                      error of the output the network actually produced
    k = P r;   c = 1 / (1 + r^T P r)
    P <- P - c k k^T                     (= P - P r r^T P / (1 + r^T P r))
    W_out <- W_out - c e k^T             (= W_out - e (P r)^T with the updated P)

with P(0) = I / alpha. The output fed back to the network at that step is the one computed
before the update, as in the original algorithm. The RLS arithmetic lives in
:mod:`mtjlib.networks.rls` and the step body in
:mod:`mtjlib.networks.dynamics`; :func:`force_train` validates, allocates and runs one timeline.

References
----------
.. [1] D. Sussillo and L. F. Abbott, "Generating coherent patterns of activity from chaotic
   neural networks", Neuron 63, 544 (2009).
.. [2] B. Stenlund and F. Gustafsson, "Avoiding windup in recursive parameter estimation",
   Preprints of Reglermöte 2002, Linköping (2002).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from mtjlib._validate import (
    HUGE,
    check_array,
    check_bool,
    check_choice,
    check_int,
    check_mask,
    check_real,
    check_seed,
)
from mtjlib.networks.network_object import Network
from mtjlib.networks.rls import is_symmetric
from mtjlib.networks.step_types import Learning, Record, Schedule

P_RESET = ("each_window", "never")
#: The RLS steps :func:`force_train` offers: exponential forgetting, and the bounded step.
RLS_RULES = ("forgetting", "bounded")
#: Smallest P(0) = I / alpha scale accepted: below it the first update is ill-conditioned.
ALPHA_MIN = 1e-12
#: Smallest RLS forgetting factor accepted: P grows by 1/forgetting per step in unexcited
#: directions (a memory of about 1 / (1 - forgetting) = 2 steps at 0.5).
FORGETTING_MIN = 0.5


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
    rls: str = "forgetting"
    """The RLS step: ``forgetting`` (exponential) or ``bounded`` (Stenlund & Gustafsson)."""
    alpha_bound: float | None = None
    """P_d = I / alpha_bound of the bounded step (None with ``forgetting``)."""
    p_steps: np.ndarray | None = None
    """Steps after which ``p_max`` was taken (``p_trace``), (K,) int; None if not traced."""
    p_max: np.ndarray | None = None
    """Largest eigenvalue of P after each of ``p_steps``, (K,); None if not traced."""


def _restart_mask(learn: np.ndarray, learn_now: np.ndarray, p_reset: str,
                  fresh: bool) -> np.ndarray:
    """Steps at which P is set to I/alpha: the first learning step of every learning window
    (``each_window``) or of the first window only (``never``), except the very first when a P
    was given (it is continued)."""
    starts = np.flatnonzero(learn & ~np.concatenate([[False], learn[:-1]]))
    ends = np.flatnonzero(learn & ~np.concatenate([learn[1:], [False]]))
    restart = np.zeros_like(learn)
    for s, e in zip(starts, ends):
        hits = np.flatnonzero(learn_now[s:e + 1])
        if len(hits):
            restart[s + hits[0]] = True
            if p_reset == "never":
                break
    if not fresh and len(starts):  # a given P continues: the first window does not restart it
        first = np.flatnonzero(restart)
        if len(first):
            restart[first[0]] = False
    return restart


def _trace_cuts(p_trace, learn, n_steps):
    """Ends (exclusive) of the stretches after which P's largest eigenvalue is taken, or None."""
    if p_trace is None:
        return None
    if isinstance(p_trace, str):
        check_choice("p_trace", p_trace, ("window_ends",))
        ends = np.flatnonzero(learn & ~np.append(learn[1:], False)) + 1
    else:
        check_int("p_trace", p_trace, 1, 10**9)
        ends = np.arange(p_trace, n_steps, p_trace)
    return np.unique(np.append(ends, n_steps)).astype(np.int64)


def _synapses(net, imperfections, seed, n_steps):
    """Realised imperfections for a run of ``n_steps`` (None when ideal)."""
    from mtjlib.networks.imperfections import Imperfections, Realised

    if imperfections is None or isinstance(imperfections, Realised):
        if imperfections is not None:
            imperfections.fits(net, "imperfections")
            if imperfections.n_steps is not None and imperfections.n_steps < n_steps:
                raise ValueError(f"the imperfections were realised for n_steps="
                                 f"{imperfections.n_steps}, this run has {n_steps}")
        return imperfections
    if not isinstance(imperfections, Imperfections):
        raise TypeError(f"imperfections must be an Imperfections or a Realised, got "
                        f"{type(imperfections).__name__}: {imperfections!r:.60}")
    if imperfections.ideal:
        return None
    if seed is None:
        raise ValueError("imperfections that are not ideal need imperfections_seed (an int or "
                         "a Generator) to be drawn")
    check_seed("imperfections_seed", seed)
    return imperfections.realise(net, seed, n_steps)


def _advance(net, sched, learning, learn, synapses, record, cuts, P) -> tuple[Record, list]:
    """Run ``sched`` in stretches and join the records; returns it and P's largest eigenvalue
    after each stretch that ends at one of ``cuts`` (None: no trace).

    With imperfections active at test only (``Imperfections.active == "test"``) the synapses
    are ideal inside the learning windows of ``learn`` and the realised ``synapses`` elsewhere,
    one advance per stretch. P, W_out, the state and the evaluation counter carry over, so a
    stretch continues the previous one exactly as a single run would (no delays act at test
    only), and the bits do not depend on where the run is cut."""
    n = len(learn)
    test_only = synapses is not None and synapses.imperfections.active == "test"
    edges = set((np.flatnonzero(np.diff(learn.astype(np.int8))) + 1).tolist()) if test_only \
        else set()
    marks = set() if cuts is None else set(cuts.tolist())
    bounds = sorted(edges | marks | {n})
    parts, p_max = [], []
    for a, b in itertools.pairwise([0, *bounds]):
        sub = Schedule(*(arr[a:b] for arr in sched))
        syn = None if (test_only and learn[a]) else synapses
        parts.append(net.advance(sub, learning, record=record, record_w_norm=True, synapses=syn))
        if b in marks:
            p_max.append(float(np.linalg.eigvalsh(P)[-1]))
    if len(parts) == 1:
        return parts[0], p_max
    return (Record(*(np.concatenate([getattr(p, f) for p in parts]) for f in Record._fields)),
            p_max)


def force_train(net: Network, target, t_ns, learn_mask, *, alpha: float = 1.0,
                learn_every: int = 1, p_reset: str = "each_window", forgetting: float = 1.0,
                rls: str = "forgetting", alpha_bound: float | None = None, p_trace=None,
                u=None, reset=None,
                record_rates: bool = False, P=None, imperfections=None,
                imperfections_seed=None) -> ForceResult:
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
        P(0) = I / alpha (the learning rate of the first steps), in [1e-12, 1e12].
    learn_every : int
        Learn on steps whose index is a multiple of this inside the mask.
    p_reset : {"each_window", "never"}
        Reset P to I/alpha at the start of every learning window, or only at the first.
    forgetting : float
        RLS forgetting factor lambda in [0.5, 1]: P <- (P - c k k^T) / lambda, c = 1/(lambda +
        r^T P r), so that step k steps back weighs lambda^k. 1 is the original FORCE. With
        lambda < 1, P grows by 1/lambda per step in every direction the rates do not excite
        (windup): an error between the weights the rule writes and those the network uses is
        then amplified without bound.
    rls : {"forgetting", "bounded"}
        The RLS step. ``forgetting``: the exponential-forgetting step above. ``bounded``: the
        step of Stenlund & Gustafsson [2] (:func:`mtjlib.networks.rls.update_p_bounded`), P <- P
        - c k k^T + P_d r r^T P_d / (1 + r^T P_d r) with c = 1 / (1 + r^T P r) and P_d = I /
        alpha_bound: it forgets only along the directions the rates excite (P tends to P_d
        there) and leaves the others alone, so P never exceeds max(1/alpha, 1/alpha_bound)
        (no windup). Needs ``forgetting`` = 1. Chosen over directional forgetting (which still
        winds up in directions that are excited only weakly) and over bounded-trace or EFRA
        steps (an O(n^3) term per step) because it costs one more rank-one term and its bound
        is exact.
    alpha_bound : float, optional
        P_d = I / alpha_bound of the bounded step, in [1e-12, 1e12] (default: alpha).
    p_trace : int or "window_ends", optional
        Also return the largest eigenvalue of P (``p_max``) every ``p_trace`` steps (an int >= 1)
        and at the last step, or at the last step of every learning window; the run is advanced
        in stretches, with the same bits as one advance.
    u : array_like, shape (T, n_in), optional
        External input.
    reset : array_like of bool, shape (T,), optional
        Steps at whose start the network state is reset to ``x0``.
    record_rates : bool
        Keep r (T, n).
    P : ndarray (n, n), optional
        Initial P, continued through the first learning window (a previous run's
        ``ForceResult.P``); P(0) = I/alpha otherwise. Later windows follow ``p_reset``.
    imperfections : Imperfections or Realised, optional
        Imperfect synapses (:mod:`mtjlib.networks.imperfections`): already realised for ``net``, or
        drawn here from ``imperfections_seed``. None or the defaults: ideal (same bits). With
        ``active="test"`` they act only outside the learning windows of ``learn_mask``.
    imperfections_seed : int or numpy.random.Generator, optional
        Generator of the imperfections when an :class:`~mtjlib.networks.imperfections.Imperfections`
        that is not ideal is given.
    """
    if not isinstance(net, Network):
        raise TypeError(f"net must be a Network, got {type(net).__name__}: {net!r:.60}")
    prm = net.params
    t_ns = check_array("t_ns", t_ns, ndim=1)
    if len(t_ns) < 1:
        raise ValueError("t_ns must hold at least one step")
    if len(t_ns) > 1 and not np.allclose(np.diff(t_ns), prm.dt_ns, rtol=1e-9, atol=1e-9):
        raise ValueError(f"t_ns must be equally spaced by dt_ns={prm.dt_ns} ns")
    n_steps, n_out = len(t_ns), prm.n_out
    f = check_array("target", target(t_ns) if callable(target) else target, lo=-HUGE, hi=HUGE)
    f = f.reshape(-1, 1) if f.ndim == 1 else f
    if f.shape != (n_steps, n_out):
        raise ValueError(f"target has shape {f.shape}, expected ({n_steps},) or "
                         f"({n_steps}, {n_out}) to match t_ns and n_out")
    learn = check_mask("learn_mask", learn_mask, shape=(n_steps,))
    check_bool("record_rates", record_rates)
    check_real("alpha", alpha, ALPHA_MIN, 1e12)
    check_int("learn_every", learn_every, 1, 10**9)
    check_real("forgetting", forgetting, FORGETTING_MIN, 1.0)
    check_choice("p_reset", p_reset, P_RESET)
    check_choice("rls", rls, RLS_RULES)
    if rls == "bounded":
        if forgetting != 1.0:
            raise ValueError(f"forgetting={forgetting!r} with rls='bounded': the bounded step "
                             "forgets through alpha_bound and needs forgetting=1.0")
        alpha_bound = alpha if alpha_bound is None else alpha_bound
        check_real("alpha_bound", alpha_bound, ALPHA_MIN, 1e12)
    elif alpha_bound is not None:
        raise ValueError(f"alpha_bound={alpha_bound!r} is used only with rls='bounded', got "
                         f"rls={rls!r}")
    fresh = P is None
    if fresh:
        P = np.eye(prm.n) / alpha
    else:
        P = check_array("P", P, shape=(prm.n, prm.n), lo=-HUGE, hi=HUGE).copy()
        if not is_symmetric(P, 1e-9, 1e-12):
            raise ValueError("P must be symmetric (an inverse correlation estimate)")
    synapses = _synapses(net, imperfections, imperfections_seed, n_steps)
    learn_now = learn & (np.arange(n_steps) % learn_every == 0)
    sched = Schedule(u=net.inputs(u, n_steps), reset=net.reset_mask(reset, n_steps),
                     target=np.ascontiguousarray(f), learn=learn_now,
                     restart=_restart_mask(learn, learn_now, p_reset, fresh))
    learning = Learning(P=P, alpha=float(alpha), lam=float(forgetting),
                        bound=1.0 / alpha_bound if rls == "bounded" else 0.0)
    cuts = _trace_cuts(p_trace, learn, n_steps)
    rec, p_max = _advance(net, sched, learning, learn, synapses, record_rates, cuts, P)
    net.t_ns = float(t_ns[-1] + prm.dt_ns)
    z, w_norm, r_rec = rec.z, rec.w_norm, rec.r
    if not (np.all(np.isfinite(z)) and np.all(np.isfinite(P))):
        raise ValueError(f"FORCE overflowed (the readout or P is no longer finite) with "
                         f"alpha={alpha!r} and forgetting={forgetting!r} over {n_steps} steps: "
                         "P grows as 1/alpha and by 1/forgetting per step in the directions the "
                         "rates do not excite; use a larger alpha or forgetting")
    return ForceResult(t_ns=t_ns, z=z, target=f, learn=learn, updated=learn_now, w_norm=w_norm,
                       r=r_rec if record_rates else None, P=P, alpha=float(alpha),
                       learn_every=learn_every, forgetting=float(forgetting), rls=rls,
                       alpha_bound=None if rls == "forgetting" else float(alpha_bound),
                       p_steps=None if cuts is None else cuts - 1,
                       p_max=None if cuts is None else np.array(p_max))


