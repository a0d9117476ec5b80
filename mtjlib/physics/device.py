"""Device parameters of a perpendicular MTJ with an in-plane fixed layer, in SI units.

Conventions (stated once, used everywhere):

* fields are flux densities B = mu0 H in tesla, and the gyromagnetic ratio is
  ``GAMMA = 1.760859e11 rad/(s T)``; the spin-torque magnitude is therefore
  ``tau = GAMMA hbar P j / (e Ms t)`` (the paper's mu0 belongs to the A/m convention and is
  dropped);
* the free layer's easy axis is z, the fixed layer points along +x (``m_p = x``);
* the effective field is the uniaxial anisotropy plus the magnetometric demagnetising field of a
  uniformly magnetised cylinder: ``B = (2 Ku / Ms) m_z z - mu0 Ms (Nx m_x, Ny m_y, Nz m_z)``.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from mtjlib._validate import check_array, check_int, check_real

MU0 = 4e-7 * math.pi  # vacuum permeability, T m/A (the classical value; 1e-10 away from CODATA)
GAMMA = 1.760859e11  # electron gyromagnetic ratio, rad/(s T)
HBAR = 1.054571817e-34  # J s
E_CHARGE = 1.602176634e-19  # C
K_B = 1.380649e-23  # J/K


def _j1_integral(f_weight, s: float, tail_power: int, u_max: float = 2000.0, du: float = 0.01) -> float:
    """int_0^inf J1(u)^2 f_weight(u, s) du by the trapezoid rule on (0, u_max] plus the tail.

    Beyond u_max, J1(u)^2 averages to 1/(pi u) and ``f_weight`` behaves as ``c / u**tail_power``;
    the tail is integrated in that asymptotic form (c read off at u_max).
    """
    from scipy.special import j1

    u = np.arange(du, u_max + du / 2, du)
    y = j1(u) ** 2 * f_weight(u, s)
    body = float(np.sum((y[1:] + y[:-1]) * 0.5 * du) + y[0] * du * 0.5)
    c = float(f_weight(np.array([u_max]), s)[0]) * u_max**tail_power
    tail = c / (math.pi * tail_power * u_max**tail_power)
    return body + tail


@lru_cache(maxsize=256)
def demag_elliptic_cylinder(a: float, b: float, t: float, n_phi: int = 64) -> tuple[float, float, float]:
    """Magnetometric demagnetising factors (Nx, Ny, Nz) of a uniformly magnetised elliptic cylinder.

    Exact up to quadrature error (about 1e-6): the factors follow from the shape's Fourier
    transform, ``N_ii = (1/V) int d^3k/(2 pi)^3 |S(k)|^2 k_i^2 / k^2``; the k_z integral is done in
    closed form, the in-plane angle by the trapezoid rule (periodic, so spectrally accurate) and
    the radial integral numerically.

    Parameters
    ----------
    a, b : float
        Semi-axes along x and y, m.
    t : float
        Thickness along z, m.
    """
    for name, v in (("a", a), ("b", b), ("t", t)):
        check_real(name, v, 0.0, 1e-3, lo_open=True, unit="m")
    check_int("n_phi", n_phi, 4, 4096)
    phi = (np.arange(n_phi) + 0.5) * (2 * math.pi / n_phi)
    # The ellipse is symmetric under x -> -x and y -> -y, so the four quadrants contribute
    # equally: the midpoints of the first quadrant (n_phi // 4 of them) carry weight 4.
    nz = nx = ny = 0.0
    for p in phi[: n_phi // 4]:
        rho = math.sqrt((a * math.cos(p)) ** 2 + (b * math.sin(p)) ** 2)
        s = t / rho
        iz = _j1_integral(lambda u, s: (1.0 - np.exp(-u * s)) / u**2, s, 2)
        ip = _j1_integral(lambda u, s: (s - (1.0 - np.exp(-u * s)) / u) / u, s, 1)
        w = 4 * (2 * math.pi / n_phi)  # four quadrants
        nz += w * iz / rho
        nx += w * math.cos(p) ** 2 * ip / rho
        ny += w * math.sin(p) ** 2 * ip / rho
    pref = a * b / (math.pi * t)
    return pref * nx, pref * ny, pref * nz


@lru_cache(maxsize=256)
def demag_cylinder(diameter: float, t: float) -> tuple[float, float, float]:
    """Exact magnetometric demagnetising factors (Nx, Ny, Nz) of a circular cylinder (disk).

    ``Nz = (2a/t) int_0^inf J1(u)^2 (1 - exp(-u t/a)) / u^2 du`` with a the radius, and
    ``Nx = Ny = (1 - Nz)/2``.
    """
    for name, v in (("diameter", diameter), ("t", t)):
        check_real(name, v, 0.0, 1e-3, lo_open=True, unit="m")
    a = diameter / 2
    nz = (2 * a / t) * _j1_integral(lambda u, s: (1.0 - np.exp(-u * s)) / u**2, t / a, 2)
    nxy = (1.0 - nz) / 2
    return nxy, nxy, nz


@dataclass(frozen=True, kw_only=True)
class DeviceParams:
    """A macrospin MTJ: perpendicular free layer (easy axis z), in-plane fixed layer (+x).

    All fields are SI. The defaults are the calibrated device of the book (see ``methods``):
    they reproduce the paper's Delta R = 114 Ohm at 0.8e10 A/m^2 and 145 Ohm at 1.0e10 A/m^2.
    """

    diameter_x: float = 40e-9
    """Free-layer extent along x, m (the diameter of a disk)."""
    diameter_y: float = 40e-9
    """Free-layer extent along y, m; equal to ``diameter_x`` for a disk."""
    thickness: float = 1.0e-9
    """Free-layer thickness t, m."""
    ms: float = 0.8e6
    """Saturation magnetisation Ms, A/m."""
    ku: float = 3.9438e5
    """Perpendicular (z) uniaxial anisotropy constant Ku, J/m^3 (> 0; the kernels also need
    m = z to be a stable equilibrium: Ku above the shape anisotropy, see
    :meth:`DeviceParams.check_perpendicular`)."""
    alpha: float = 0.015
    """Gilbert damping, dimensionless, in (0, 1)."""
    polarization: float = 0.70
    """Current spin polarisation P, dimensionless, in (0, 1]."""
    slonczewski_lambda: float = 0.60545
    """Slonczewski asymmetry parameter Lambda, dimensionless, in (0, 1]."""
    beta: float = 0.0
    """Non-adiabaticity of the torque (field-like term), dimensionless, in [0, 1)."""
    tmr: float = 1.92
    """Tunnel magnetoresistance ratio (R_AP - R_P)/R_P, dimensionless (1.92 = 192 %)."""
    r0: float = 11.05e3
    """Resistance at m perpendicular to m_p (the equilibrium state), Ohm."""

    def __post_init__(self):
        check_real("diameter_x", self.diameter_x, 0, 1e-5, lo_open=True, unit="m")
        check_real("diameter_y", self.diameter_y, 0, 1e-5, lo_open=True, unit="m")
        check_real("thickness", self.thickness, 0, 1e-7, lo_open=True, unit="m")
        check_real("ms", self.ms, 0, 1e7, lo_open=True, unit="A/m")
        check_real("ku", self.ku, 0, 1e8, lo_open=True, unit="J/m^3")
        check_real("alpha", self.alpha, 0, 1, lo_open=True, hi_open=True, unit="")
        check_real("polarization", self.polarization, 0, 1, lo_open=True, unit="")
        check_real("slonczewski_lambda", self.slonczewski_lambda, 0, 1, lo_open=True, unit="")
        check_real("beta", self.beta, 0, 1, lo_open=False, hi_open=True, unit="")
        check_real("tmr", self.tmr, 0, 100, lo_open=True, unit="")
        check_real("r0", self.r0, 0, 1e12, lo_open=True, unit="Ohm")

    def replace(self, **changes) -> DeviceParams:
        """A copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)

    # Derived quantities -------------------------------------------------------------------
    @property
    def area(self) -> float:
        """Free-layer (and junction) cross-section, m^2 (an ellipse)."""
        return math.pi * self.diameter_x * self.diameter_y / 4

    @property
    def volume(self) -> float:
        """Free-layer volume, m^3 (elliptic cylinder)."""
        return self.area * self.thickness

    @property
    def demag_factors(self) -> tuple[float, float, float]:
        """(Nx, Ny, Nz), exact for a disk, quadrature for an elliptic cylinder."""
        if self.diameter_x == self.diameter_y:
            return demag_cylinder(self.diameter_x, self.thickness)
        return demag_elliptic_cylinder(self.diameter_x / 2, self.diameter_y / 2, self.thickness)

    @property
    def field_coefficients(self) -> tuple[float, float, float]:
        """(cx, cy, cz) in tesla such that the effective field is B = (cx m_x, cy m_y, cz m_z)."""
        nx, ny, nz = self.demag_factors
        mu0ms = MU0 * self.ms
        return -mu0ms * nx, -mu0ms * ny, 2 * self.ku / self.ms - mu0ms * nz

    @property
    def b_perp_eff(self) -> float:
        """Effective perpendicular field at m = z, T: 2Ku/Ms - mu0 Ms (Nz - Nx)."""
        cx, _, cz = self.field_coefficients
        return cz - cx

    @property
    def torque_per_current(self) -> float:
        """tau / j = GAMMA hbar P / (e Ms t), in (1/s) per (A/m^2)."""
        return GAMMA * HBAR * self.polarization / (E_CHARGE * self.ms * self.thickness)

    @property
    def p_tmr(self) -> float:
        """Julliere-type spin polarisation of the resistance, TMR/(2+TMR)."""
        return self.tmr / (2 + self.tmr)

    def resistance(self, mx):
        """R(m) = R0 / (1 + p_T m.m_p), Ohm; ``mx`` = m.m_p in [-1, 1] (scalar or array)."""
        check_array("mx", mx, lo=-1.0, hi=1.0)
        return self.r0 / (1 + self.p_tmr * np.asarray(mx))

    def check_perpendicular(self, name: str = "device") -> None:
        """Raise ValueError unless m = z is a stable equilibrium (both transverse stiffnesses
        cz - cx and cz - cy > 0): the paper's Delta R starts there, and an in-plane device has
        no Kittel frequency. ``name`` is how the caller spelled the device in the message."""
        cx, cy, cz = self.field_coefficients
        stiff = min(cz - cx, cz - cy)
        if not stiff > 0:
            nx, ny, nz = self.demag_factors
            ku_min = MU0 * self.ms**2 * (nz - min(nx, ny)) / 2
            raise ValueError(
                f"{name}: m = z is not a stable equilibrium of this device (transverse "
                f"stiffness {stiff:.4g} T <= 0: ku={self.ku!r} J/m^3 is below the shape "
                f"anisotropy of a {self.diameter_x * 1e9:g} x {self.diameter_y * 1e9:g} x "
                f"{self.thickness * 1e9:g} nm free layer); the model needs a perpendicular "
                f"device: ku > {ku_min:.6g} J/m^3 at ms={self.ms!r} A/m")

    def kittel_frequency(self) -> float:
        """Small-angle precession frequency about z at j = 0, Hz: (gamma/2pi) sqrt(Bx By).

        With Bx = cz - cx and By = cz - cy (the stiffnesses of the two transverse directions).
        Raises ValueError if m = z is not a stable equilibrium (:meth:`check_perpendicular`).
        """
        self.check_perpendicular()
        cx, cy, cz = self.field_coefficients
        return GAMMA / (2 * math.pi) * math.sqrt((cz - cx) * (cz - cy))

    def thermal_stability(self, temperature: float = 300.0) -> float:
        """Energy barrier over k_B T: Delta = B_perp_eff Ms V / (2 k_B T); temperature in K."""
        check_real("temperature", temperature, 0.0, 1e4, lo_open=True, unit="K")
        return self.b_perp_eff * self.ms * self.volume / (2 * K_B * temperature)


def default_device() -> DeviceParams:
    """The calibrated device of the book (40 nm disk, t = 1 nm; see the methods page)."""
    return DeviceParams()
