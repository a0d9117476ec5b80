"""The network object: :class:`Network` (weights, neuron, state, readout) and :class:`RunResult`.

:func:`mtjlib.networks.network.build_network` makes a :class:`Network`; its :meth:`~Network.run` and
:meth:`~Network.advance` check their inputs and hand every run to the one step body,
:func:`mtjlib.networks.dynamics.drive`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mtjlib._validate import HUGE, check_array, check_bool, check_mask, check_memory
from mtjlib._validate import check_int as _int
from mtjlib._validate import check_real as _real
from mtjlib.networks.activation import LLGNeuron, LookupNeuron, StochasticLookupNeuron, evaluate
from mtjlib.networks.dynamics import drive
from mtjlib.networks.imperfections import Realised
from mtjlib.networks.network_params import NetworkParams
from mtjlib.networks.step_types import (
    Learning,
    Plasticity,
    Record,
    Schedule,
    Weights,
    ideal_synapses,
    no_plasticity,
)


@dataclass(frozen=True)
class RunResult:
    """A recorded run. Time axis ``t_ns`` (ns) is shared by all arrays."""

    t_ns: np.ndarray
    """Time of each network step, ns, shape (T,)."""
    z: np.ndarray
    """Readout, shape (T, n_out)."""
    r: np.ndarray | None
    """Neuron outputs F(x), shape (T, n), or None if not recorded."""
    x: np.ndarray | None
    """Neuron inputs (normalised current, before clipping), shape (T, n), or None."""


@dataclass
class Network:
    """An MTJ rate network: fixed weights, a neuron, mutable state ``x`` and readout ``w_out``.

    Build it with :func:`~mtjlib.networks.network.build_network`. :meth:`run` advances it with a
    fixed readout; :meth:`advance` runs any :class:`~mtjlib.networks.step_types.Schedule` (the
    trainers' entry point).
    """

    params: NetworkParams
    weights: Weights
    """J (CSR), W_f, W_in, b."""
    neuron: LookupNeuron | LLGNeuron | StochasticLookupNeuron
    """The neuron behind the network, chosen at construction."""
    tab_x: np.ndarray
    """Per-junction table of normalised input, (n, K) (also used for F's slope)."""
    tab_f: np.ndarray
    """Per-junction table of F, (n, K)."""
    x0: np.ndarray
    """Initial state (restored by ``reset``), (n,)."""
    x: np.ndarray
    """Current state, (n,)."""
    w_out: np.ndarray
    """Readout weights, (n_out, n)."""
    t_ns: float = 0.0
    """Time of the next step, ns."""
    counter: int = 0
    """Neuron evaluations so far (keys the thermal generator: fresh noise at every step)."""

    @property
    def n(self) -> int:
        return self.params.n

    def J(self) -> np.ndarray:
        """Dense recurrent matrix, (n, n)."""
        w = self.weights
        out = np.zeros((self.n, self.n))
        for i in range(self.n):
            sl = slice(w.indptr[i], w.indptr[i + 1])
            out[i, w.indices[sl]] = w.data[sl]
        return out

    def reset(self, x=None) -> None:
        """Reset the state to ``x0`` (or ``x``, shape (n,)) and the clock to 0; keep the readout."""
        self.x[:] = self.x0 if x is None else check_array("x", x, shape=(self.n,))
        self.t_ns = 0.0

    def rates(self, x=None) -> np.ndarray:
        """Neuron outputs F(clip(x)) for the current state (or ``x``, shape (n,)).

        An evaluation of a thermal LLG neuron draws fresh noise (it advances ``counter``).
        """
        x = self.x.copy() if x is None else check_array("x", x, shape=(self.n,))
        r = np.empty(self.n)
        evaluate(self.neuron, x, r, self.counter)
        self.counter += 1
        return r

    # Inputs of a run ------------------------------------------------------------------------
    def inputs(self, u, n_steps: int) -> np.ndarray:
        """External input as a (n_steps, n_in) float64 array (checked); zeros(n_steps, 0) if
        none."""
        _int("n_steps", n_steps, 1, 10**9)
        n_in = self.params.n_in
        if u is None:
            if n_in:
                raise ValueError(f"this network has n_in={n_in} inputs; pass u of shape "
                                 f"({n_steps}, {n_in})")
            return np.zeros((n_steps, 0))
        u = check_array("u", u)
        u = u.reshape(-1, 1) if u.ndim == 1 and n_in == 1 else u
        return check_array("u", u, shape=(n_steps, n_in), lo=-HUGE, hi=HUGE)

    def reset_mask(self, reset, n_steps: int) -> np.ndarray:
        """Steps at whose start x is reset to x0, (n_steps,) bool (checked); none if None."""
        _int("n_steps", n_steps, 1, 10**9)
        if reset is None:
            return np.zeros(n_steps, dtype=np.bool_)
        return check_mask("reset", reset, shape=(n_steps,))

    # Stepping ---------------------------------------------------------------------------------
    def advance(self, schedule: Schedule, learning: Learning | None = None,
                plasticity: Plasticity | None = None, *, record: bool = False,
                record_w_norm: bool = False, synapses: Realised | None = None) -> Record:
        """Run ``schedule`` from the current state with the one step body
        (:func:`~mtjlib.networks.dynamics.drive`).

        ``learning`` holds the readout's RLS state (required if any step learns); ``plasticity``
        adds noise on the drive and recurrent learning (default: none); ``synapses`` are the
        realised imperfections of the synapses (:func:`mtjlib.networks.imperfections.realise`;
        default: ideal). W_out, P, the plastic rows of J, the state and the clock advance in place.
        """
        schedule = self._checked_schedule(schedule)
        check_bool("record", record)
        check_bool("record_w_norm", record_w_norm)
        n_steps, n_out = len(schedule.reset), self.w_out.shape[0]
        if learning is None:
            if np.any(schedule.learn):
                raise ValueError("the schedule learns at some steps: pass learning=Learning(...)")
            learning = Learning(P=np.zeros((0, 0)), alpha=1.0, lam=1.0)
        elif not isinstance(learning, Learning):
            raise TypeError(f"learning must be a Learning, got "
                            f"{type(learning).__name__}: {learning!r:.60}")
        elif np.any(schedule.learn):
            _real("learning.alpha", learning.alpha, 1e-12, 1e12)
            _real("learning.lam", learning.lam, 0.5, 1.0)
            learning = learning._replace(P=check_array("learning.P", learning.P,
                                                       shape=(self.n, self.n), lo=-HUGE, hi=HUGE))
        if plasticity is None:
            plasticity = no_plasticity(self.n)
        elif not isinstance(plasticity, Plasticity):
            raise TypeError(f"plasticity must be a Plasticity, got "
                            f"{type(plasticity).__name__}: {plasticity!r:.60}")
        else:
            for name, arr in (("noise", plasticity.noise), ("target", plasticity.target)):
                if arr.shape[0] not in (0, n_steps) or arr.shape[1:] != (self.n,):
                    raise ValueError(f"plasticity.{name} has shape {arr.shape}, expected "
                                     f"({n_steps}, {self.n}) or (0, {self.n})")
            if len(plasticity.learn) not in (0, n_steps):
                raise ValueError(f"plasticity.learn has length {len(plasticity.learn)}, "
                                 f"expected {n_steps} or 0")
            if len(plasticity.learn) and np.any(plasticity.learn) and \
                    plasticity.target.shape[0] != n_steps:
                raise ValueError("plasticity.learn is set at some steps: give its target")
        weights = self.weights
        if synapses is None:
            syn = ideal_synapses(weights, n_out)
        else:
            weights = self._imperfect(synapses)
            syn = synapses.synapses
        shape = (n_steps, self.n) if record else (0, self.n)
        rec = Record(z=np.empty((n_steps, n_out)),
                     w_norm=np.empty(n_steps if record_w_norm else 0),
                     r=np.empty(shape), x=np.empty(shape))
        self.counter = int(drive(self.neuron, weights, self.params.leak, self.x, self.x0,
                                 self.w_out, self.counter, schedule, learning, plasticity,
                                 syn, rec))
        dt = self.params.dt_ns
        self.t_ns = float((self.t_ns + dt * (n_steps - 1)) + dt) if n_steps else self.t_ns
        return rec

    def _checked_schedule(self, schedule) -> Schedule:
        """``schedule`` with every array of the shape and dtype the step body reads (the same
        arrays when they already are), or a clear error: the kernel does no bounds checks."""
        if not isinstance(schedule, Schedule):
            raise TypeError(f"schedule must be a Schedule, got "
                            f"{type(schedule).__name__}: {schedule!r:.60}")
        reset = check_mask("schedule.reset", schedule.reset, ndim=1)
        n_steps = len(reset)
        return Schedule(
            u=check_array("schedule.u", schedule.u, shape=(n_steps, self.params.n_in),
                          lo=-HUGE, hi=HUGE),
            reset=reset,
            target=check_array("schedule.target", schedule.target,
                               shape=(n_steps, self.w_out.shape[0]), lo=-HUGE, hi=HUGE),
            learn=check_mask("schedule.learn", schedule.learn, shape=(n_steps,)),
            restart=check_mask("schedule.restart", schedule.restart, shape=(n_steps,)))

    def _imperfect(self, synapses) -> Weights:
        """Check realised ``synapses`` against this network; the weights the devices hold."""
        if not isinstance(synapses, Realised):
            raise TypeError(f"synapses must be a Realised (mtjlib.networks.imperfections.realise), "
                            f"got {type(synapses).__name__}: {synapses!r:.60}")
        return synapses.check(self)

    def run(self, n_steps: int, u=None, reset=None, record: bool = True,
            synapses: Realised | None = None) -> RunResult:
        """Run ``n_steps`` with fixed weights (free run, or input-driven if ``u`` is given).

        Parameters
        ----------
        n_steps : int
            Number of network steps of ``dt_ns``.
        u : array_like, shape (n_steps, n_in), optional
            External input at each step.
        reset : array_like of bool, shape (n_steps,), optional
            Steps at whose start the state is reset to ``x0`` (e.g. each recognition window).
        record : bool
            Record r and x (T, n) besides z.
        synapses : mtjlib.networks.imperfections.Realised, optional
            Imperfect synapses (default: ideal).
        """
        _int("n_steps", n_steps, 1, 10**9)
        check_bool("record", record)
        n_out = self.w_out.shape[0]
        per_step = 8 * (3 * n_out + 2 + self.params.n_in + (2 * self.n if record else 0))
        check_memory(f"run with n_steps={n_steps}", n_steps * per_step)
        sched = Schedule(u=self.inputs(u, n_steps), reset=self.reset_mask(reset, n_steps),
                         target=np.zeros((n_steps, n_out)),
                         learn=np.zeros(n_steps, dtype=np.bool_),
                         restart=np.zeros(n_steps, dtype=np.bool_))
        t = self.t_ns + self.params.dt_ns * np.arange(n_steps)
        rec = self.advance(sched, record=record, synapses=synapses)
        return RunResult(t_ns=t, z=rec.z, r=rec.r if record else None,
                         x=rec.x if record else None)
