"""Innate training (mtjlib.training.innate, innate_config, drawing): what it buys, the F3 metric, the
NumPy reference, bad inputs."""

from pathlib import Path

import numpy as np
import pytest

from mtjbook.bench.innate import numpy_innate
from mtjlib.tasks import drawing as drw
from mtjlib.tasks.character import character_path
from mtjlib.tasks.character_data import load_character
from mtjlib.training import innate as inn
from mtjlib.training import innate_config as icfg

HANZI = Path(__file__).resolve().parents[2] / "data" / "hanzi"
XG = np.linspace(-6.0, 6.0, 2401)
TANH = {"activation": (XG, np.tanh(XG)), "bias": 0.0, "x_limits": (-6.0, 6.0)}


@pytest.fixture(scope="module")
def shi():
    return load_character("师", HANZI)


def _path(data, config):
    T = config.steps
    return character_path(data, period_ns=T * 1.5, dt_ns=1.5, amplitude=config.amplitude)


def _spread(net, path, config, seed):
    """Trial-to-trial SD of every unit's rate after the trigger, averaged over units and time."""
    res = drw.evaluate_drawing(net, path, config, seed, n_trials=8, n_periods=1,
                               record_units=np.arange(net.n))
    return float(res.r[:, config.trigger_steps:].std(axis=0).mean())


def test_innate_training_reduces_trial_to_trial_spread_of_a_tanh_network(shi):
    # A chaotic tanh network (g = 1.6): from random initial states and with noise, each unit's
    # response to the trigger differs from trial to trial. Training the recurrent rows toward one
    # innate trajectory must make the responses reproducible (L&B 2013): the spread must drop
    # at least 3-fold, and the training error must fall.
    cfg = icfg.InnateConfig(n_mtj=120, g=1.6, init_range=(-1.0, 1.0), trigger_amplitude=2.0,
                            n_recurrent_trials=25, n_readout_trials=2)
    net = icfg.make_network(cfg, 3, **TANH)
    path = _path(shi, cfg)
    before = _spread(net, path, cfg, 11)
    assert before > 0.05  # chaotic enough that the trigger alone does not fix the response
    innate = inn.record_innate(net, cfg, 5)
    err = inn.train_recurrent(net, innate, cfg, 6)
    after = _spread(net, path, cfg, 11)
    assert after < before / 3
    assert err[-3:].mean() < 0.8 * err[:3].mean()


def test_divergence_grows_in_a_chaotic_network_and_decays_in_a_stable_one():
    cfg = icfg.InnateConfig(n_mtj=200, init_range=(-1.0, 1.0))
    chaotic = icfg.make_network(cfg.replace(g=2.0), 0, **TANH)
    stable = icfg.make_network(cfg.replace(g=0.5), 0, **TANH)
    d_c = inn.divergence(chaotic, 300, 1e-6, 1, config=cfg)
    d_s = inn.divergence(stable, 300, 1e-6, 1, config=cfg)
    assert d_c[-1] > 1e2 * d_c[0]
    assert d_s[-1] < d_s[0]


def test_drawing_error_is_rms_distance_over_bounding_box_diagonal():
    t = np.linspace(0, 2 * np.pi, 40, endpoint=False)
    f = np.stack([3 * np.cos(t), 4 * np.sin(t)], axis=1)  # bounding box 6 x 8: diagonal 10
    z = np.concatenate([f + [0.3, 0.4], f - [0.6, 0.8]])  # offsets of length 0.5 and 1.0
    err = drw.drawing_error(z[None], f)
    np.testing.assert_allclose(err, [[0.05, 0.10]], rtol=1e-12)
    # a zero mean but varying offset: RMS, not mean distance
    z2 = f.copy()
    z2[::2, 0] += 1.0
    z2[1::2, 0] -= 1.0
    np.testing.assert_allclose(drw.drawing_error(z2, f), [0.1], rtol=1e-12)


def test_numpy_reference_agrees_with_mtjlib(shi):
    cfg = icfg.InnateConfig(n_mtj=30, g=1.2, init_range=(-1.0, 1.0), trigger_amplitude=2.0,
                            n_recurrent_trials=3, n_readout_trials=2, period_ns=60.0,
                            trigger_steps=4)
    lib = drw.run_innate(shi, cfg, 7, n_test=2, n_test_periods=2, **TANH)
    ref = numpy_innate(shi, cfg, 7, n_test=2, n_test_periods=2, **TANH)
    np.testing.assert_allclose(lib.log.recurrent_error, ref["recurrent_error"], atol=1e-9)
    np.testing.assert_allclose(lib.log.readout_error, ref["readout_error"], atol=1e-9)
    np.testing.assert_allclose(lib.net.weights.data, ref["data"], atol=1e-9)
    np.testing.assert_allclose(lib.net.w_out, ref["w_out"], atol=1e-9)
    np.testing.assert_allclose(lib.test.z, ref["z"], atol=1e-9)
    assert lib.log.recurrent_error.std() > 0  # the training did something


