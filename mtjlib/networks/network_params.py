"""The network's parameters: :class:`NetworkParams` and the ranges its fields are checked against.

A frozen, keyword-only dataclass whose ``__post_init__`` checks every documented range (with its
memory cost: :data:`MAX_N`, :data:`MAX_IN`); :func:`mtjlib.networks.network.build_network` builds a
network from it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from mtjlib._validate import check_choice
from mtjlib._validate import check_int as _int
from mtjlib._validate import check_real as _real
from mtjlib.physics.neuron import T_WINDOW

#: The network step, ns: one neuron evaluation window.
DT_NS = T_WINDOW * 1e9

MODES = ("lookup", "llg", "stochastic")
#: Most neurons of a network. Building one draws two dense (n, n) arrays (the mask and the
#: values of J: about 17 n^2 bytes at the peak, 6.3 GiB at n = 20000, 0.16 GiB at n = 3000) and
#: FORCE keeps a dense (n, n) P (8 n^2 bytes); a laptop holds n = 20000.
MAX_N = 20_000
#: Most external inputs (W_in is a dense (n, n_in) array: 8 n n_in bytes).
MAX_IN = 10_000


@dataclass(frozen=True, kw_only=True)
class NetworkParams:
    """Parameters of an MTJ rate network. Currents are normalised (x = 1 is j_max - j_min).

    The defaults are the book's Fig. 2 network (see ``book/fig2_force.ipynb`` for why).
    """

    n: int = 40
    """Number of MTJ neurons, in [1, 20000] (:data:`MAX_N`; building costs about 17 n^2 bytes
    of memory at its peak, 6.3 GiB at n = 20000, and FORCE's P another 8 n^2)."""
    p: float = 0.2
    """Connection probability of the recurrent matrix J, in (0, 1]."""
    g: float = 0.9
    """Recurrent gain (>= 0); the spread of J is g / (slope of F * sqrt(p n))."""
    tau_ns: float = 10.0
    """Leak time constant of the input current, ns (> 0, >= dt_ns for a stable Euler step)."""
    dt_ns: float = DT_NS
    """Network step, ns: one neuron evaluation window (the LLG mode always integrates 1.5 ns)."""
    n_out: int = 1
    """Number of readouts z."""
    feedback_scale: float = 1.0
    """Feedback weights W_f are uniform in [-feedback_scale, feedback_scale]; 0: no feedback."""
    n_in: int = 0
    """Number of external inputs u, in [0, 10000] (W_in costs 8 n n_in bytes)."""
    input_scale: float = 1.0
    """Input weights W_in are uniform in [-input_scale, input_scale]."""
    bias: float = 0.5
    """Constant drive b (normalised current); 0.5 puts the resting state mid-range."""
    bias_spread: float = 0.0
    """Per-neuron bias b_i = bias + uniform in [-bias_spread, bias_spread]."""
    x_limits: tuple[float, float] = (0.0, 1.0)
    """Range the drive x is clipped to (normalised current); (0, 1) is the paper's j range."""
    x0_spread: float = 0.25
    """Initial state: x_i(0) = b_i + uniform in [-x0_spread, x0_spread]."""
    neuron_mode: str = "lookup"
    """``lookup`` (tabulated F), ``llg`` (LLG integration at every evaluation) or
    ``stochastic`` (lookup of the thermal mean of F plus Gaussian noise of spread sigma_F(x),
    both calibrated from thermal LLG at ``temperature``:
    :func:`mtjlib.physics.thermal.noise_calibration`)."""
    temperature: float = 0.0
    """Temperature of the thermal field in ``llg`` and ``stochastic`` modes, K (0:
    deterministic; ignored in ``lookup`` mode)."""

    def __post_init__(self):
        _int("n", self.n, 1, MAX_N)
        _real("p", self.p, 0.0, 1.0, lo_open=True)
        _real("g", self.g, 0.0, 1e3)
        _real("tau_ns", self.tau_ns, 0.0, 1e9, lo_open=True, unit="ns")
        _real("dt_ns", self.dt_ns, 0.0, self.tau_ns, lo_open=True, unit="ns (<= tau_ns)")
        _int("n_out", self.n_out, 0, 1000)
        _real("feedback_scale", self.feedback_scale, 0.0, 1e6)
        _int("n_in", self.n_in, 0, MAX_IN)
        _real("input_scale", self.input_scale, 0.0, 1e6)
        _real("bias", self.bias, -1e6, 1e6)
        _real("bias_spread", self.bias_spread, 0.0, 1e3)
        if not isinstance(self.x_limits, (tuple, list)) or len(self.x_limits) != 2:
            raise TypeError(f"x_limits={self.x_limits!r} must be a pair (lo, hi)")
        _real("x_limits[0]", self.x_limits[0], -1e3, 1e3)
        _real("x_limits[1]", self.x_limits[1], self.x_limits[0], 1e3, lo_open=True)
        _real("x0_spread", self.x0_spread, 0.0, 1e3)
        check_choice("neuron_mode", self.neuron_mode, MODES)
        _real("temperature", self.temperature, 0.0, 1e4, unit="K")
        object.__setattr__(self, "x_limits", (float(self.x_limits[0]), float(self.x_limits[1])))

    def replace(self, **changes) -> NetworkParams:
        """A copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)

    @property
    def leak(self) -> float:
        """Euler factor a = dt / tau."""
        return self.dt_ns / self.tau_ns
