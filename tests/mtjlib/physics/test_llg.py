"""Physics checks of the LLGS kernels: numbers physics knows in advance."""

import math

import numba
import numpy as np
import pytest

from mtjlib import _counter_rng as counter_rng
from mtjlib.physics import llg
from mtjlib.physics.delta_r_rules import delta_r_from_trace
from mtjlib.physics.device import GAMMA, K_B, default_device
from mtjlib.physics.llg import coefficients, simulate_batch, simulate_trace
from mtjlib.physics.llg_kernels import HEUN, batch_kernel

DEV = default_device()


def _numpy_reference(dev, j, m0, dt, n):
    """A slow, obvious RK4 of the same equation, written independently of the kernel."""
    cx, cy, cz = dev.field_coefficients
    a = dev.alpha
    lam2 = dev.slonczewski_lambda ** 2
    tau = dev.torque_per_current * j
    mp = np.array([1.0, 0.0, 0.0])

    def f(m):
        b = np.array([cx, cy, cz]) * m
        eps = lam2 / ((lam2 + 1) + (lam2 - 1) * m @ mp)
        t = (-GAMMA * np.cross(m, b) + tau * eps * np.cross(m, np.cross(mp, m))
             - dev.beta * tau * np.cross(m, mp))
        return (t + a * np.cross(m, t)) / (1 + a * a)

    out = [np.array(m0, float)]
    m = out[0]
    for _ in range(n):
        k1 = f(m)
        k2 = f(m + dt / 2 * k1)
        k3 = f(m + dt / 2 * k2)
        k4 = f(m + dt * k3)
        m = m + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        m = m / np.linalg.norm(m)
        out.append(m)
    return np.array(out)


@pytest.mark.parametrize("dev", [DEV, DEV.replace(beta=0.2, diameter_x=60e-9, alpha=0.05)])
def test_kernel_matches_numpy_reference(dev):
    ref = _numpy_reference(dev, 0.9e10, [0.1, 0.0, 1.0] / np.linalg.norm([0.1, 0, 1]), 0.5e-12, 400)
    tr = simulate_trace(dev, 0.9e10, t_end=400 * 0.5e-12, m0=(0.1, 0.0, 1.0))
    assert np.max(np.abs(tr.m - ref)) < 1e-12


def _small_angle(alpha, n_ns=5.0, dt=0.25e-12):
    dev = DEV.replace(alpha=alpha)
    tr = simulate_trace(dev, 0.0, t_end=n_ns * 1e-9, dt=dt, m0=(0.01, 0.0, 1.0))
    return dev, tr


def test_small_angle_frequency_is_kittel():
    dev, tr = _small_angle(0.001)
    mx = tr.m[:, 0]
    up = np.where((mx[:-1] < 0) & (mx[1:] >= 0))[0]
    # linear interpolation of the upward zero crossings
    tc = tr.t[up] - mx[up] * (tr.t[up + 1] - tr.t[up]) / (mx[up + 1] - mx[up])
    f_meas = 1 / np.mean(np.diff(tc))
    f_kittel = dev.kittel_frequency() / (1 + dev.alpha ** 2)  # LL form rescales time
    assert f_meas == pytest.approx(f_kittel, rel=2e-4)


def test_envelope_decays_at_alpha_omega():
    dev, tr = _small_angle(0.02)
    theta = np.hypot(tr.m[:, 0], tr.m[:, 1])
    omega = 2 * math.pi * dev.kittel_frequency()
    slope = np.polyfit(tr.t, np.log(theta), 1)[0]
    assert -slope == pytest.approx(dev.alpha * omega / (1 + dev.alpha ** 2), rel=5e-3)


def test_unit_norm_conserved_both_schemes():
    tr = simulate_trace(DEV, 1e10, t_end=3e-9)
    assert np.max(np.abs(np.linalg.norm(tr.m, axis=1) - 1)) < 1e-14
    tr = simulate_trace(DEV, 1e10, t_end=3e-9, temperature=300.0, seed=1)
    assert np.max(np.abs(np.linalg.norm(tr.m, axis=1) - 1)) < 1e-14