def test_numpy_reference_agrees_on_the_linear_network_and_refuses_what_it_lacks(shi):
    # the new InnateConfig fields: clipped-linear units and another bias go through
    # make_network (the reference follows); readout noise and a whole-period readout it does
    # not implement, so it refuses them instead of answering for another algorithm
    cfg = icfg.InnateConfig(n_mtj=30, n_recurrent_trials=2, n_readout_trials=1, period_ns=45.0,
                            trigger_steps=4, activation="linear", bias=0.4)
    lib = drw.run_innate(shi, cfg, 2, n_test=1, n_test_periods=1)
    ref = numpy_innate(shi, cfg, 2, n_test=1, n_test_periods=1)
    np.testing.assert_allclose(lib.test.z, ref["z"], atol=1e-9)
    for bad in ({"readout_noise": True}, {"readout_whole_period": True}):
        with pytest.raises(ValueError, match=next(iter(bad))):
            numpy_innate(shi, cfg.replace(**bad), 2, n_test=1, n_test_periods=1)


def test_numpy_reference_agrees_on_the_mtj_network(shi):
    cfg = icfg.InnateConfig(n_mtj=30, n_recurrent_trials=2, n_readout_trials=1, period_ns=45.0,
                            trigger_steps=4)
    lib = drw.run_innate(shi, cfg, 2, n_test=1, n_test_periods=1)
    ref = numpy_innate(shi, cfg, 2, n_test=1, n_test_periods=1)
    np.testing.assert_allclose(lib.net.weights.data, ref["data"], atol=1e-9)
    np.testing.assert_allclose(lib.test.z, ref["z"], atol=1e-9)


def test_same_seed_same_bits_and_readout_only_shares_network(shi):
    cfg = icfg.InnateConfig(n_mtj=25, n_recurrent_trials=2, n_readout_trials=2, period_ns=45.0,
                            trigger_steps=4)
    a = drw.run_innate(shi, cfg, 4, n_test=2, n_test_periods=1)
    b = drw.run_innate(shi, cfg, 4, n_test=2, n_test_periods=1)
    c = drw.run_innate(shi, cfg, 5, n_test=2, n_test_periods=1)
    assert np.array_equal(a.test.z, b.test.z)
    assert np.array_equal(a.net.weights.data, b.net.weights.data)
    assert not np.array_equal(a.test.z, c.test.z)
    ro = drw.run_innate(shi, cfg, 4, readout_only=True, n_test=2, n_test_periods=1)
    assert np.array_equal(ro.innate, a.innate)  # same network, same innate recording
    assert len(ro.log.recurrent_error) == 0
    d = drw.innate_trial(None, 4, data=shi, config=cfg, n_test=2, n_test_periods=1)
    assert d["error"] == a.test.mean_error
    assert d["error_readout_only"] == ro.test.mean_error


def test_period_is_rounded_to_whole_steps():
    assert icfg.period_steps(170.0) == 113
    assert icfg.InnateConfig().steps == 113
    u = icfg.trigger_input(icfg.InnateConfig(), 2)
    assert u.shape == (226, 2)
    assert np.flatnonzero(u[:, 0]).tolist() == list(range(10)) + list(range(113, 123))
    assert not u[:, 1].any()


def test_bad_inputs(shi):
    with pytest.raises(ValueError, match="plastic_fraction"):
        icfg.InnateConfig(plastic_fraction=1.5)
    with pytest.raises(ValueError, match="trigger_steps"):
        icfg.InnateConfig(trigger_steps=200)
    with pytest.raises(TypeError, match="n_mtj"):
        icfg.InnateConfig(n_mtj=8.0)
    with pytest.raises(ValueError, match="init_range"):
        icfg.InnateConfig(init_range=(1.0, 0.0))
    with pytest.raises(TypeError, match="config"):
        icfg.make_network({"n_mtj": 10})
    cfg = icfg.InnateConfig(n_mtj=10, period_ns=45.0, trigger_steps=4)
    from mtjlib.networks.network import build_network
    with pytest.raises(ValueError, match="n_in=2"):
        inn.record_innate(build_network(n=10), cfg)
    net = icfg.make_network(cfg, 0)
    with pytest.raises(ValueError, match="samples per period"):
        drw.train_readout(net, character_path(shi), cfg)
    with pytest.raises(TypeError, match="path"):
        drw.train_readout(net, "师", cfg)
    with pytest.raises(ValueError, match="innate"):
        inn.train_recurrent(net, np.zeros((5, 10)), cfg)
    with pytest.raises(ValueError, match="z has shape"):
        drw.drawing_error(np.zeros((31, 2)), np.ones((30, 2)))
    with pytest.raises(ValueError, match="zero bounding box"):
        drw.drawing_error(np.zeros((30, 2)), np.zeros((30, 2)))
    with pytest.raises(ValueError, match="n_trials"):
        drw.evaluate_drawing(net, _path(shi, cfg), cfg, n_trials=0)
    with pytest.raises(TypeError, match="readout_only"):
        drw.run_innate(shi, cfg, readout_only=1)
    with pytest.raises(ValueError, match="data"):
        drw.innate_trial(None, 0, config=cfg)
    with pytest.raises(TypeError, match="seed"):
        drw.run_innate(shi, cfg, seed=-1)


