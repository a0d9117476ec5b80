"""Families of junctions of different sizes (supplementary study S1)."""

import math

import numpy as np
import pytest

from mtjlib.networks.network import NetworkParams
from mtjlib.physics.device import default_device
from mtjlib.physics.family import DeviceFamily, common_curves, device_family
from mtjlib.studies.s1_sizes import family_network, fig2_family_trial, recognition_family_trial
from mtjlib.tasks.generation import fig2_timeline, fig2_trial
from mtjlib.tasks.recognition import recognition_trial

NOM = default_device()


# The family --------------------------------------------------------------------------------

def test_counts_and_distinct_sizes():
    fam = device_family(40, 25, spread=0.125, seed=3)
    assert isinstance(fam, DeviceFamily)
    assert fam.n == 40 and len(fam.devices) == 40 and fam.k == 25
    assert len(set(fam.devices)) == 25  # exactly 25 distinct devices among 40
    assert fam.counts.sum() == 40 and fam.counts.min() >= 1 and fam.counts.max() <= 2
    # uniform: evenly spaced over 40 nm +/- 12.5 %, i.e. 35 to 45 nm
    assert np.allclose(fam.diameters_m, np.linspace(35e-9, 45e-9, 25), rtol=0, atol=1e-18)
    for dev, a in zip(fam.devices, fam.assignment):
        assert dev is fam.sizes[a]


def test_size_physics_computed_by_device():
    fam = device_family(25, 25, spread=0.125, seed=0)
    small, big = fam.sizes[0], fam.sizes[-1]
    # fixed resistance-area product: R0 scales as 1/area
    assert small.r0 == pytest.approx(NOM.r0 * (40 / 35) ** 2, rel=1e-12)
    assert big.r0 == pytest.approx(NOM.r0 * (40 / 45) ** 2, rel=1e-12)
    # a larger disk: smaller Nz - Nx, so lower perpendicular stiffness and precession frequency,
    # but a larger volume, so a larger thermal stability (notes: 102.5/80.8 mT, 9.5/12.4)
    assert small.b_perp_eff > NOM.b_perp_eff > big.b_perp_eff
    assert small.b_perp_eff == pytest.approx(0.1025, abs=1e-3)
    assert big.b_perp_eff == pytest.approx(0.0808, abs=1e-3)
    assert small.kittel_frequency() > NOM.kittel_frequency() > big.kittel_frequency()
    assert small.thermal_stability() < NOM.thermal_stability() < big.thermal_stability()
    fixed = device_family(25, 25, spread=0.125, seed=0, fixed_ra=False)
    assert all(d.r0 == NOM.r0 for d in fixed.sizes)


def test_reproducible_and_seed_dependent():
    a = device_family(40, 25, kind="normal", spread=0.05, seed=11)
    b = device_family(40, 25, kind="normal", spread=0.05, seed=np.random.default_rng(11))
    c = device_family(40, 25, kind="normal", spread=0.05, seed=12)
    assert np.array_equal(a.diameters_m, b.diameters_m)
    assert np.array_equal(a.assignment, b.assignment) and a.devices == b.devices
    assert not np.array_equal(a.diameters_m, c.diameters_m)
    # a normal spread of 5 %: the sample standard deviation of 25 draws is near 5 %
    rel = a.diameters_m / NOM.diameter_x - 1
    assert 0.02 < rel.std() < 0.09


def test_ku_spread_and_k1():
    fam = device_family(10, 4, spread=0.05, ku_spread=0.02, seed=1)
    assert len({d.ku for d in fam.sizes}) == 4
    one = device_family(40, 1, spread=0.0, seed=1)
    assert set(one.devices) == {NOM}


@pytest.mark.parametrize("kw, match", [
    ({"n": 10, "k": 11}, r"k=11 .*n=10"),
    ({"k": 0}, r"k=0"),
    ({"n": 0, "k": 1}, r"n=0"),
    ({"spread": -0.1}, r"spread=-0.1"),
    ({"spread": 1.0}, r"spread=1.0"),
    ({"spread": 0.0}, r"spread=0 .*k=1"),
    ({"spread": 0.9, "kind": "normal", "seed": 0, "k": 25}, r"diameter .*<= 0"),
    ({"kind": "lognormal"}, r"kind='lognormal'"),
    ({"ku_spread": -0.01}, r"ku_spread=-0.01"),
])
def test_invalid_input_named(kw, match):
    args = {"n": 40, "k": 25, "spread": 0.125, "seed": 0} | kw
    n, k = args.pop("n"), args.pop("k")
    with pytest.raises(ValueError, match=match):
        device_family(n, k, **args)


def test_unphysical_size_rejected():
    # a 78 nm disk of this 1 nm film with Ku down by 10 % is in-plane (B_perp,eff <= 0)
    weak = NOM.replace(ku=0.9 * NOM.ku)
    with pytest.raises(ValueError, match=r"in-plane"):
        device_family(5, 5, spread=0.95, nominal=weak, seed=0)
    with pytest.raises(TypeError, match="seed"):
        device_family(5, 5, seed=-1)


# The common normalisation -------------------------------------------------------------------

