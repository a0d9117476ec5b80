"""Imperfect synapses: weight fluctuation, signal delay and readout synapses that fail to update.

One frozen :class:`Imperfections` describes a network's synapses; its defaults are the ideal
network. :meth:`Imperfections.realise` turns it, once per run, into the arrays the step body
(:func:`mtjlib.networks.dynamics.drive`) always takes (:class:`Realised`): with the defaults these
are unit gains, zero noise, delay lines of length 1 and an all-true update mask, so every existing
result keeps its bits. The random streams of the realisation are spawned from the run's generator
after the network's own draws, one child per imperfection, so switching one imperfection on changes
neither the network nor the draws of another.

Models (relative levels are fractions: 0.1 is 10 %):

- *static spread* (device-to-device): every recurrent weight J_ij, feedback weight W_f and the
  gain of every readout synapse is multiplied once by (1 + sigma xi), xi ~ N(0, 1); the readout
  the network uses is gain * W_out, so every written W_out value is off by its device's factor;
- *read noise* (cycle-to-cycle): at every network step each read of J, W_f and W_out is multiplied
  by a fresh (1 + sigma xi); xi comes from the counter-based generator of :mod:`mtjlib.physics.llg`
  (splitmix64 of key, synapse and step, a sum of four uniforms), so no (T, nnz) array is drawn;
- *write noise*: each readout update the rule writes is multiplied by (1 + sigma xi);
- *delay*: the recurrent input J r uses rates of d steps ago, the feedback W_f z the output of
  d_f steps ago, the same d for every synapse (``uniform``) or an integer uniform in [0, d] per
  synapse (``random``); d = 1 is 1.5 ns at the book's network step;
- *failure to update*: a fraction of readout synapses is never written, frozen at zero or at the
  value they hold when the run starts; the rule is ``blind`` (it computes every update, P over all
  rates, and the frozen ones are simply not written, as in in-situ hardware training) or
  ``aware`` (it runs RLS over the working synapses only).

When they act (``active``): ``always`` (in situ: while the readout learns and while the network
runs free) or ``test`` (only where the readout does not learn: the readout is trained on ideal
synapses and then run on imperfect ones, as in ex-situ training followed by programming the
weights into devices); ``test`` applies to the static spread and the read noise.

Which is the paper's "fluctuation of the synaptic weights"? Zheng et al. (2020) give no model. A
*fluctuation* in a device physicist's usage varies in time, and the paper's neurons are
themselves thermally fluctuating junctions, so the most likely meaning is the cycle-to-cycle
read noise (``read_sigma``); a static device-to-device spread (``static_sigma``) is the other
common reading in the memristor literature, and the book covers both (claim S3 uses read noise).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace

import numpy as np

from mtjlib._validate import check_choice, check_int, check_real, rng_from
from mtjlib.networks.step_types import Synapses, Weights

DELAY_MODES = ("uniform", "random")
FAIL_VALUES = ("zero", "initial")
FAIL_RULES = ("blind", "aware")
FLUCTUATING = ("all", "network", "readout")
ACTIVE = ("always", "test")
#: Largest relative spread or noise accepted (a factor 1 + sigma xi with sigma = 1 often flips
#: sign).
MAX_SIGMA = 1.0
#: Largest delay in steps (the delay line holds delay + 1 rate vectors).
MAX_DELAY = 10_000
# Children of the realisation's generator, one per imperfection (fixed order: never reorder).
_J, _F, _OUT, _DELAY, _FDELAY, _FAIL, _KEY = range(7)


def _level(name, value, hi):
    if isinstance(value, float) and math.isnan(value):
        raise ValueError(f"{name}=nan is not a level (must be a number in [0, {hi:g}])")
    check_real(name, value, 0.0, hi)


@dataclass(frozen=True)
class Imperfections:
    """The imperfections of a network's synapses; the defaults are the ideal network.

    Relative levels are fractions (0.1 = 10 %); delays are in network steps (1.5 ns each).
    """

    static_sigma: float = 0.0
    """Relative device-to-device spread of J, W_f and the readout gains, fixed for the run."""
    read_sigma: float = 0.0
    """Relative cycle-to-cycle noise of every read of J, W_f and W_out, fresh at every step."""
    write_sigma: float = 0.0
    """Relative noise on every readout update written by the rule."""
    fluctuating: str = "all"
    """Which synapses ``static_sigma`` and ``read_sigma`` apply to: ``all``, ``network`` (J and
    W_f) or ``readout`` (W_out)."""
    recurrent_delay: int = 0
    """Delay d of the recurrent signals, steps (the maximum when ``delay_mode="random"``)."""
    feedback_delay: int = 0
    """Delay of the fed-back output, steps (the maximum when ``delay_mode="random"``)."""
    delay_mode: str = "uniform"
    """``uniform``: every synapse has the delay; ``random``: uniform integer in [0, delay]."""
    fail_fraction: float = 0.0
    """Fraction of readout synapses that never update, in [0, 1]."""
    fail_value: str = "zero"
    """Failed synapses are stuck at ``zero`` or at their ``initial`` value (when the run starts)."""
    fail_rule: str = "blind"
    """``blind``: the rule computes every update and the failed are not written; ``aware``: RLS
    over the working synapses only (needs n_out = 1)."""
    active: str = "always"
    """When ``static_sigma`` and ``read_sigma`` act: ``always`` (in situ) or ``test`` (only on the
    steps where the readout does not learn; write noise, delays and failing synapses must then be
    off)."""

    def __post_init__(self):
        _level("static_sigma", self.static_sigma, MAX_SIGMA)
        _level("read_sigma", self.read_sigma, MAX_SIGMA)
        _level("write_sigma", self.write_sigma, MAX_SIGMA)
        check_choice("fluctuating", self.fluctuating, FLUCTUATING)
        check_int("recurrent_delay", self.recurrent_delay, 0, MAX_DELAY)
        check_int("feedback_delay", self.feedback_delay, 0, MAX_DELAY)
        check_choice("delay_mode", self.delay_mode, DELAY_MODES)
        _level("fail_fraction", self.fail_fraction, 1.0)
        check_choice("fail_value", self.fail_value, FAIL_VALUES)
        check_choice("fail_rule", self.fail_rule, FAIL_RULES)
        check_choice("active", self.active, ACTIVE)
        if self.active == "test":
            for name in ("write_sigma", "recurrent_delay", "feedback_delay", "fail_fraction"):
                if getattr(self, name):
                    raise ValueError(f"{name}={getattr(self, name)!r} with active='test': only "
                                     "static_sigma and read_sigma can act at test only (write "
                                     "noise and failing synapses act on learning, delays on "
                                     "every step); set it to 0 or use active='always'")

    @property
    def ideal(self) -> bool:
        """Whether these are the defaults (no imperfection at all)."""
        return self == Imperfections()

    def replace(self, **changes) -> Imperfections:
        """A copy with fields changed (validated)."""
        names = {f.name for f in fields(self)}
        bad = sorted(set(changes) - names)
        if bad:
            raise ValueError(f"unknown imperfection(s) {bad}; fields are {sorted(names)}")
        return replace(self, **changes)

    def realise(self, net, rng, n_steps: int | None = None) -> Realised:
        """Draw this network's imperfect synapses (see :func:`realise`)."""
        return realise(self, net, rng, n_steps)


