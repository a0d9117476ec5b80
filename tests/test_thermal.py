"""Thermal noise of the neuron (S2): Boltzmann starts, the noise law, the calibration, the
stochastic lookup neuron against the thermal LLG neuron in the loop, clear errors."""

import math
import warnings

import numpy as np
import pytest

from mtjlib import thermal
from mtjlib.activation import StochasticLookupNeuron
from mtjlib.device import default_device
from mtjlib.llg import coefficients, simulate_batch
from mtjlib.network import NOISE_WARN_F, build_network

DEV = default_device()


def test_boltzmann_start_matches_the_well_distribution():
    """<1 - m_z^2> under p(m_z) ~ exp(Delta m_z^2) on [0, 1] by quadrature (Delta = 11 at
    300 K): 20000 samples agree within 4 standard errors; |m| = 1; T = 0 gives m = z."""
    delta = DEV.thermal_stability(300.0)
    assert 10.5 < delta < 11.5
    mz = np.linspace(0.0, 1.0, 200_001)
    w = np.exp(delta * (mz**2 - 1.0))
    want = np.trapezoid((1 - mz**2) * w, mz) / np.trapezoid(w, mz)
    m = thermal.boltzmann_start(DEV, 300.0, 20_000, seed=1)
    assert np.allclose(np.linalg.norm(m, axis=0), 1.0)
    assert np.all(m[2] > 0)
    got = 1 - m[2] ** 2
    assert abs(got.mean() - want) < 4 * got.std() / math.sqrt(len(got))
    # azimuth uniform: <m_x^2> = <m_y^2>
    assert abs(np.mean(m[0] ** 2) / np.mean(m[1] ** 2) - 1) < 0.05
    assert np.array_equal(thermal.boltzmann_start(DEV, 0.0, 3), np.array([[0.0] * 3, [0.0] * 3,
                                                                          [1.0] * 3]))


def test_single_shot_spread_scales_as_sqrt_t_and_is_continuous():
    """Additive small-amplitude noise: sigma(Delta R) proportional to sqrt(T) while it is small
    against the signal (T = 1e-3 to 1e-1 K); fitted exponent 0.5 +/- 0.05 (sampling error of
    each sigma with 400 trials: 3.5 %). T -> 0 gives the deterministic rule's value."""
    ts = np.array([1e-3, 1e-2, 1e-1])
    s = np.array([thermal.delta_r_samples(DEV, t, [0.9e10], 400, seed=2)[0].std() for t in ts])
    law = thermal.fit_noise_law(ts, s)
    assert abs(law.t_exponent - 0.5) < 0.05, law
    det = thermal.delta_r_samples(DEV, 0.0, [0.9e10], 2, rule="fit")[0]
    low = thermal.delta_r_samples(DEV, 1e-6, [0.9e10], 50, seed=3)[0]
    assert abs(low.mean() / det[0] - 1) < 1e-3


def test_fit_noise_law_recovers_known_exponents():
    t = np.array([1.0, 10.0, 100.0, 1.0, 10.0, 100.0])
    v = np.array([1.0, 1.0, 1.0, 4.0, 4.0, 4.0]) * 1e-24
    law = thermal.fit_noise_law(t, 3.0 * np.sqrt(t) * (v / 1e-24) ** -0.5, v)
    assert law.t_exponent == pytest.approx(0.5)
    assert law.v_exponent == pytest.approx(-0.5)
    assert law.prefactor == pytest.approx(3.0)


