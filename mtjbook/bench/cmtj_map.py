"""One mapping of our device (:class:`mtjlib.physics.device.DeviceParams`) onto a cmtj ``Junction``.

cmtj (PyPI ``cmtj``, an independent C++ macrospin solver) is the peer of the benchmark
(:mod:`mtjbook.bench.llg`) and the reference of ``tests/mtjbook/bench/test_cmtj_map.py``; both build their junctions
here. How our model maps onto cmtj 1.15 (read from its ``core/junction.hpp``):

* cmtj works with fields H in A/m and a gyromagnetic ratio ``GYRO`` in m/(A s):
  dm/dt = -GYRO/(1+a^2) [m x H + a m x (m x H)] + STT terms. Its layer ``Ms`` is mu0 Ms in tesla;
  the anisotropy field is 2 K (m.u) u / Ms_T (A/m) and the demagnetising field N m Ms_T / mu0_c
  (A/m), mu0_c being cmtj's permeability constant. We pass Ms_T = mu0_c Ms, K = Ku, u = z and our
  exact (Nx, Ny, Nz) as a diagonal tensor.
* Slonczewski layer (``createSTTLayer``): with a_J = hbar j / (e Ms_T t) and
  eta = P Lambda^2 / (Lambda^2 + 1 + (Lambda^2 - 1) m.p), cmtj adds, already in Landau-Lifshitz
  form, (GYRO a_J eta)/(1+a^2) [-m x (m x p) + beta_c m x p]. Our equation in Gilbert form,
  T = -gamma m x B + tau eps m x (p x m) - beta tau m x p, solved as (1+a^2) dm/dt = T + a m x T,
  expands (|m| = 1) to -(tau eps + a beta tau) m x (m x p) + (a tau eps - beta tau) m x p. So
  with our beta = 0 the two agree when cmtj's ``beta`` = alpha, ``spinPolarisation`` = P,
  ``SlonczewskiSpacerLayerParameter`` = Lambda and GYRO / mu0 = gamma. For beta != 0 they
  coincide at Lambda = 1 with P_c = P (1 + 2 a beta), beta_c = (a - 2 beta) / (1 + 2 a beta)
  (pass ``polarization`` and ``beta_c``).
* Constants: cmtj's defaults (GYRO = 220880 m/(A s), mu0_c = 1.2566e-6 T m/A) give a gamma
  0.176 % below ours; :func:`cmtj_constants` sets ours (or cmtj's) for a block and restores them.
* cmtj's RK4 is classical RK4 with |m| renormalised after each step, like ours. With
  ``writeFrequency = timeStep`` it logs the state *after* every step and runs
  int(totalTime/timeStep) steps, so :func:`cmtj_trace` asks for (n + 1/2) dt to get exactly n.
"""

from __future__ import annotations

import contextlib
import math
import numbers

import numpy as np

from mtjlib.physics.device import E_CHARGE, GAMMA, HBAR, MU0, DeviceParams


def _check_real(name: str, value, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}={value!r} must be a real number")
    v = float(value)
    if not math.isfinite(v) or (positive and v <= 0):
        rng = "(0, inf)" if positive else "a finite value"
        raise ValueError(f"{name}={value!r} is outside the allowed range {rng}")
    return v


def _unit(m0) -> np.ndarray:
    m = np.asarray(m0, dtype=float)
    if m.shape != (3,) or not np.all(np.isfinite(m)) or np.linalg.norm(m) == 0:
        raise ValueError(f"m0={m0!r} must be a finite, non-zero 3-vector")
    return m / np.linalg.norm(m)


@contextlib.contextmanager
def cmtj_constants(constants: str = "ours"):
    """Within the block cmtj uses our constants (``"ours"``) or its own (``"cmtj"``).

    Yields cmtj's ``PhysicalConstants``; the values in force before the block are restored after.
    """
    if constants not in ("ours", "cmtj"):
        raise ValueError(f"constants={constants!r} must be 'ours' or 'cmtj'")
    import cmtj

    pc = cmtj.constants.PhysicalConstants
    saved = (pc.magnetic_permeability(), pc.gyromagnetic_ratio(), pc.hbar(),
             pc.elementary_charge())
    try:
        if constants == "ours":
            pc.set_magnetic_permeability(MU0)
            pc.set_gyromagnetic_ratio(GAMMA * MU0)
            pc.set_hbar(HBAR)
            pc.set_elementary_charge(E_CHARGE)
        else:
            pc.resetToDefaults()
        yield pc
    finally:
        pc.set_magnetic_permeability(saved[0])
        pc.set_gyromagnetic_ratio(saved[1])
        pc.set_hbar(saved[2])
        pc.set_elementary_charge(saved[3])