@dataclass(frozen=True, eq=False)
class Realised:
    """Imperfections drawn for one network: what the kernel takes (:class:`Synapses`) and the
    weights its devices hold."""

    imperfections: Imperfections
    synapses: Synapses
    """The arrays of :func:`mtjlib.networks.dynamics.drive`."""
    data: np.ndarray
    """Recurrent weights as the devices hold them (J's CSR values times their gains), (nnz,)."""
    w_f: np.ndarray
    """Feedback weights as the devices hold them, (n, n_out)."""
    failed: np.ndarray
    """Readout synapses that never update, (n_out, n) bool."""
    shape: tuple
    """(n, nnz, n_out) of the network drawn for."""
    n_steps: int | None
    """Length of the run it was drawn for (delays are checked against it), or None."""

    def fits(self, net, name: str = "synapses") -> None:
        """Raise unless these were realised for ``net`` (its size, synapses and readouts);
        ``name`` is how the caller spelled this argument (for the message)."""
        if not isinstance(getattr(net, "weights", None), Weights):
            raise TypeError(f"net must be a Network, got {type(net).__name__}: {net!r:.60}")
        shape = (net.n, len(net.weights.data), net.w_out.shape[0])
        if shape != self.shape:
            raise ValueError(f"{name} were realised for a network of (n, nnz, n_out)="
                             f"{self.shape}, not for this network's {shape}: realise them "
                             "for this network")

    def check(self, net) -> Weights:
        """Weights to run ``net`` with; sets the failed readout synapses stuck at zero."""
        self.fits(net)
        if self.imperfections.fail_value == "zero" and self.failed.any():
            net.w_out[self.failed] = 0.0
        if self.data is net.weights.data and self.w_f is net.weights.w_f:
            return net.weights
        return net.weights._replace(data=self.data, w_f=self.w_f)