def test_energy_never_rises_without_current():
    dev = DEV.replace(alpha=0.05, diameter_x=60e-9)  # elliptic: anisotropic in-plane too
    tr = simulate_trace(dev, 0.0, t_end=5e-9, m0=(0.8, 0.3, 0.5))
    cx, cy, cz = dev.field_coefficients
    energy = -0.5 * dev.ms * dev.volume * (cx * tr.m[:, 0] ** 2 + cy * tr.m[:, 1] ** 2
                                          + cz * tr.m[:, 2] ** 2)
    assert np.all(np.diff(energy) <= 1e-12 * abs(energy[0]))
    assert energy[-1] < energy[0]


def test_rk4_global_error_is_fourth_order():
    t_end, m0 = 0.4e-9, (0.6, 0.0, 0.8)
    ref = simulate_trace(DEV, 1e10, t_end=t_end, dt=1e-14, m0=m0).m[-1]
    errs = [np.linalg.norm(simulate_trace(DEV, 1e10, t_end=t_end, dt=dt, m0=m0).m[-1] - ref)
            for dt in (4e-12, 2e-12, 1e-12)]
    orders = np.log2(np.array(errs[:-1]) / np.array(errs[1:]))
    assert np.all(np.abs(orders - 4) < 0.3), orders


def test_thermal_equilibrium_is_boltzmann():
    """<m_z^2> at temperature T against p(m_z) ~ exp(Delta m_z^2) (uniaxial disk, Nx = Ny).

    2000 junctions, 30 ns, alpha = 0.1 (relaxation time about 0.6 ns); the estimate's standard
    error is about 0.004, the stated tolerance is 0.015 (it also covers Heun's O(dt) bias).
    """
    dev = DEV.replace(alpha=0.1)
    temperature = 1500.0  # K: Delta about 2.2, so both wells are visited
    delta = dev.thermal_stability(temperature)
    x = np.linspace(-1, 1, 20001)
    w = np.exp(delta * x ** 2)
    expected = np.trapezoid(x ** 2 * w, x) / np.trapezoid(w, x)
    n, dt = 2000, 1e-12
    c = coefficients(dev, np.zeros(n), temperature, dt)
    res = simulate_batch(c, (0, 0, 1), 10e-9, dt, temperature, seed=3)  # burn-in
    samples = []
    rng = np.random.default_rng(4)
    m = res.m
    for _ in range(20):
        res = simulate_batch(c, m, 1e-9, dt, temperature, seed=rng)
        m = res.m
        samples.append(m[2] ** 2)
    measured = float(np.mean(samples))
    assert measured == pytest.approx(expected, abs=0.015)


def test_same_seed_same_bits_and_generator_accepted():
    a = simulate_trace(DEV, 0.9e10, temperature=300, seed=7).m
    b = simulate_trace(DEV, 0.9e10, temperature=300, seed=np.random.default_rng(7)).m
    c = simulate_trace(DEV, 0.9e10, temperature=300, seed=8).m
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    c1 = coefficients(DEV, [0.9e10] * 5, 300, 0.5e-12)
    r1 = simulate_batch(c1, (0, 0, 1), 1.5e-9, temperature=300, seed=5)
    r2 = simulate_batch(c1, (0, 0, 1), 1.5e-9, temperature=300, seed=5)
    assert np.array_equal(r1.m, r2.m) and np.array_equal(r1.last_max, r2.last_max)
    # the trace is junction 0 of the batch with the same seed, bit for bit
    assert np.array_equal(simulate_trace(DEV, 0.9e10, temperature=300, seed=5).m[-1], r1.m[:, 0])


def test_batch_matches_single_traces_and_delta_r_rule():
    js = np.array([0.8e10, 0.9e10, 1.0e10, 3e10])
    res = simulate_batch(coefficients(DEV, js), (0, 0, 1), 1.5e-9, window=0.4e-9)
    for i, j in enumerate(js):
        tr = simulate_trace(DEV, j)
        assert np.allclose(res.m[:, i], tr.m[-1], atol=1e-13, rtol=0)
        assert res.last_max[i] - res.last_min[i] == pytest.approx(
            delta_r_from_trace(tr.resistance), abs=1e-9)
        tail = tr.resistance[-801:]
        assert res.window_max[i] == pytest.approx(tail.max(), abs=1e-9)
        assert res.window_min[i] == pytest.approx(tail.min(), abs=1e-9)


@pytest.mark.parametrize("kw,msg", [({"dt": -1e-12}, "dt"), ({"t_end": 0.0}, "t_end"),
                                    ({"m0": (0, 0, 0)}, "m0"), ({"temperature": -1}, "temperature")])
