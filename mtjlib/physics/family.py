"""Families of junctions of different sizes (supplementary study S1: 40 MTJs of 25 sizes).

The paper states that "a RNN made of 40 MTJs with 25 different sizes works as well as the RNN
with identical MTJs" and gives no spread. :func:`device_family` draws ``n`` junctions of ``k``
distinct diameters from a seed; everything a size changes is computed by
:class:`~mtjlib.physics.device.DeviceParams` itself (demagnetising factors, precession frequency,
thermal stability, and through the LLG equation Delta R(j)); R0 scales as 1/area at a fixed
resistance-area product (a junction's conductance is proportional to its area).

Default spread: diameters evenly over +/- 12.5 % of the nominal 40 nm (35-45 nm, 25 sizes),
the pessimistic end of the plausible range: process spreads of 2-5 % in diameter are realistic
(switching-voltage spread 4.4 % in perpendicular STT-MRAM arrays; 5 % on TMR, Rp and Ki in public
stochastic MTJ models), and 25 *distinguishable* sizes among 40 junctions suggests a designed
range rather than a process tail. ``kind="normal"`` draws the k diameters from a normal
distribution of relative standard deviation ``spread`` (realistic: 0.025, 0.05, 0.10).

What the network sees (:func:`common_curves`): every junction's Delta R is normalised with ONE
scale, the nominal device's Delta R at j_min and j_max (a circuit has one gain, not one per
junction). The other junctions' F then leave [0, 1]: at a fixed resistance-area product the
*smaller* junctions lie above (their larger R0 outweighs their smaller precession amplitude;
35 nm maps to about [0.37, 1.47] and 45 nm to [-0.27, 0.65]), at a fixed R0 the larger ones
(45 nm to about [0.63, 1.80]). Per-junction normalisation
(``normalisation="junction"``) is a control only: over the paper's current range each curve is
linear to about 0.4 %, so normalised per junction all curves coincide to about 1e-4.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mtjlib._validate import check_bool, check_choice, check_int, check_pair, check_real, rng_from
from mtjlib.physics.device import DeviceParams, default_device
from mtjlib.physics.neuron import J_RANGE, TABLE_STEP, ResponseCurve, response_curve

KINDS = ("uniform", "normal")
NORMALISATIONS = ("common", "junction")
#: Default relative half-width of the diameters (uniform): 35-45 nm around 40 nm.
DEFAULT_SPREAD = 0.125
#: The paper's configuration: 40 junctions of 25 sizes.
PAPER_N, PAPER_K = 40, 25
#: Largest relative spread accepted (uniform: the smallest diameter is 5 % of the nominal).
MAX_SPREAD = 0.95


@dataclass(frozen=True)
class DeviceFamily:
    """n junctions of k distinct sizes, drawn from a seed by :func:`device_family`."""

    devices: tuple
    """The n junctions (DeviceParams), in network order."""
    sizes: tuple
    """The k distinct devices (DeviceParams), by increasing diameter."""
    diameters_m: np.ndarray
    """Diameter of each distinct size, m, (k,), increasing."""
    assignment: np.ndarray
    """Index into ``sizes`` of each junction, (n,) int; every size is used at least once."""
    spread: float
    """Relative spread: half-width (uniform) or standard deviation (normal) of the diameters."""
    kind: str
    """``uniform`` (evenly spaced over +/- spread) or ``normal`` (k normal draws)."""
    nominal: DeviceParams
    """The nominal device (the diameters are relative to its ``diameter_x``)."""
    ku_spread: float
    """Relative standard deviation of Ku over the sizes (0: Ku fixed)."""
    fixed_ra: bool
    """Whether R0 scales as 1/area (fixed resistance-area product)."""

    @property
    def n(self) -> int:
        return len(self.devices)

    @property
    def k(self) -> int:
        return len(self.sizes)

    @property
    def counts(self) -> np.ndarray:
        """Junctions of each size, (k,)."""
        return np.bincount(self.assignment, minlength=self.k)


def _scaled(nominal: DeviceParams, d: float, ku: float, fixed_ra: bool) -> DeviceParams:
    area_ratio = (d * d) / (nominal.diameter_x * nominal.diameter_y)
    r0 = nominal.r0 / area_ratio if fixed_ra else nominal.r0
    return nominal.replace(diameter_x=d, diameter_y=d, ku=ku, r0=r0)


def device_family(n: int = PAPER_N, k: int = PAPER_K, *, spread: float = DEFAULT_SPREAD,
                  kind: str = "uniform", seed=0, nominal: DeviceParams | None = None,
                  ku_spread: float = 0.0, fixed_ra: bool = True) -> DeviceFamily:
    """n junctions of k distinct diameters around the nominal device, from a seed.

    Parameters
    ----------
    n : int
        Number of junctions, >= 1.
    k : int
        Number of distinct sizes, 1 <= k <= n (the paper: 25 among 40).
    spread : float
        Relative spread of the diameter, in [0, 0.95]. ``kind="uniform"``: the k diameters are
        evenly spaced over ``D0 (1 +/- spread)``; ``kind="normal"``: k draws of
        ``D0 (1 + spread N(0, 1))``. 0 (one size) needs k = 1.
    kind : {"uniform", "normal"}
        How the k diameters are chosen.
    seed : int or numpy.random.Generator
        Draws the normal diameters (if any), then the Ku of each size (if ``ku_spread > 0``),
        then the assignment of sizes to junctions (same seed, same bits).
    nominal : DeviceParams, optional
        The nominal device, a disk (default: :func:`mtjlib.physics.device.default_device`, 40 nm).
    ku_spread : float
        Relative standard deviation of Ku over the k sizes, in [0, 0.5] (default 0).
    fixed_ra : bool
        True (default): R0 scales as 1/area (fixed resistance-area product); False: R0 fixed.

    Returns
    -------
    DeviceFamily
        Each of the k sizes is used at least once; the other n - k junctions take sizes drawn
        at random (each size at most once more when n - k <= k).

    Raises
    ------
    ValueError
        A count, spread or drawn size out of range (a diameter <= 0, a Ku <= 0, a device whose
        free layer is no longer perpendicular, or fewer than k distinct diameters); the message
        names the parameter and its value.
    """
    check_int("n", n, 1, 100_000)
    check_int("k", k, 1, 100_000)
    if k > n:
        raise ValueError(f"k={k} distinct sizes among n={n} junctions: k must be <= n")
    check_real("spread", spread, 0.0, MAX_SPREAD, unit="(relative spread of the diameter)")
    check_choice("kind", kind, KINDS)
    check_real("ku_spread", ku_spread, 0.0, 0.5, unit="(relative standard deviation of Ku)")
    check_bool("fixed_ra", fixed_ra)
    nominal = default_device() if nominal is None else nominal
    if not isinstance(nominal, DeviceParams):
        raise TypeError(f"nominal must be a DeviceParams, got "
                        f"{type(nominal).__name__}: {nominal!r:.60}")
    if nominal.diameter_x != nominal.diameter_y:
        raise ValueError(f"nominal must be a disk, got diameter_x={nominal.diameter_x!r} and "
                         f"diameter_y={nominal.diameter_y!r} m")
    if spread == 0 and k > 1:
        raise ValueError(f"spread=0 gives one size, not k={k} distinct sizes: pass k=1")
    rng = rng_from(seed)
    d0 = nominal.diameter_x
    if kind == "uniform":
        rel = np.linspace(1 - spread, 1 + spread, k) if k > 1 else np.ones(1)
    else:
        rel = np.sort(1 + spread * rng.standard_normal(k))
    diam = d0 * rel
    if np.any(diam <= 0):
        raise ValueError(f"spread={spread!r} with kind={kind!r} gives a diameter of "
                         f"{diam.min() * 1e9:.3g} nm <= 0: reduce the spread")
    if len(np.unique(diam)) != k:
        raise ValueError(f"spread={spread!r} with kind={kind!r} gave fewer than k={k} distinct "
                         "diameters")
    ku = nominal.ku * (1 + ku_spread * rng.standard_normal(k)) if ku_spread > 0 \
        else np.full(k, nominal.ku)
    if np.any(ku <= 0):
        raise ValueError(f"ku_spread={ku_spread!r} drew a Ku of {ku.min():.4g} J/m^3 <= 0")
    sizes = [_scaled(nominal, float(d), float(kv), fixed_ra) for d, kv in zip(diam, ku)]
    # B_perp,eff falls with the diameter (Nz - Nx grows with D/t) and with Ku: if the widest disk
    # with the lowest Ku is still perpendicular, every size is (one demagnetising integral, not
    # k, each about 50 ms; a sweep draws new diameters at every seed)
    if not _scaled(nominal, float(diam.max()), float(ku.min()), fixed_ra).b_perp_eff > 0:
        _check_perpendicular(sizes, spread)
    extra = rng.choice(k, n - k, replace=n - k > k) if n > k else np.zeros(0, dtype=np.int64)
    assignment = rng.permutation(np.concatenate([np.arange(k), extra]).astype(np.int64))
    return DeviceFamily(devices=tuple(sizes[i] for i in assignment), sizes=tuple(sizes),
                        diameters_m=diam, assignment=assignment, spread=float(spread), kind=kind,
                        nominal=nominal, ku_spread=float(ku_spread), fixed_ra=fixed_ra)


def _check_perpendicular(sizes, spread) -> None:
    """Raise ValueError naming the first size whose free layer is in-plane (B_perp,eff <= 0)."""
    for dev in sizes:
        if not dev.b_perp_eff > 0:
            raise ValueError(f"spread={spread!r}: a diameter of {dev.diameter_x * 1e9:.3g} nm "
                             f"(Ku = {dev.ku:.4g} J/m^3) has B_perp,eff = "
                             f"{dev.b_perp_eff * 1e3:.3g} mT <= 0, an in-plane free layer: not "
                             "the perpendicular device of the model")


def _table_range(x_limits) -> tuple[tuple[float, float], int]:
    lo, hi = check_pair("x_limits", x_limits, -1e3, 1e3)
    x_range = (min(lo, 0.0), max(hi, 1.0))
    return x_range, round((x_range[1] - x_range[0]) / TABLE_STEP) + 1


def common_curves(devices, nominal: DeviceParams | None = None, *, x_limits=(0.0, 1.0),
                  normalisation: str = "common", rule: str = "paper") -> list[ResponseCurve]:
    """One response curve per junction, normalised with the nominal device's Delta R.

    F_i(x) = (Delta R_i(j) - Delta R_nom(j_min)) / (Delta R_nom(j_max) - Delta R_nom(j_min)):
    the nominal device maps to [0, 1] and a junction with a larger Delta R above it. Each
    distinct device is tabulated once through the response-curve disk cache, on the grid the
    network builds by default (step 0.005 in x over ``x_limits`` and [0, 1]).

    Parameters
    ----------
    devices : DeviceFamily or sequence of DeviceParams
        The junctions, in network order.
    nominal : DeviceParams, optional
        The device whose Delta R at j_min and j_max sets the common scale (default: the
        family's nominal device, else :func:`mtjlib.physics.device.default_device`).
    x_limits : (float, float)
        The network's clip range of the drive; the tables cover it and [0, 1].
    normalisation : {"common", "junction"}
        ``common`` (the study) or ``junction`` (each curve by its own Delta R at j_min and
        j_max: the control, under which all curves nearly coincide).
    rule : {"paper", "continuous"}
        The Delta R rule of the tables.

    Returns
    -------
    list of ResponseCurve
        One per junction (the same object for junctions of the same device).
    """
    if isinstance(devices, DeviceFamily):
        nominal = devices.nominal if nominal is None else nominal
        devices = devices.devices
    if isinstance(devices, (str, bytes)) or not hasattr(devices, "__len__") or not len(devices):
        raise TypeError(f"devices={devices!r:.80} must be a DeviceFamily or a non-empty sequence "
                        "of DeviceParams")
    devices = list(devices)
    for i, d in enumerate(devices):
        if not isinstance(d, DeviceParams):
            raise TypeError(f"devices[{i}] must be a DeviceParams, got "
                            f"{type(d).__name__}: {d!r:.60}")
    nominal = default_device() if nominal is None else nominal
    if not isinstance(nominal, DeviceParams):
        raise TypeError(f"nominal must be a DeviceParams, got "
                        f"{type(nominal).__name__}: {nominal!r:.60}")
    check_choice("normalisation", normalisation, NORMALISATIONS)
    x_range, n_j = _table_range(x_limits)
    nom = response_curve(nominal, x_range=x_range, n_j=n_j, rule=rule)
    out, cache = [], {}
    for d in devices:
        if d not in cache:
            c = nom if d == nominal else response_curve(d, x_range=x_range, n_j=n_j, rule=rule)
            lo, hi = (nom.delta_r_min, nom.delta_r_max) if normalisation == "common" \
                else (c.delta_r_min, c.delta_r_max)
            cache[d] = ResponseCurve(j=c.j, delta_r=c.delta_r, j_min=c.j_min, j_max=c.j_max,
                                     delta_r_min=lo, delta_r_max=hi, rule=rule,
                                     meta={**c.meta, "normalisation": normalisation})
        out.append(cache[d])
    return out


__all__ = ["DEFAULT_SPREAD", "J_RANGE", "KINDS", "MAX_SPREAD", "NORMALISATIONS", "PAPER_K",
           "PAPER_N", "DeviceFamily", "common_curves", "device_family"]