def cmtj_junction(device: DeviceParams, j: float, m0=(0.0, 0.0, 1.0), *,
                  polarization: float | None = None, beta_c: float | None = None,
                  demag_scale: float = 1.0):
    """A cmtj ``Junction`` of one Slonczewski layer equivalent to ``device`` at current ``j``.

    Parameters
    ----------
    device : DeviceParams
        Our device (SI units).
    j : float
        Current density, A/m^2 (constant driver).
    m0 : sequence of 3 floats
        Initial free-layer direction (normalised here).
    polarization, beta_c : float, optional
        cmtj's ``spinPolarisation`` and ``beta``; default P and alpha (our beta = 0 mapping).
    demag_scale : float
        Factor on the demagnetising tensor (``mu0 / mu0_c`` keeps our demag field under cmtj's
        own constants).

    Returns
    -------
    cmtj.Junction
        Built with cmtj's constants in force at the call (see :func:`cmtj_constants`).
    """
    if not isinstance(device, DeviceParams):
        raise TypeError(f"device={device!r} must be a mtjlib.physics.device.DeviceParams")
    j = _check_real("j", j)
    m = _unit(m0)
    demag_scale = _check_real("demag_scale", demag_scale, positive=True)
    pol = device.polarization if polarization is None else _check_real("polarization",
                                                                        polarization)
    beta = device.alpha if beta_c is None else _check_real("beta_c", beta_c)
    import cmtj
    from cmtj import CVector, Junction, Layer, constantDriver

    mu0_c = cmtj.constants.PhysicalConstants.magnetic_permeability()
    nx, ny, nz = (demag_scale * f for f in device.demag_factors)
    demag = [CVector(nx, 0.0, 0.0), CVector(0.0, ny, 0.0), CVector(0.0, 0.0, nz)]
    area = math.pi * device.diameter_x * device.diameter_y / 4
    layer = Layer.createSTTLayer(
        "free", CVector(*m), CVector(0.0, 0.0, 1.0), mu0_c * device.ms, device.thickness,
        area, demag, damping=device.alpha,
        SlonczewskiSpacerLayerParameter=device.slonczewski_lambda, beta=beta,
        spinPolarisation=pol)
    layer.setReferenceLayer(CVector(1.0, 0.0, 0.0))  # m_p = +x
    junction = Junction([layer])
    junction.setLayerAnisotropyDriver("free", constantDriver(device.ku))
    junction.setLayerCurrentDriver("free", constantDriver(j))
    return junction


def cmtj_trace(device: DeviceParams, j: float, n_steps: int, dt: float, m0=(0.0, 0.0, 1.0),
               constants: str = "ours", polarization: float | None = None,
               beta_c: float | None = None) -> np.ndarray:
    """cmtj's trajectory of ``device`` under current density ``j``: (n_steps + 1, 3), m0 first.

    Parameters
    ----------
    n_steps : int
        RK4 steps (>= 1).
    dt : float
        Time step, s (> 0).
    constants : {"ours", "cmtj"}
        ``"cmtj"`` keeps cmtj's own constants; then Ms_T = mu0_c Ms and the demag tensor is
        scaled by mu0/mu0_c so that the only difference left is gamma (a rescaling of time).

    Other parameters are those of :func:`cmtj_junction`.
    """
    if isinstance(n_steps, bool) or not isinstance(n_steps, numbers.Integral) or n_steps < 1:
        raise ValueError(f"n_steps={n_steps!r} must be an int >= 1")
    dt = _check_real("dt", dt, positive=True)
    m = _unit(m0)
    with cmtj_constants(constants) as pc:
        scale = 1.0 if constants == "ours" else MU0 / pc.magnetic_permeability()
        junction = cmtj_junction(device, j, m, polarization=polarization, beta_c=beta_c,
                                 demag_scale=scale)
        junction.runSimulation((n_steps + 0.5) * dt, dt, dt)
        log = junction.getLog()
    traj = np.column_stack([log["free_mx"], log["free_my"], log["free_mz"]])
    if traj.shape != (n_steps, 3):
        raise RuntimeError(f"cmtj logged {traj.shape[0]} steps, expected {n_steps}")
    return np.vstack([m, traj])