def test_bad_input_is_rejected(kw, msg):
    with pytest.raises(ValueError, match=msg):
        simulate_trace(DEV, 1e10, **kw)


def test_bad_seed_is_a_type_error():
    with pytest.raises(TypeError, match="seed"):
        simulate_trace(DEV, 1e10, temperature=300, seed="x")


# Counter-based thermal generator ------------------------------------------------------------

@numba.njit
def _draw(seed, n_junctions, n_steps):
    out = np.empty((n_junctions, n_steps, 3))
    for i in range(n_junctions):
        for k in range(n_steps):
            for c in range(3):
                out[i, k, c] = counter_rng.counter_normals(seed, i, k, c)
    return out


def test_counter_generator_moments_and_independence():
    """Sum of four 16-bit uniforms, scaled: mean 0, variance 1 and fourth moment 3 - 6/20 = 2.7
    exactly (up to the 2^-32 discreteness); 1.2 M draws give standard errors of 0.0009 (mean),
    0.0012 (variance) and about 0.006 (fourth moment); tolerances are 5 standard errors.
    Neighbouring junctions, steps and components are uncorrelated (|r| < 5 / sqrt(N))."""
    z = _draw(11, 400, 1000)
    flat = z.ravel()
    n = flat.size
    assert abs(flat.mean()) < 5 / math.sqrt(n)
    assert flat.var() == pytest.approx(1.0, abs=5 * math.sqrt(1.7 / n))
    assert np.mean(flat ** 4) == pytest.approx(2.7, abs=0.03)
    lim = 5 / math.sqrt(z[:, :, 0].size)
    for a, b in ((z[1:], z[:-1]), (z[:, 1:], z[:, :-1]), (z[..., 1], z[..., 0])):
        assert abs(np.corrcoef(a.ravel(), b.ravel())[0, 1]) < lim
    # a different seed gives different numbers, the same seed the same bits
    assert np.array_equal(_draw(11, 3, 5), z[:3, :5]) and not np.array_equal(_draw(12, 3, 5), z[:3, :5])


def test_same_bits_whatever_threads_chunks_and_blocks():
    j = np.linspace(0.8e10, 1.0e10, 150)  # three chunks of CHUNK = 64
    c = coefficients(DEV, j, 300.0, 0.5e-12)
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = simulate_batch(c, (0, 0, 1), 1.5e-9, temperature=300, seed=4, window=0.4e-9)
        numba.set_num_threads(min(2, numba.config.NUMBA_NUM_THREADS))
        two = simulate_batch(c, (0, 0, 1), 1.5e-9, temperature=300, seed=4, window=0.4e-9)
    finally:
        numba.set_num_threads(before)
    for f in ("m", "last_max", "last_min", "window_max", "window_min"):
        assert np.array_equal(getattr(one, f), getattr(two, f), equal_nan=True), f
    # a sub-batch (another chunk split) keeps each junction's numbers
    few = simulate_batch(c[:, :5], (0, 0, 1), 1.5e-9, temperature=300, seed=4)
    assert np.array_equal(few.m, one.m[:, :5])
    # two blocks of steps (the second starting at counter 1000) equal one run of 3000
    key = counter_rng.seed_key(counter_rng.seed_word(4))
    m = np.zeros((3, 150))
    m[2] = 1.0
    out = np.empty((7, 150))
    nw = np.full(150, -1, dtype=np.int64)
    batch_kernel(m, c, 0.5e-12, 1000, HEUN, np.uint64(key), 0, nw, np.empty(0), out)
    batch_kernel(m, c, 0.5e-12, 2000, HEUN, np.uint64(key), 1000, nw, np.empty(0), out)
    assert np.array_equal(m, one.m)