def test_readout_trial_rule_gives_at_least_k_updates_per_weight():
    cfg = icfg.InnateConfig()
    # 113 steps, trigger 10, every 2 steps: updates at steps 10, 12, ..., 112 -> 52
    assert cfg.updates_per_trial == 52
    assert inn.learn_window(cfg).sum() == cfg.updates_per_trial
    for n, k in ((800, 4.0), (100, 4.0), (800, 8.0), (37, 1.5)):
        c = cfg.replace(n_mtj=n, readout_samples_per_weight=k)
        m = c.readout_trials
        assert m * c.updates_per_trial >= k * n > (m - 1) * c.updates_per_trial
    assert cfg.replace(n_readout_trials=7).readout_trials == 7
    with pytest.raises(ValueError, match="readout_samples_per_weight"):
        icfg.InnateConfig(readout_samples_per_weight=0.0)


def test_recurrent_plateau_finds_where_an_exponential_decay_flattens():
    # e_k = 1 + 9 exp(-k / 5): relative fall per trial ~ (9/5) e^{-k/5} / e_k; it drops below
    # 1 % near k = 26 (block means lag the window, so the rule answers a few trials later)
    k = np.arange(80)
    e = 1.0 + 9.0 * np.exp(-k / 5.0)
    p = inn.recurrent_plateau(e, tol=0.01, window=5)
    assert 26 <= p <= 36
    assert inn.recurrent_plateau(np.ones(20)) == 10  # flat from the start: 2 windows
    assert inn.recurrent_plateau(np.stack([e, e])) == p  # seeds averaged
    assert inn.recurrent_plateau(np.linspace(10.0, 1.0, 30), tol=0.001) == 30  # never flat
    with pytest.raises(ValueError, match="tol"):
        inn.recurrent_plateau(e, tol=0.0)


def test_llg_network_draws_like_the_lookup_network(shi):
    # The lookup table is the LLG neuron's tabulated response, so the same trained weights in
    # the LLG mode (deterministic) must draw the same thing within the table's interpolation
    # error (far below the drawing error).
    cfg = icfg.InnateConfig(n_mtj=30, n_recurrent_trials=1, n_readout_trials=1, period_ns=30.0,
                            trigger_steps=4)
    run = drw.run_innate(shi, cfg, 1, n_test=1, n_test_periods=1)
    ln = icfg.llg_network(run.net)
    assert ln.params.neuron_mode == "llg" and ln.params.temperature == 0.0
    assert np.array_equal(ln.weights.data, run.net.weights.data)
    assert np.array_equal(ln.w_out, run.net.w_out)
    a = drw.evaluate_drawing(ln, run.path, cfg, 3, n_trials=1, n_periods=1, noise=0.0)
    b = drw.evaluate_drawing(run.net, run.path, cfg, 3, n_trials=1, n_periods=1, noise=0.0)
    scale = np.abs(b.z).max()
    assert 0 < np.abs(a.z - b.z).max() < 1e-3 * scale
    with pytest.raises(ValueError, match="lookup"):
        icfg.llg_network(ln)


@pytest.mark.parametrize("whole", [False, True])
def test_readout_training_is_force_train_trial_by_trial(shi, whole):
    # train_readout runs the readout RLS on one P over all trials; it must give the bits of
    # force_train called once per trial with P carried (what it replaced), errors and weights;
    # over the steps after the trigger, or over the whole period (readout_whole_period)
    from mtjlib.training.force import force_train

    cfg = icfg.InnateConfig(n_mtj=30, n_recurrent_trials=0, n_readout_trials=3, period_ns=45.0,
                            trigger_steps=4, readout_whole_period=whole)
    path = _path(shi, cfg)
    a, b = icfg.make_network(cfg, 3), icfg.make_network(cfg, 3)
    err = drw.train_readout(a, path, cfg, 5)
    rng = np.random.default_rng(5)
    T = cfg.steps
    window = np.arange(T) >= (0 if whole else cfg.trigger_steps)
    assert cfg.updates_per_trial == len(range(0 if whole else 4, T, cfg.learn_every))
    P, ref = None, []
    for _ in range(cfg.readout_trials):
        b.reset(icfg.random_state(b, cfg, rng))
        res = force_train(b, path.xy, np.arange(T) * 1.5, window, alpha=cfg.alpha_readout,
                          learn_every=cfg.learn_every, p_reset="never",
                          u=icfg.trigger_input(cfg), P=P)
        P = res.P
        d = res.z[window] - path.xy[window]
        ref.append(np.sqrt(np.mean(np.sum(d * d, axis=1))))
    assert np.array_equal(err, np.array(ref))
    assert np.array_equal(a.w_out, b.w_out)
    assert err[-1] < err[0]
