"""Trace-for-trace agreement of mtjlib's macrospin solver with cmtj, an independent C++ solver.

The mapping of our device onto cmtj 1.15 (constants, Slonczewski layer, field-like torque, the
logging convention) is written once, in :mod:`mtjbook.bench.cmtj_map`, and shared with the benchmark.
Our constants are set in cmtj for the main tests (and cmtj's restored after); a separate test
keeps cmtj's defaults and shows the difference is exactly a rescaling of time.

Tolerance: both codes then apply the same discrete map (same tableau, dt, renormalisation and
constants), so they differ only by floating-point rounding order: observed 1e-15 for the
small-angle precession of the paper's device and up to 1e-10 for a 45-degree start. We require
max |m_ours - m_cmtj| < 1e-9 (and Delta R within 1e-6 Ohm). A real mismatch is orders of
magnitude larger: a gamma off by 1e-4 relative, or cmtj's beta left at alpha when our beta != 0,
gives 1e-5 to 1e-2.

If cmtj is not installed the comparisons are skipped; the stored reference traces in
``tests/golden/cmtj_traces.npz`` (cmtj output, every 10th step) are still checked. Regenerate them
with ``PYTHONPATH=. python tests/mtjbook/bench/test_cmtj_map.py`` (from the repository root).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from mtjbook.bench.cmtj_map import cmtj_trace
from mtjlib.physics.delta_r_rules import delta_r_from_trace
from mtjlib.physics.device import GAMMA, DeviceParams, default_device
from mtjlib.physics.llg import simulate_trace

DT = 0.5e-12
N_STEPS = 3000  # 1.5 ns
TOL_M = 1e-9
TOL_DR = 1e-6  # Ohm
GOLDEN = Path(__file__).resolve().parents[2] / "golden" / "cmtj_traces.npz"
GOLDEN_STRIDE = 10

#: A second geometry: elliptic 60 x 30 nm, t = 1.5 nm, other Ms, Ku, alpha, P and Lambda.
ELLIPSE = DeviceParams(diameter_x=60e-9, diameter_y=30e-9, thickness=1.5e-9, ms=1.0e6, ku=7.0e5,
                       alpha=0.02, polarization=0.6, slonczewski_lambda=0.8)
TILTED = (0.3, -0.2, 0.93)

#: Cases stored as golden traces: name -> (device, j, m0).
GOLDEN_CASES = {
    "default_j0.9e10": (default_device(), 0.9e10, (0.0, 0.0, 1.0)),
    "ellipse_j2e10_tilted": (ELLIPSE, 2e10, TILTED),
}


def _compare(device, j, m0=(0.0, 0.0, 1.0), **kw):
    ours = simulate_trace(device, j, N_STEPS * DT, DT, m0=m0)
    theirs = cmtj_trace(device, j, N_STEPS, DT, m0=m0, **kw)
    err = float(np.abs(ours.m - theirs).max())
    dr_ours = delta_r_from_trace(ours.resistance)
    dr_theirs = delta_r_from_trace(device.resistance(theirs[:, 0]))
    return err, dr_ours, dr_theirs, ours


@pytest.mark.parametrize("j", [0.9e10, 3.0e10])
def test_default_device_matches_cmtj(j):
    pytest.importorskip("cmtj")
    err, dr_ours, dr_theirs, ours = _compare(default_device(), j)
    assert np.ptp(ours.m[:, 0]) > 1e-2  # a real precession, not a trivial trace
    assert err < TOL_M, f"max |m_ours - m_cmtj| = {err:.3g}"
    assert dr_ours > 50
    assert abs(dr_ours - dr_theirs) < TOL_DR


@pytest.mark.parametrize("j, m0", [(1.0e10, (0.0, 0.0, 1.0)), (2.0e10, TILTED)])
def test_elliptic_device_matches_cmtj(j, m0):
    pytest.importorskip("cmtj")
    assert ELLIPSE.demag_factors[0] < ELLIPSE.demag_factors[1]  # really anisotropic in-plane
    err, dr_ours, dr_theirs, ours = _compare(ELLIPSE, j, m0)
    assert np.ptp(ours.m[:, 0]) > 5e-3
    assert err < TOL_M, f"max |m_ours - m_cmtj| = {err:.3g}"
    assert abs(dr_ours - dr_theirs) < TOL_DR


@pytest.mark.parametrize("beta", [0.1, 0.3])
def test_field_like_torque_matches_cmtj(beta):
    """beta != 0 at Lambda = 1, with the mapping P_c = P (1 + 2 a beta), beta_c = (a-2b)/(1+2ab)."""
    pytest.importorskip("cmtj")
    dev = ELLIPSE.replace(slonczewski_lambda=1.0, beta=beta)
    a = dev.alpha
    err, *_ = _compare(dev, 2e10, polarization=dev.polarization * (1 + 2 * a * beta),
                       beta_c=(a - 2 * beta) / (1 + 2 * a * beta))
    assert err < TOL_M, f"max |m_ours - m_cmtj| = {err:.3g}"
    # The test has teeth: the beta = 0 mapping (cmtj beta = alpha) is visibly wrong here.
    naive, *_ = _compare(dev, 2e10)
    assert naive > 1e-3


def test_cmtj_default_constants_differ_by_a_time_rescaling():
    """With cmtj's own constants, cmtj at step k equals ours with dt' = dt gamma_c / gamma."""
    cmtj = pytest.importorskip("cmtj")
    pc = cmtj.constants.PhysicalConstants
    pc.resetToDefaults()
    gamma_c = pc.gyromagnetic_ratio() / pc.magnetic_permeability()
    assert abs(gamma_c / GAMMA - 1 + 0.00176) < 1e-4  # cmtj's gamma is 0.176 % below ours
    dev, j = default_device(), 0.9e10
    theirs = cmtj_trace(dev, j, N_STEPS, DT, constants="cmtj")
    unscaled = simulate_trace(dev, j, N_STEPS * DT, DT)
    dt_scaled = DT * gamma_c / GAMMA
    scaled = simulate_trace(dev, j, N_STEPS * dt_scaled, dt_scaled)
    assert np.abs(unscaled.m - theirs).max() > 1e-4  # the 0.18 % in gamma is visible...
    assert np.abs(scaled.m - theirs).max() < TOL_M  # ...and is all there is (hbar, e: 1e-8)


def test_golden_traces():
    """Our kernel against stored cmtj output (runs without cmtj)."""
    with np.load(GOLDEN, allow_pickle=False) as z:
        stored = {k: z[k] for k in z.files}
    for name, (device, j, m0) in GOLDEN_CASES.items():
        ours = simulate_trace(device, j, N_STEPS * DT, DT, m0=m0)
        ref = stored[name]
        assert ref.shape == (N_STEPS // GOLDEN_STRIDE + 1, 3)
        err = np.abs(ours.m[::GOLDEN_STRIDE] - ref).max()
        assert err < TOL_M, f"{name}: max |m_ours - m_cmtj(stored)| = {err:.3g}"


def write_golden() -> None:
    """Recompute the stored cmtj traces (needs cmtj)."""
    import cmtj

    out = {name: cmtj_trace(device, j, N_STEPS, DT, m0)[::GOLDEN_STRIDE]
           for name, (device, j, m0) in GOLDEN_CASES.items()}
    out["cmtj_version"] = np.array(cmtj.__version__ if hasattr(cmtj, "__version__")
                                   else cmtj._version.__version__)
    GOLDEN.parent.mkdir(exist_ok=True)
    np.savez_compressed(GOLDEN, **out)
    print(f"wrote {GOLDEN}")


if __name__ == "__main__":
    write_golden()
