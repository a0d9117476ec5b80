"""Fig. 3's ablation (mtjlib.studies.fig3_ablation) and the InnateConfig fields it needs: every rung is a
public configuration, the ladder ends at the book's network, a small ladder runs with the same
bits as its rungs run one by one, bad values are refused by name."""

import math
from pathlib import Path

import numpy as np
import pytest

from mtjlib.studies import fig3_ablation as abl
from mtjlib.tasks import drawing as drw
from mtjlib.tasks.character_data import load_character
from mtjlib.training import innate_config as icfg

HANZI = Path(__file__).resolve().parents[2] / "data" / "hanzi"
#: A small network for the quick set: every rung at n = 60 with few trials.
SMALL = {"n_mtj": 60, "n_recurrent_trials": 2, "n_readout_trials": 2}


@pytest.fixture(scope="module")
def shi():
    return load_character("师", HANZI)


def test_lb_config_is_lb_values_in_this_networks_units():
    c = abl.lb_config()
    assert (c.activation, c.bias, c.g, c.init_range) == ("mtj", 0.5, 1.5, (0.0, 1.0))
    assert c.input_scale == pytest.approx(math.sqrt(3.0))  # uniform of SD 1
    assert (c.trigger_amplitude, c.trigger_steps) == (2.0, 33)  # 50 ns = 5 tau at 1.5 ns
    assert c.readout_noise and c.readout_samples_per_weight == 8.0
    assert (c.n_mtj, c.p, c.plastic_fraction, c.noise, c.n_recurrent_trials) == \
        (800, 0.1, 0.6, 0.001, 30)
    assert abl.lb_config(n_mtj=100).n_mtj == 100


def test_fig3_ladder_walks_one_step_at_a_time_from_lb_to_the_book():
    rungs = abl.fig3_ladder()
    assert len(rungs) == len(abl.LADDER_STEPS) + 1
    assert rungs[0].config == abl.lb_config(activation="linear")
    assert rungs[1].config == abl.lb_config()
    assert rungs[-1].config == icfg.InnateConfig()  # the book's Fig. 3 network, exactly
    fields = icfg.InnateConfig.__dataclass_fields__
    for prev, rung, (name, _, change) in zip(rungs, rungs[1:], abl.LADDER_STEPS):
        assert rung.name == name
        differ = {f for f in fields if getattr(prev.config, f) != getattr(rung.config, f)}
        assert differ == set(change)  # one change per rung, nothing else moves
    small = abl.fig3_ladder(**SMALL)
    assert small[-1].config == icfg.InnateConfig(**SMALL)
    with pytest.raises(ValueError, match="g"):
        abl.fig3_ladder(g=1.0)
    with pytest.raises(ValueError, match="not InnateConfig fields"):
        abl.ladder(icfg.InnateConfig(), [("x", "", {"gain": 2.0})])
    with pytest.raises(TypeError, match="steps"):
        abl.ladder(icfg.InnateConfig(), [("x", {"g": 2.0})])


def test_new_config_fields_default_to_the_book_and_refuse_bad_values():
    c = icfg.InnateConfig()
    assert (c.activation, c.bias, c.readout_noise) == ("mtj", 0.5, False)
    with pytest.raises(ValueError, match="activation"):
        icfg.InnateConfig(activation="tanh")
    with pytest.raises(TypeError, match="bias"):
        icfg.InnateConfig(bias="0.5")
    with pytest.raises(ValueError, match="bias"):
        icfg.InnateConfig(bias=math.nan)
    with pytest.raises(TypeError, match="readout_noise"):
        icfg.InnateConfig(readout_noise=1)
    lin = icfg.InnateConfig(activation="linear", n_mtj=10)
    xg = np.linspace(-1, 1, 5)
    with pytest.raises(ValueError, match="activation"):
        icfg.make_network(lin, 0, activation=(xg, np.tanh(xg)))


def test_linear_activation_is_clip_and_bias_is_the_operating_point():
    cfg = icfg.InnateConfig(activation="linear", n_mtj=20, bias=0.3)
    net = icfg.make_network(cfg, 1)
    x = np.linspace(-1.0, 2.0, 20)
    np.testing.assert_array_equal(net.rates(x), np.clip(x, 0.0, 1.0))
    assert np.all(net.weights.b == 0.3)
    # the default bias is the one the book's network always had: same network, same bits
    a = icfg.make_network(icfg.InnateConfig(n_mtj=20), 1)
    b = icfg.make_network(icfg.InnateConfig(n_mtj=20, bias=0.5), 1)
    assert np.array_equal(a.weights.data, b.weights.data) and np.array_equal(a.x0, b.x0)


def test_readout_noise_keeps_the_initial_states_and_changes_the_training(shi):
    cfg = icfg.InnateConfig(n_mtj=40, n_recurrent_trials=0, n_readout_trials=3)
    path = drw.drawing_path(shi, cfg)
    quiet, noisy = icfg.make_network(cfg, 2), icfg.make_network(cfg, 2)
    e0 = drw.train_readout(quiet, path, cfg, 5)
    e1 = drw.train_readout(noisy, path, cfg.replace(readout_noise=True), 5)
    # first trial: same initial state, the output before any update is identical (w_out = 0)...
    assert not np.array_equal(quiet.w_out, noisy.w_out)  # ...but the noise changed the training
    assert np.all(np.isfinite(e1)) and abs(e1[0] - e0[0]) < 0.05 * e0[0]
    # without noise the option is inert: the noise stream is a child spawned after the draws
    silent = icfg.make_network(cfg, 2)
    drw.train_readout(silent, path, cfg.replace(readout_noise=True, noise=0.0), 5)
    assert np.array_equal(silent.w_out, quiet.w_out)