def test_calibration_is_cached_and_stochastic_neuron_reproduces_it():
    cal = thermal.noise_calibration(DEV, 0.01, x=[0.0, 0.5, 1.0], seed=4)
    again = thermal.noise_calibration(DEV, 0.01, x=[0.0, 0.5, 1.0], seed=4)
    assert again.meta["from_cache"] and np.array_equal(cal.dr_std, again.dr_std)
    # sigma_F at 0.01 K: about 6-10 Ohm over the 31 Ohm range (sqrt(T) from ~1 kOhm at 300 K)
    assert np.all((0.1 < cal.f_sigma) & (cal.f_sigma < 0.5))
    assert np.allclose(cal.f_mean, [0.0, 0.5, 1.0], atol=0.1)
    net = build_network(n=6, seed=5, neuron_mode="stochastic", temperature=0.01)
    assert isinstance(net.neuron, StochasticLookupNeuron)
    x = np.full(6, 0.5)
    r = np.array([net.rates(x) for _ in range(2000)])
    f_mid = np.interp(0.5, net.neuron.tab_x[0], net.neuron.tab_f[0])
    s_mid = np.interp(0.5, net.neuron.tab_x[0], net.neuron.tab_sigma[0])
    assert abs(r.mean() - f_mid) < 4 * s_mid / math.sqrt(r.size)
    assert abs(r.std() / s_mid - 1) < 0.03
    # same seed, same bits; T = 0 is the lookup neuron exactly
    net2 = build_network(n=6, seed=5, neuron_mode="stochastic", temperature=0.01)
    assert np.array_equal(np.array([net2.rates(x) for _ in range(2000)]), r)
    a = build_network(n=6, seed=5, neuron_mode="stochastic")
    b = build_network(n=6, seed=5)
    assert np.array_equal(a.rates(), b.rates())


def test_stochastic_lookup_agrees_with_thermal_llg_in_the_loop():
    """N = 40 at 0.01 K (sigma_F ~ 0.3), the same weights and start, no training: 60 steps of
    the network with the thermal LLG neuron and with the stochastic lookup. The residual of each
    rate about the deterministic F of its drive has the same spread (within 8 %; 2400 samples
    each, standard error of a spread 1.4 %) and mean (within 0.05 F units)."""
    out = {}
    for mode in ("llg", "stochastic"):
        net = build_network(n=40, seed=7, neuron_mode=mode, temperature=0.01)
        run = net.run(60)
        x = np.clip(run.x, 0.0, 1.0)
        det = np.array([np.interp(x[:, i], net.tab_x[i], net.tab_f[i]) for i in range(40)]).T
        out[mode] = (run.r - det).ravel()
    d_llg, d_sto = out["llg"], out["stochastic"]
    assert abs(d_sto.std() / d_llg.std() - 1) < 0.08, (d_sto.std(), d_llg.std())
    assert abs(d_sto.mean() - d_llg.mean()) < 0.05


def test_build_network_warns_when_noise_leaves_the_normalised_range():
    with pytest.warns(RuntimeWarning, match="not usable"):
        build_network(n=4, seed=1, neuron_mode="stochastic", temperature=300.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        build_network(n=4, seed=1, neuron_mode="stochastic", temperature=1e-4)
    assert NOISE_WARN_F == 0.5


def test_linewidth_stand_in():
    """FMR linewidth 2 alpha f_K ~ 76 MHz; phase spread sqrt(2 pi df t): 0.69 rad at 50 MHz
    over 1.5 ns (the notes' numbers)."""
    assert thermal.fmr_linewidth(DEV) == pytest.approx(76e6, rel=0.02)
    assert thermal.phase_spread(50e6) == pytest.approx(0.686, abs=0.002)


@pytest.mark.parametrize("call, match", [
    (lambda: thermal.noise_calibration(DEV, 0.0), "temperature"),
    (lambda: thermal.noise_calibration(DEV, -1.0), "temperature"),
    (lambda: thermal.noise_calibration(DEV, math.nan), "temperature"),
    (lambda: thermal.noise_calibration(DEV, 1.0, n_trials=50), "n_trials"),
    (lambda: thermal.delta_r_samples(DEV, 1.0, [0.9e10], 0), "n_trials"),
    (lambda: thermal.delta_r_samples(DEV, 1e5, [0.9e10], 5), "temperature"),
    (lambda: thermal.delta_r_samples(DEV, 1.0, [0.9e10], 5, start="hot"), "start"),
    (lambda: thermal.phase_spread(-1.0), "linewidth_hz"),
    (lambda: thermal.fit_noise_law([1.0, -2.0], [1.0, 2.0]), "temperature"),
    (lambda: simulate_batch(coefficients(DEV, [0.9e10]), (0, 0, 1), 1.5e-9, window=0.4e-9,
                            frequency=-2e9), "frequency"),
    (lambda: simulate_batch(coefficients(DEV, [0.9e10]), (0, 0, 1), 1.5e-9, window=0.0,
                            frequency=2e9), "window"),
    (lambda: thermal.fig2_noise_trial(40, 0, temperature=-3.0), "temperature"),
])
def test_bad_inputs_are_named(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()
