"""The micromagnetic check's analysis (no PyTorch): the trace numbers, the mesh extrapolation and
the MM row's rule."""

import math

import numpy as np
import pytest

from mtjbook.claims import table as C
from mtjbook.micromag import analysis as M
from mtjlib.physics.delta_r_rules import delta_r
from mtjlib.physics.device import default_device

DT = 0.5e-12


def test_delta_r_of_the_macrospin_trace_is_the_librarys():
    dev = default_device()
    for j in (0.8e10, 1.0e10):
        mx = M.macrospin_mx(dev, j, 1.5e-9, DT)
        assert M.delta_r_paper(dev, mx) == pytest.approx(float(delta_r(dev, j)[0]), abs=1e-6)


def test_oscillation_recovers_a_damped_cosine():
    dev = default_device()
    t = np.arange(3001) * DT
    f, lam = 2.5e9, 0.4e9  # Hz, 1/s
    mx = 0.01 + 0.012 * np.exp(-lam * t) * np.cos(2 * np.pi * f * t + 0.3)
    # R is not linear in m_x: the fit of R sees a small second harmonic, no shift of f
    got = M.oscillation(mx, DT, dev)
    assert got["frequency_ghz"] == pytest.approx(2.5, rel=1e-3)
    assert got["decay_per_ns"] == pytest.approx(0.4, rel=2e-2)


def test_oscillation_needs_an_oscillation():
    with pytest.raises(ValueError, match="fewer than two maxima"):
        M.oscillation(np.linspace(0, 0.01, 100), DT, default_device())
    with pytest.raises(ValueError, match="dt="):
        M.oscillation(np.zeros(100), 1.0, default_device())
    with pytest.raises(ValueError, match="mx must be"):
        M.oscillation([0.0, float("nan")] * 10, DT, default_device())


@pytest.mark.parametrize("p", [1, 2])
def test_extrapolate_brackets_the_order(p):
    h = np.array([2.5, 1.6667, 1.25])
    y = 140.0 - 4.0 * h**p
    got = M.extrapolate(h, y)
    assert got[f"y0_p{p}"] == pytest.approx(140.0)
    assert got["value"] - got["uncertainty"] <= 140.0 <= got["value"] + got["uncertainty"]
    assert got["finest"] == pytest.approx(y[-1])


def test_extrapolate_refuses_too_few_meshes():
    with pytest.raises(ValueError, match="three distinct"):
        M.extrapolate([2.5, 1.25], [1.0, 2.0])
    with pytest.raises(ValueError, match="same length"):
        M.extrapolate([2.5, 1.25, 1.0], [1.0, 2.0])


def _mm_value(dr08, dr10, unc=0.0):
    row = {"micromag": 0.0, "uncertainty": unc, "macrospin": 0.0}
    return {"delta_r_ohm": {"0.8e10": {**row, "micromag": dr08, "macrospin": 114.0},
                            "1.0e10": {**row, "micromag": dr10, "macrospin": 145.0}},
            "frequency_ghz": {"0.8e10": {**row, "micromag": 2.5, "macrospin": 2.5},
                              "1.0e10": {**row, "micromag": 2.5, "macrospin": 2.5}}}


def test_mm_rule_counts_the_uncertainty():
    tol = C.TOLERANCES["micromag_rel"]
    assert C.CLAIMS["MM"].model_check
    assert C.CLAIMS["MM"].holds(_mm_value(114.0 * (1 + 0.5 * tol), 145.0))
    assert not C.CLAIMS["MM"].holds(_mm_value(114.0 * (1 + 1.5 * tol), 145.0))
    # inside the tolerance, but not once the extrapolation uncertainty is added
    assert not C.CLAIMS["MM"].holds(_mm_value(114.0 * (1 + 0.5 * tol), 145.0, unc=2.0))
    assert not C.CLAIMS["MM"].holds(_mm_value(math.nan, 145.0))
