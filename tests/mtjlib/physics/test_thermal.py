"""Thermal noise of the neuron (S2): Boltzmann starts, the noise law, the calibration, the
stochastic lookup neuron against the thermal LLG neuron in the loop, clear errors."""

import math
import warnings

import numpy as np
import pytest

from mtjlib.networks.activation import StochasticLookupNeuron
from mtjlib.networks.network import NOISE_WARN_F, build_network
from mtjlib.physics import thermal
from mtjlib.physics.device import default_device
from mtjlib.physics.llg import coefficients, simulate_batch
from mtjlib.studies import s2_phase_noise

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
    (lambda: s2_phase_noise.fig2_noise_trial(40, 0, temperature=-3.0), "temperature"),
])
def test_bad_inputs_are_named(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()


# The network study's helpers (S2 notebook) ---------------------------------------------------

def test_noise_point_trial_returns_one_metric_set_for_both_tasks():
    """Fig. 2 and recognition points give the same metric names (one sweep over both); the
    other task's metrics are NaN; nrmse_worse is the worse free run and log10_nrmse its log."""
    f = s2_phase_noise.noise_point_trial(s2_phase_noise.NoisePoint("fig2", 12, 0.0), 3)
    r = s2_phase_noise.noise_point_trial(s2_phase_noise.NoisePoint("recognition", 12, 0.0), 3)
    assert tuple(f) == tuple(r) == s2_phase_noise.POINT_METRICS
    assert f["nrmse_worse"] == max(f["nrmse_1"], f["nrmse_2"])
    assert f["log10_nrmse"] == pytest.approx(math.log10(f["nrmse_worse"]))
    assert math.isnan(f["accuracy"]) and math.isnan(r["nrmse_1"])
    assert 0.0 <= r["accuracy"] <= 1.0
    # T = 0 is the lookup neuron whatever the mode: the same numbers as fig2_trial's
    from mtjlib.tasks.generation import fig2_trial
    assert f["nrmse_1"] == fig2_trial(12, 3, name="n")["nrmse_1"]


@pytest.mark.parametrize("kw, match", [
    ({"task": "fig3"}, "task"), ({"neuron_mode": "lookup"}, "neuron_mode"),
    ({"temperature": -1.0}, "temperature"), ({"n": 0}, "n"),
])
def test_noise_point_names_bad_fields(kw, match):
    args = {"task": "fig2", "n": 40, "temperature": 1e-5} | kw
    with pytest.raises((ValueError, TypeError), match=match):
        s2_phase_noise.NoisePoint(**args)
    with pytest.raises(TypeError, match="NoisePoint"):
        s2_phase_noise.noise_point_trial((40, 1e-5), 0)


def test_fit_error_exponent_recovers_a_power_law():
    n = np.array([40, 80, 160, 320, 640, 800])
    rng = np.random.default_rng(0)
    err = 2.0 * n[:, None] ** -0.5 * np.exp(0.1 * rng.standard_normal((6, 10)))
    b, se, c = s2_phase_noise.fit_error_exponent(n, err)
    assert abs(b + 0.5) < 3 * se and se < 0.05
    assert c == pytest.approx(2.0, rel=0.2)
    with pytest.raises(ValueError, match="finite and > 0"):
        s2_phase_noise.fit_error_exponent(n, np.where(err > 0.3, 0.0, err))
    with pytest.raises(ValueError, match="distinct"):
        s2_phase_noise.fit_error_exponent([40, 40], err[:2])


def test_compare_error_distributions():
    """Identical samples: p = 1, ratio 1 inside its interval. Samples three times larger
    (30 lognormal errors each): rejected at 1 %, the ratio's interval holds 3."""
    rng = np.random.default_rng(1)
    a = np.exp(rng.standard_normal(30))
    same = s2_phase_noise.compare_error_distributions(a, a)
    assert same["mannwhitney_p"] == pytest.approx(1.0) and same["gm_ratio"] == pytest.approx(1.0)
    assert same["gm_ratio_ci"][0] < 1.0 < same["gm_ratio_ci"][1]
    b = 3.0 * np.exp(rng.standard_normal(30))
    diff = s2_phase_noise.compare_error_distributions(a, b)
    assert diff["mannwhitney_p"] < 0.01
    assert diff["gm_ratio_ci"][0] < 3.0 < diff["gm_ratio_ci"][1]
    with pytest.raises(ValueError, match="errors > 0"):
        s2_phase_noise.compare_error_distributions(a, -a)


def test_free_run_swap_continues_the_same_network():
    """At a temperature where the noise is negligible (sigma_F ~ 1e-5) the LLG free run from the
    trained state follows the stochastic lookup's output: the LLG network got the same weights,
    state and readout (a readout not copied would give z = 0)."""
    sw = s2_phase_noise.free_run_swap(12, 5, 1e-10, 15.0)
    assert len(sw.t_ns) == len(sw.z_llg) == len(sw.z_stochastic) == 10
    assert np.max(np.abs(sw.z_stochastic)) > 0.1
    assert np.max(np.abs(sw.z_llg - sw.z_stochastic)) < 0.02
    assert sw.nrmse_llg == pytest.approx(sw.nrmse_stochastic, abs=0.02)
    with pytest.raises(ValueError, match="check_ns"):
        s2_phase_noise.free_run_swap(12, 5, 1e-10, 5000.0)


def test_rate_residuals_have_the_calibrated_spread():
    d = s2_phase_noise.rate_residuals(10, 2, 1e-5, "stochastic", 200)
    assert d.shape == (2000,)
    cal = thermal.noise_calibration(DEV, 1e-5)
    assert abs(d.std() / cal.f_sigma.mean() - 1) < 0.15
    with pytest.raises(ValueError, match="temperature"):
        s2_phase_noise.rate_residuals(10, 2, 0.0, "stochastic", 20)


# cmtj's stochastic solver: the thermal benchmark's peer -------------------------------------

def test_cmtj_heun_matches_our_thermal_statistics():
    """An independent check of the thermal field: cmtj's SolverMode.Heun with a 300 K
    temperature driver (300 junctions) and our counter-generator Heun batch (4000) give the same
    <m_x^2>, <m_y^2>, <m_z^2> after 1 ns from m = z at j = 0.9e10 A/m^2 (within 4 combined
    standard errors; the values are about 0.018, 0.018, 0.96)."""
    pytest.importorskip("cmtj")
    from cmtj import SolverMode, constantDriver

    from mtjbook.bench.cmtj_map import cmtj_constants, cmtj_junction

    dt, n_steps, temp, j = 0.5e-12, 2000, 300.0, 0.9e10
    ends = []
    with cmtj_constants("ours"):
        for i in range(300):
            jn = cmtj_junction(DEV, j)
            jn.setLayerTemperatureDriver("free", constantDriver(temp))
            jn.setLayerSeed("free", i + 1)
            total = (n_steps + 0.5) * dt
            jn.runSimulation(total, dt, total, solverMode=SolverMode.Heun)
            m = jn.getLayerMagnetisation("free")
            ends.append([m.x, m.y, m.z])
    ends = np.array(ends).T
    ours = simulate_batch(coefficients(DEV, np.full(4000, j), temp, dt), (0, 0, 1), n_steps * dt,
                          dt, temperature=temp, seed=3).m
    for k in range(3):
        a, b = ends[k] ** 2, ours[k] ** 2
        se = math.hypot(a.std() / math.sqrt(a.size), b.std() / math.sqrt(b.size))
        assert abs(a.mean() - b.mean()) < 4 * se, (k, a.mean(), b.mean(), se)
    assert 0.01 < np.mean(ours[0] ** 2) < 0.03


def test_thermal_benchmark_row():
    """The benchmark's thermal row: both rates positive and finite, cmtj's Heun really
    stochastic, the ratio their quotient; the command line knows --thermal-only and refuses a
    typo."""
    pytest.importorskip("cmtj")
    from mtjbook.bench import llg as bench

    assert bench.cmtj_heun_is_stochastic()
    r = bench.run_thermal_benchmark(quick=True)
    for k in ("heun_mtjlib", "heun_cmtj"):
        assert math.isfinite(r[k]) and r[k] > 0, k
    assert r["heun_ratio"] == pytest.approx(r["heun_mtjlib"] / r["heun_cmtj"])
    assert r["heun_cmtj_stochastic"] is True
    text = bench.format_thermal(r | {"n_batch": bench.N_BATCH})
    assert "SolverMode.Heun" in text and "ratio mtjlib / cmtj" in text
    assert bench.parse_args(["--thermal-only", "--quick"]).thermal_only
    with pytest.raises(SystemExit):
        bench.parse_args(["--thermal-onyl"])


def test_first_run_only_measures_the_same_first_free_run():
    """A Fig. 2 point stopped at the target switch gives the full timeline's first free run
    bit for bit (same seed, same counter-keyed noise), and NaN for the second."""
    full = s2_phase_noise.noise_point_trial(s2_phase_noise.NoisePoint("fig2", 12, 1e-5), 4)
    part = s2_phase_noise.noise_point_trial(s2_phase_noise.NoisePoint("fig2", 12, 1e-5, first_run_only=True), 4)
    assert part["nrmse_1"] == full["nrmse_1"] and part["period_ns_1"] == full["period_ns_1"]
    assert math.isnan(part["nrmse_2"]) and part["nrmse_worse"] == part["nrmse_1"]
    with pytest.raises(ValueError, match="fig2"):
        s2_phase_noise.NoisePoint("recognition", 12, 1e-5, first_run_only=True)
