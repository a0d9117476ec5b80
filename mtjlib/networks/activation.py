"""The neuron behind a network: one small interface, chosen once when the network is built.

A neuron is a named tuple of arrays (its *data*) whose type selects, at compile time, the numba
function that turns the drive ``x`` (normalised current, (n,)) into the rates ``r = F(x)``:

- :class:`LookupNeuron`: each junction's tabulated response F_i, interpolated linearly;
- :class:`LLGNeuron`: every evaluation integrates every junction's LLG equation for one window
  from its reset state m = z and applies a Delta R rule (deterministic RK4 at T = 0, thermal Heun
  with a counter-based generator at T > 0), normalised like the table.

- :class:`StochasticLookupNeuron`: a tabulated mean F_i plus a Gaussian of tabulated spread
  sigma_F,i(x) calibrated from thermal LLG statistics
  (:func:`mtjlib.physics.thermal.noise_calibration`), drawn from the thermal kernels' counter-based
  generator keyed by (seed, junction, evaluation).

All clip x to ``[xlo, xhi]`` first. :func:`rates` is the one entry point the network's step body
calls (``rates(neuron, x, r, counter)``; ``counter`` numbers the evaluations so that thermal noise
is fresh at every step and reproducible). Adding a neuron kind means a new named tuple and one
entry in ``_IMPL``: the step body never branches on a mode string.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from mtjlib._counter_rng import junction_word, normal, seed_key
from mtjlib._numba import JIT, kernel, overload
from mtjlib.physics import llg_kernels


class LookupNeuron(NamedTuple):
    """Tabulated responses: r_i = interp(clip(x_i), tab_x[i], tab_f[i])."""

    xlo: float
    """Lower clip of the drive (normalised current)."""
    xhi: float
    """Upper clip of the drive."""
    tab_x: np.ndarray
    """Per-junction table of normalised input, (n, K)."""
    tab_f: np.ndarray
    """Per-junction table of F, (n, K)."""


class LLGNeuron(NamedTuple):
    """LLG in the loop: r_i = (Delta R_i(j_i) - dr_min_i) / (dr_max_i - dr_min_i)."""

    xlo: float
    xhi: float
    j_min: float
    """Current density at x = 0, A/m^2."""
    j_max: float
    """Current density at x = 1, A/m^2."""
    unit: np.ndarray
    """Coefficients of every junction at unit current density, (N_PAR, n)."""
    dt: float
    """LLG step, s."""
    n_steps: int
    """LLG steps per evaluation (one window)."""
    thermal: bool
    """Thermal field on (Heun) or off (RK4)."""
    seed: int
    """Key of the counter-based thermal generator."""
    n_window: np.ndarray
    """Delta R rule per junction, (n,) int64: < 0 paper rule, >= 0 a rule over that many final
    steps (max - min, or the fit rule if ``phase_step`` is not empty)."""
    phase_step: np.ndarray
    """Empty, or each junction's fit-rule reference phase per LLG step, rad, (n,)."""
    dr_min: np.ndarray
    """Delta R at x = 0 of each junction (the normalisation), Ohm, (n,)."""
    dr_max: np.ndarray
    """Delta R at x = 1 of each junction, Ohm, (n,)."""
    coeffs: np.ndarray
    """Scratch coefficients, (N_PAR, n)."""
    dr: np.ndarray
    """Scratch Delta R, (n,)."""


class StochasticLookupNeuron(NamedTuple):
    """Lookup plus thermal noise: r_i = F_i(v) + sigma_i(v) xi, v = clip(x_i), xi ~ N(0, 1) from
    the counter generator (word: junction i, evaluation ``counter``), F_i and sigma_i
    interpolated linearly in the same table."""

    xlo: float
    xhi: float
    tab_x: np.ndarray
    """Per-junction table of normalised input, (n, K)."""
    tab_f: np.ndarray
    """Per-junction table of the thermal mean of F, (n, K)."""
    tab_sigma: np.ndarray
    """Per-junction table of sigma_F (F units), (n, K)."""
    seed: int
    """Generator seed (non-negative int64)."""