def realise(imperfections: Imperfections, net, rng, n_steps: int | None = None) -> Realised:
    """Draw the imperfect synapses of ``net`` from ``rng``.

    Parameters
    ----------
    imperfections : Imperfections
        What to draw.
    net : mtjlib.networks.network_object.Network
        The network (its J, W_f and readout shape).
    rng : int or numpy.random.Generator
        The run's generator *after* the network's draws (one child is spawned from it, whose
        children draw each imperfection), or a seed.
    n_steps : int, optional
        Length of the run in steps: delays must be shorter.

    Returns
    -------
    Realised
        With the defaults: unit gains, zero noise, delay lines of length 1, an all-true mask, the
        network's own J and W_f arrays (so recurrent learning still writes to them).

    Length: about 60 lines of code, one block per imperfection, each drawing from its own spawned
    stream in a fixed order (the order fixes the bits).
    """
    if not isinstance(imperfections, Imperfections):
        raise TypeError(f"imperfections must be an Imperfections, got "
                        f"{type(imperfections).__name__}: {imperfections!r:.60}")
    if not isinstance(getattr(net, "weights", None), Weights):
        raise TypeError(f"net must be a Network, got {type(net).__name__}: {net!r:.60}")
    imp = imperfections
    if n_steps is not None:
        check_int("n_steps", n_steps, 1, 10**12)
        for name in ("recurrent_delay", "feedback_delay"):
            if getattr(imp, name) >= n_steps:
                raise ValueError(f"{name}={getattr(imp, name)} steps is not shorter than the run "
                                 f"(n_steps={n_steps})")
    w = net.weights
    n, nnz, n_out = net.n, len(w.data), net.w_out.shape[0]
    if imp.fail_rule == "aware" and imp.fail_fraction > 0 and n_out != 1:
        raise ValueError(f"fail_rule='aware' needs n_out=1 (one P shared by the outputs), "
                         f"got n_out={n_out}")
    kids = rng_from(rng, "rng").spawn(1)[0].spawn(_KEY + 1)

    on_net = imp.fluctuating in ("all", "network")
    on_out = imp.fluctuating in ("all", "readout")

    def gains(k, shape, on):
        if imp.static_sigma == 0 or not on:
            return None
        return 1.0 + imp.static_sigma * kids[k].standard_normal(shape)

    g = gains(_J, nnz, on_net)
    data = w.data if g is None else w.data * g
    g = gains(_F, w.w_f.shape, on_net)
    w_f = w.w_f if g is None else np.ascontiguousarray(w.w_f * g)
    g = gains(_OUT, (n_out, n), on_out)
    out_gain = np.ones((n_out, n)) if g is None else g

    def delays(k, d, shape):
        if imp.delay_mode == "uniform" or d == 0:
            return np.full(shape, d, dtype=np.int64)
        return kids[k].integers(0, d, shape, endpoint=True).astype(np.int64)

    delay = delays(_DELAY, imp.recurrent_delay, nnz)
    fdelay = delays(_FDELAY, imp.feedback_delay, (n, n_out))
    n_fail = round(imp.fail_fraction * n_out * n)
    failed = np.zeros(n_out * n, dtype=bool)
    if n_fail:
        failed[kids[_FAIL].permutation(n_out * n)[:n_fail]] = True
    failed = failed.reshape(n_out, n)
    seen = np.ones(n)
    if imp.fail_rule == "aware":
        seen = (~failed[0]).astype(np.float64) if n_out == 1 else seen
    key = int(kids[_KEY].integers(0, 2**63 - 1))
    syn = Synapses(out_gain=np.ascontiguousarray(out_gain),
                   read_sigma=float(imp.read_sigma) if on_net else 0.0,
                   read_sigma_out=float(imp.read_sigma) if on_out else 0.0,
                   write_sigma=float(imp.write_sigma), key=key, delay=delay,
                   depth=int(delay.max(initial=0)) + 1, fdelay=np.ascontiguousarray(fdelay),
                   fdepth=int(fdelay.max(initial=0)) + 1,
                   write_mask=(~failed).astype(np.float64), seen=seen)
    return Realised(imperfections=imp, synapses=syn, data=data, w_f=w_f, failed=failed,
                    shape=(n, nnz, n_out), n_steps=n_steps)
