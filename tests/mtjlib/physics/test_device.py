import dataclasses
import math

import numpy as np
import pytest

from mtjlib.physics.device import (
    MU0,
    DeviceParams,
    default_device,
    demag_cylinder,
    demag_elliptic_cylinder,
)


def test_thin_disk_demag_matches_design_values():
    nx, ny, nz = demag_cylinder(40e-9, 1e-9)
    assert nx == ny
    assert nz == pytest.approx(0.9272, abs=1e-4)
    assert nx + ny + nz == pytest.approx(1.0, abs=1e-12)


def test_cylinder_of_aspect_ratio_one():
    # Magnetometric factor of a cylinder with length = diameter (Chen, Brug, Goldfarb 1991): 0.3116.
    assert demag_cylinder(1e-6, 1e-6)[2] == pytest.approx(0.3116, abs=2e-4)


def test_elliptic_cylinder_reduces_to_disk_and_sums_to_one():
    circ = demag_cylinder(40e-9, 1e-9)
    ell = demag_elliptic_cylinder(20e-9, 20e-9, 1e-9)
    assert np.allclose(ell, circ, atol=2e-5)
    nx, ny, nz = demag_elliptic_cylinder(30e-9, 15e-9, 2e-9)
    assert nx + ny + nz == pytest.approx(1.0, abs=2e-5)
    assert nx < ny < nz  # the long axis is the easiest to magnetise


def test_default_device_effective_field_and_frequency():
    d = default_device()
    assert d.b_perp_eff == pytest.approx(0.090, abs=1e-3)  # T, DESIGN.md: "about 0.090 T"
    _, _, cz = d.field_coefficients
    assert cz == pytest.approx(2 * d.ku / d.ms - MU0 * d.ms * d.demag_factors[2])
    assert d.kittel_frequency() == pytest.approx(2.53e9, rel=5e-3)  # DESIGN.md: "about 2.53 GHz"


@pytest.mark.parametrize("field,value", [
    ("diameter_x", -40e-9), ("thickness", 0.0), ("alpha", 0.0), ("alpha", 1.0),
    ("slonczewski_lambda", 0.0), ("slonczewski_lambda", 1.2), ("ms", math.nan),
    ("polarization", 1.5), ("r0", -1.0), ("ku", math.inf), ("beta", 1.0),
])
def test_validation_names_field_value_and_range(field, value):
    with pytest.raises(ValueError) as err:
        DeviceParams(**{field: value})
    msg = str(err.value)
    assert field in msg and repr(value) in msg and "range" in msg


def test_type_errors_and_keyword_only():
    with pytest.raises(TypeError, match="alpha"):
        DeviceParams(alpha="0.1")
    with pytest.raises(TypeError):
        DeviceParams(40e-9)  # keyword-only


def test_frozen_and_replace_revalidates():
    d = default_device()
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.alpha = 0.1
    assert d.replace(alpha=0.02).alpha == 0.02
    with pytest.raises(ValueError, match="alpha"):
        d.replace(alpha=2.0)


def test_area_and_volume_of_an_elliptic_free_layer():
    dev = default_device().replace(diameter_x=60e-9, diameter_y=30e-9, thickness=2e-9)
    assert dev.area == pytest.approx(math.pi * 30e-9 * 15e-9, rel=1e-15)
    assert dev.volume == pytest.approx(dev.area * 2e-9, rel=1e-15)