def test_common_normalisation():
    fam = device_family(3, 3, spread=0.125, seed=0, fixed_ra=False)
    curves = common_curves(fam)
    by_dev = dict(zip(fam.devices, curves))
    nom, big, small = by_dev[NOM], by_dev[fam.sizes[-1]], by_dev[fam.sizes[0]]
    # the nominal device maps exactly to [0, 1]
    assert nom(0.0) == pytest.approx(0.0, abs=1e-12) and nom(1.0) == pytest.approx(1.0, abs=1e-12)
    # at fixed R0 a larger junction precesses more (lower stiffness): above, a smaller below
    # (notes: 45 nm maps to about [0.63, 1.80], 35 nm to about [-0.58, 0.27])
    assert big(0.0) == pytest.approx(0.63, abs=0.05) and big(1.0) == pytest.approx(1.80, abs=0.05)
    assert small(0.0) == pytest.approx(-0.58, abs=0.05)
    assert small(1.0) == pytest.approx(0.27, abs=0.05)
    # every curve of one family shares one scale, so F differences are Delta R differences
    scale = nom.delta_r_max - nom.delta_r_min
    assert all(c.delta_r_min == nom.delta_r_min and c.delta_r_max == nom.delta_r_max
               for c in curves)
    assert (big(1.0) - nom(1.0)) * scale == pytest.approx(
        big.delta_r[-1] - nom.delta_r[-1], rel=1e-9)
    # the control: per-junction normalisation makes the curves nearly coincide
    ctrl = common_curves(fam, normalisation="junction")
    x = np.linspace(0, 1, 11)
    assert max(np.abs(c(x) - ctrl[0](x)).max() for c in ctrl) < 2e-3


def test_common_curves_cover_x_limits():
    fam = device_family(2, 2, spread=0.05, seed=0)
    curves = common_curves(fam, x_limits=(-0.5, 1.5))
    assert curves[0].x[0] <= -0.5 + 1e-12 and curves[0].x[-1] >= 1.5 - 1e-12
    with pytest.raises(ValueError, match="normalisation"):
        common_curves(fam, normalisation="per")
    with pytest.raises(TypeError, match=r"devices\[1\]"):
        common_curves([NOM, "x"])


# Networks of mixed devices --------------------------------------------------------------------

def test_mixed_network_llg_agrees_with_lookup():
    fam = device_family(12, 6, spread=0.125, seed=2)
    params = NetworkParams(n=12, g=1.5)
    runs = {}
    for mode in ("lookup", "llg"):
        net = family_network(params.replace(neuron_mode=mode), 4, family=fam)
        runs[mode] = net.run(30)
    f_lookup, f_llg = runs["lookup"].r, runs["llg"].r
    # the dispersion reaches the network: rates outside [0, 1] occur for some junctions
    assert f_lookup.min() < -0.05 or f_lookup.max() > 1.05
    # deterministic LLG equals the table up to its interpolation error
    assert np.abs(f_llg - f_lookup).max() < 1e-3


def test_same_seed_same_bits():
    tl = fig2_timeline(t_off1_ns=300.0, t_switch_ns=450.0, t_off2_ns=750.0, t_end_ns=900.0)
    a = fig2_family_trial(0.1, 7, timeline=tl)
    b = fig2_family_trial(0.1, 7, timeline=tl)
    c = fig2_family_trial(0.1, 8, timeline=tl)
    assert a == b
    assert a != c


def test_zero_spread_is_the_identical_network():
    tl = fig2_timeline(t_off1_ns=300.0, t_switch_ns=450.0, t_off2_ns=750.0, t_end_ns=900.0)
    ours = fig2_family_trial(0.0, 5, timeline=tl)
    ref = fig2_trial(None, 5, timeline=tl)
    assert all(ours[key] == ref[key] or (math.isnan(ours[key]) and math.isnan(ref[key]))
               for key in ref)
    assert ours["f_lo"] == 0.0 and ours["f_hi"] == 1.0
    rec = recognition_family_trial(0.0, 2, n_train=10, n_test=10)
    ref = recognition_trial(0.05, 2, n_train=10, n_test=10)
    assert rec["accuracy"] == ref["accuracy"]
    assert rec["correct_windows"] == ref["correct_windows"]


def test_task_name_checked():
    with pytest.raises(ValueError, match="name='g'"):
        fig2_family_trial(1.0, 0, name="g")
    with pytest.raises(TypeError, match="family"):
        family_network(NetworkParams(), 0, family=[NOM])


def test_every_reading_of_claim_s1_is_a_normalisation_that_runs():
    """S1's readings are the family's normalisation modes; each runs one short seed (the page's
    quick version), both coincide at spread 0 (every junction nominal) and differ at 12.5 %,
    and per-junction normalisation puts every junction's F(0) and F(1) at 0 and 1."""
    from mtjbook.claims.record import CLAIMS
    from mtjlib.physics.family import NORMALISATIONS

    ids = [r.id for r in CLAIMS["S1"].readings]
    assert set(ids) == set(NORMALISATIONS)
    tl = fig2_timeline(t_off1_ns=300.0, t_switch_ns=450.0, t_off2_ns=750.0, t_end_ns=900.0)
    zero = {n: fig2_family_trial(0.0, 5, timeline=tl, normalisation=n) for n in ids}
    wide = {n: fig2_family_trial(0.125, 5, timeline=tl, normalisation=n) for n in ids}
    assert zero["junction"] == zero["common"]
    assert wide["junction"] != wide["common"]
    assert wide["junction"]["f_lo"] == pytest.approx(0.0, abs=1e-12)
    assert wide["junction"]["f_hi"] == pytest.approx(1.0, abs=1e-12)
    assert wide["common"]["f_lo"] < -0.05 or wide["common"]["f_hi"] > 1.05