def test_reset_delta_r_matches_simulate_batch_and_rules():
    dev = DEV
    j = np.linspace(0.8e10, 1.0e10, 70)
    nw = llg.period_window_steps([dev] * 70, 0.5e-12)
    assert nw[0] == round(1 / (dev.kittel_frequency() * 0.5e-12))
    mixed = np.where(np.arange(70) % 2 == 0, -1, nw)
    for temperature in (0.0, 300.0):
        c = coefficients(dev, j, temperature, 0.5e-12)
        dr = np.empty(70)
        llg.reset_delta_r(c, 0.5e-12, 3000, temperature > 0, counter_rng.seed_word(9), 0, mixed,
                          np.empty(0), dr)
        f_k = dev.kittel_frequency()
        ref = simulate_batch(c, (0, 0, 1), 1.5e-9, 0.5e-12, temperature, seed=9,
                             window=nw * 0.5e-12, frequency=f_k)
        paper = np.nan_to_num(ref.last_max - ref.last_min, nan=0.0)
        want = np.where(mixed < 0, paper, ref.window_max - ref.window_min)
        assert np.array_equal(dr, want)
        # the fit rule: same numbers through reset_delta_r and simulate_batch
        fit = np.empty(70)
        llg.reset_delta_r(c, 0.5e-12, 3000, temperature > 0, counter_rng.seed_word(9), 0, nw,
                          np.full(70, 2 * math.pi * f_k * 0.5e-12), fit)
        assert np.allclose(fit, ref.fit_delta_r, rtol=1e-12)
    # the counter gives fresh numbers to the next evaluation
    dr2 = np.empty(70)
    llg.reset_delta_r(c, 0.5e-12, 3000, True, counter_rng.seed_word(9), 3000, mixed,
                      np.empty(0), dr2)
    assert not np.any(dr2 == dr)
    # deterministic wrapper kept for the network; thermal arrays are refused
    c0 = coefficients(dev, j, 0.0, 0.5e-12)
    assert np.array_equal(llg.delta_r_from_reset(c0, 0.5e-12, 3000),
                          np.nan_to_num(simulate_batch(c0, (0, 0, 1), 1.5e-9).last_max
                                        - simulate_batch(c0, (0, 0, 1), 1.5e-9).last_min))
    with pytest.raises(NotImplementedError, match="reset_delta_r"):
        llg.delta_r_from_reset(c0, 0.5e-12, 3000, np.zeros((3000, 3, 70)))


def _numpy_heun(dev, j, temperature, dt, n_steps, rng):
    """Slow reference: stochastic Heun (Stratonovich) with numpy's Gaussian numbers, vectorised
    over junctions, written independently of the kernels."""
    n = len(j)
    c = np.array(dev.field_coefficients)[:, None]
    a, lam2 = dev.alpha, dev.slonczewski_lambda ** 2
    tau = dev.torque_per_current * np.asarray(j)
    sig = math.sqrt(2 * a * K_B * temperature / (GAMMA * dev.ms * dev.volume * dt))
    mp = np.array([1.0, 0.0, 0.0])[:, None]

    def f(m, b):
        eps = lam2 / ((lam2 + 1) + (lam2 - 1) * m[0])
        t = (-GAMMA * np.cross(m, c * m + b, axis=0)
             + tau * eps * np.cross(m, np.cross(np.broadcast_to(mp, m.shape), m, axis=0), axis=0))
        return (t + a * np.cross(m, t, axis=0)) / (1 + a * a)

    m = np.zeros((3, n))
    m[2] = 1.0
    for _ in range(n_steps):
        b = sig * rng.standard_normal((3, n))
        k1 = f(m, b)
        m = m + 0.5 * dt * (k1 + f(m + dt * k1, b))
        m /= np.linalg.norm(m, axis=0)
    return m


def test_thermal_statistics_match_numpy_gaussian_noise():
    """m after 1.5 ns at 300 K from m = z, 2000 junctions each: the counter generator and numpy's
    Gaussian numbers give the same mean and spread of m_x and m_z within 4 standard errors
    (mean: s sqrt(2/N), standard deviation: s / sqrt(N)); measured spread of m_x about 0.15."""
    n, dt = 2000, 0.5e-12
    ref = _numpy_heun(DEV, np.full(n, 0.9e10), 300.0, dt, 3000, np.random.default_rng(3))
    c = coefficients(DEV, np.full(n, 0.9e10), 300.0, dt)
    got = simulate_batch(c, (0, 0, 1), 1.5e-9, dt, 300.0, seed=3).m
    for row in (0, 2):
        s = max(ref[row].std(), got[row].std())
        assert abs(ref[row].mean() - got[row].mean()) < 4 * s * math.sqrt(2 / n)
        assert abs(ref[row].std() - got[row].std()) < 4 * s / math.sqrt(n)