@kernel
def _interp_row(tab_x, tab_y, i, v):
    """Linear interpolation of row i at v, held constant outside the table (np.interp rule)."""
    k = tab_x.shape[1]
    lo, hi = 0, k - 1
    if v <= tab_x[i, 0]:
        return 0, 0.0
    if v >= tab_x[i, hi]:
        return hi - 1, 1.0
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if tab_x[i, mid] <= v:
            lo = mid
        else:
            hi = mid
    return lo, (v - tab_x[i, lo]) / (tab_x[i, lo + 1] - tab_x[i, lo])


@kernel
def _stochastic_rates(nd, x, r, counter):
    """r_i = F_i(v) + sigma_i(v) * N(0, 1), v = clip(x_i); the normal of (seed, i, counter)."""
    key = seed_key(nd.seed)
    tab_x, tab_f, tab_s = nd.tab_x, nd.tab_f, nd.tab_sigma
    for i in range(x.shape[0]):
        v = min(max(x[i], nd.xlo), nd.xhi)
        lo, s = _interp_row(tab_x, tab_f, i, v)
        f = tab_f[i, lo] + s * (tab_f[i, lo + 1] - tab_f[i, lo])
        sg = tab_s[i, lo] + s * (tab_s[i, lo + 1] - tab_s[i, lo])
        r[i] = f + sg * normal(key, junction_word(i) + np.uint64(counter))


@kernel
def _lookup_rates(nd, x, r, counter):
    """r_i = F_i(clip(x_i)) by linear interpolation in row i of the tables (np.interp rule).

    The interval is the one with tab_x[lo] <= v < tab_x[lo + 1] (unique in a non-decreasing
    table): guessed as if the grid were even, then moved to it (one step or none on the even
    grids the networks build; a bisection would take log2(K) branches that the processor
    cannot predict, which cost more than the rest of the step).
    """
    tab_x, tab_f = nd.tab_x, nd.tab_f
    n, k = tab_x.shape
    for i in range(n):
        v = min(max(x[i], nd.xlo), nd.xhi)
        x0, x1 = tab_x[i, 0], tab_x[i, k - 1]
        if v <= x0:
            r[i] = tab_f[i, 0]
            continue
        if v >= x1:
            r[i] = tab_f[i, k - 1]
            continue
        g = (v - x0) / (x1 - x0) * (k - 1)
        lo = min(max(int(g), 0), k - 2)  # x0 < v < x1, so 0 <= lo <= k - 2 holds below
        while tab_x[i, lo] > v:
            lo -= 1
        while tab_x[i, lo + 1] <= v:
            lo += 1
        hi = lo + 1
        s = (v - tab_x[i, lo]) / (tab_x[i, hi] - tab_x[i, lo])
        r[i] = tab_f[i, lo] + s * (tab_f[i, hi] - tab_f[i, lo])


@kernel
def _llg_rates(nd, x, r, counter):
    """One LLG window per junction from m = z at j(clip(x)); Delta R normalised like the table."""
    p, unit = nd.coeffs, nd.unit
    n = x.shape[0]
    for a in range(p.shape[0]):
        for i in range(n):
            p[a, i] = unit[a, i]
    for i in range(n):
        v = min(max(x[i], nd.xlo), nd.xhi)
        p[llg_kernels.AJ, i] = unit[llg_kernels.AJ, i] * (nd.j_min + (nd.j_max - nd.j_min) * v)
    llg_kernels.reset_delta_r(p, nd.dt, nd.n_steps, nd.thermal, nd.seed, counter * nd.n_steps,
                              nd.n_window, nd.phase_step, nd.dr)
    for i in range(n):
        r[i] = (nd.dr[i] - nd.dr_min[i]) / (nd.dr_max[i] - nd.dr_min[i])


_IMPL = {LookupNeuron: _lookup_rates, LLGNeuron: _llg_rates,
         StochasticLookupNeuron: _stochastic_rates}


def rates(neuron, x, r, counter):
    """r = F(x) for the neuron's kind (numba only; from Python use ``Network.rates``)."""
    raise NotImplementedError("activation.rates is compiled by numba; call Network.rates")


@overload(rates, jit_options=JIT)
def _rates_overload(neuron, x, r, counter):
    impl = _IMPL.get(getattr(neuron, "instance_class", None))
    if impl is None:
        return None

    def body(neuron, x, r, counter):
        impl(neuron, x, r, counter)

    return body


@kernel
def evaluate(neuron, x, r, counter):
    """Python entry point: r = F(x) in place (validated by the caller)."""
    rates(neuron, x, r, counter)