def test_growth_per_period_separates_chaotic_from_stable():
    cfg = icfg.InnateConfig(activation="linear", n_mtj=200, init_range=(0.0, 1.0))
    chaotic = abl.growth_per_period(icfg.make_network(cfg.replace(g=2.0), 0), cfg, 1)
    # a short run for the stable one: its distance would reach round-off within 300 steps
    stable = abl.growth_per_period(icfg.make_network(cfg.replace(g=0.5), 0), cfg, 1, n_steps=60)
    assert chaotic > 1.0 > stable


def test_small_ladder_runs_with_the_bits_of_its_rungs(shi):
    rungs = abl.fig3_ladder(**SMALL)
    res = abl.run_ladder(rungs, [3, 4], data=shi, n_test=2, n_test_periods=2,
                         executor="serial")
    assert res.names == [r.name for r in rungs]
    for k in ("error", "error_first", "error_later", "error_readout_only", "growth", "clipped"):
        assert res.sweep.metrics[k].shape == (len(rungs), 2)
        assert np.all(np.isfinite(res.sweep.metrics[k]))
    e = res.sweep.metrics
    # all periods = mean of the first and the later one (2 periods)
    np.testing.assert_allclose(e["error"], (e["error_first"] + e["error_later"]) / 2, rtol=1e-12)
    assert np.all((e["clipped"] >= 0) & (e["clipped"] <= 1))
    # same seed, same bits: a rung run alone gives the sweep's numbers exactly
    one = abl.rung_trial(rungs[2].config, 4, data=shi, n_test=2, n_test_periods=2)
    assert all(one[k] == e[k][2, 1] for k in one if not math.isnan(one[k]))
    # ...and the innate-trained number is run_innate's (the F3 metric itself)
    run = drw.run_innate(shi, rungs[2].config, 4, n_test=2, n_test_periods=2)
    assert one["error"] == run.test.mean_error
    d, sd = res.change("error")
    np.testing.assert_array_equal(d, np.diff(e["error"], axis=0).mean(axis=1))
    assert d.shape == sd.shape == (len(rungs) - 1,)
    with pytest.raises(ValueError, match="metric"):
        res.change("nope")


def test_error_map_is_a_grid_of_paired_rungs(shi):
    cfg = abl.lb_config(**SMALL)
    m = abl.error_map(cfg, "g", [1.0, 1.5], "bias", [0.4, 0.5, 0.6], [7], data=shi, n_test=1,
                      n_test_periods=2, executor="serial")
    assert m.grid("error").shape == (3, 2)
    one = abl.rung_trial(cfg.replace(g=1.5, bias=0.4), 7, data=shi, n_test=1, n_test_periods=2)
    assert m.grid("error")[0, 1] == one["error"]
    assert m.grid("error_readout_only")[2, 0] == abl.rung_trial(
        cfg.replace(g=1.0, bias=0.6), 7, data=shi, n_test=1,
        n_test_periods=2)["error_readout_only"]
    with pytest.raises(ValueError, match="x_name"):
        abl.error_map(cfg, "gain", [1.0], "bias", [0.5], [1], data=shi)
    with pytest.raises(ValueError, match="both"):
        abl.error_map(cfg, "g", [1.0], "g", [0.5], [1], data=shi)


def test_bad_inputs(shi):
    with pytest.raises(TypeError, match="config"):
        abl.rung_trial({"g": 1.5}, 0, data=shi)
    with pytest.raises(ValueError, match="data"):
        abl.rung_trial(abl.lb_config(n_mtj=10), 0, data=None)
    with pytest.raises(ValueError, match="seed"):
        abl.rung_trial(abl.lb_config(n_mtj=10), -1, data=shi)
    with pytest.raises(TypeError, match="seed"):
        abl.rung_trial(abl.lb_config(n_mtj=10), 1.0, data=shi)
    with pytest.raises(TypeError, match="rungs"):
        abl.run_ladder([abl.lb_config()], [0], data=shi)
    with pytest.raises(ValueError, match="n_test"):
        abl.run_ladder(abl.fig3_ladder(n_mtj=10), [0], data=shi, n_test=0)
    with pytest.raises(ValueError, match="n_steps"):
        abl.growth_per_period(icfg.make_network(icfg.InnateConfig(n_mtj=10), 0),
                              icfg.InnateConfig(n_mtj=10), 0, n_steps=2)


def test_segment_errors_split_the_period_error():
    f = np.stack([np.cos(np.linspace(0, 6, 30)), np.sin(np.linspace(0, 6, 30))], axis=1)
    z = np.tile(f, (2, 1))[None] + 0.1  # one trial, two periods, a constant offset
    res = drw.DrawingResult(z=z, target=f, error=drw.drawing_error(z, f), u=np.zeros((60, 2)),
                            r=None)
    trig, win = abl.segment_errors(res, 5)
    np.testing.assert_allclose(trig, win, rtol=1e-12)  # the same offset everywhere
    np.testing.assert_allclose(np.sqrt((5 * trig**2 + 25 * win**2) / 30), res.error, rtol=1e-12)
    with pytest.raises(ValueError, match="trigger_steps"):
        abl.segment_errors(res, 30)
