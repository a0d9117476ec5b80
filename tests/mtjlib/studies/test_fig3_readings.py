"""Claim F3's readings (mtjlib.studies.fig3_readings) and the trigger-before protocol
(InnateConfig.trigger_before): the judged window excludes the trigger's steps, the readout sees
the same inputs in training and at test, each reading's quick version runs on a small network
with the bits of its parts, bad values are refused by name."""

import math
from pathlib import Path

import numpy as np
import pytest

from mtjlib.networks.network_object import Network
from mtjlib.studies import fig3_ablation as abl
from mtjlib.studies import fig3_readings as rd
from mtjlib.tasks import drawing as drw
from mtjlib.tasks.character_data import load_character
from mtjlib.training import innate as inn
from mtjlib.training import innate_config as icfg

#: A small network for the quick set (each reading's quick version).
SMALL = {"n_mtj": 60, "n_recurrent_trials": 2, "n_readout_trials": 2}


@pytest.fixture(scope="module")
def shi():
    """The character of the tests' copy of hanzi-writer-data."""
    return load_character("师", Path(__file__).resolve().parents[2] / "data" / "hanzi")


def test_trigger_before_adds_the_pulse_ahead_of_each_drawn_period():
    inside = icfg.InnateConfig(trigger_steps=10)
    before = inside.replace(trigger_before=True)
    T = inside.steps
    assert (inside.cycle_steps, inside.drawn_start) == (T, 0)
    assert (before.cycle_steps, before.drawn_start) == (T + 10, 10)
    assert before.steps == T  # the drawn period (and the target path) keep their length
    u = icfg.trigger_input(before, 3)
    assert u.shape == (3 * (T + 10), 2)
    for k in range(3):
        c = u[k * (T + 10):(k + 1) * (T + 10), 0]
        assert np.all(c[:10] == before.trigger_amplitude) and np.all(c[10:] == 0)
    # the readout learns on as many steps as the drawn period has, every learn_every
    assert before.updates_per_trial == len(range(10, T + 10, 2))
    # the recurrent rows learn from the trigger's end to the end of the cycle
    w = inn.learn_window(before)
    assert w.shape == (T + 10,) and not w[:10].any() and w[10]
    assert w.sum() == len(range(10, T + 10, 2))


def test_trigger_before_refuses_what_it_cannot_mean():
    with pytest.raises(TypeError, match="trigger_before"):
        icfg.InnateConfig(trigger_before=1)
    with pytest.raises(ValueError, match="readout_whole_period"):
        icfg.InnateConfig(trigger_before=True, readout_whole_period=True)


def test_the_judged_window_excludes_the_triggers_steps(shi):
    cfg = abl.lb_config(trigger_before=True, trigger_steps=7, **SMALL)
    run = drw.run_innate(shi, cfg, 5, n_test=2, n_test_periods=3)
    T, C, s0 = cfg.steps, cfg.cycle_steps, cfg.drawn_start
    z = run.test.z
    assert z.shape == (2, 3 * C, 2) and run.test.cycle == C and run.test.drawn_start == s0
    drawn = np.zeros(3 * C, dtype=bool)
    for k in range(3):
        drawn[k * C + s0:(k + 1) * C] = True
    np.testing.assert_array_equal(run.test.z_drawn, z[:, drawn])
    np.testing.assert_array_equal(run.test.error, drw.drawing_error(z[:, drawn], run.test.target))
    # whatever the output does during the trigger's steps, the judged error is the same
    garbage = z.copy()
    garbage[:, ~drawn] = 1e3
    other = drw.DrawingResult(z=garbage, target=run.test.target, error=run.test.error,
                              u=run.test.u, r=None, drawn_start=s0)
    np.testing.assert_array_equal(other.z_drawn, run.test.z_drawn)
    assert drw.drawing_error(other.z_drawn, run.test.target).mean() == run.test.mean_error
    # and the trigger's steps are not split out of a period that does not hold them
    with pytest.raises(ValueError, match="drawn_start"):
        abl.segment_errors(run.test, 7)
    assert T == len(run.test.target)


def test_the_readout_sees_the_same_inputs_in_training_and_at_test(shi, monkeypatch):
    cfg = abl.lb_config(trigger_before=True, trigger_steps=7, **SMALL)
    path = drw.drawing_path(shi, cfg)
    seen = []
    advance = Network.advance

    def spy(self, sched, *a, **kw):
        seen.append(sched)
        return advance(self, sched, *a, **kw)

    monkeypatch.setattr(Network, "advance", spy)
    net = icfg.make_network(cfg, 1)
    drw.train_readout(net, path, cfg, 2)
    train = seen[:]
    seen.clear()
    drw.evaluate_drawing(net, path, cfg, 3, n_trials=1, n_periods=3)
    (test,) = seen
    C, s0 = cfg.cycle_steps, cfg.drawn_start
    assert len(train) == cfg.readout_trials
    for sched in train:
        # one cycle of inputs: exactly each cycle of the test
        for k in range(3):
            np.testing.assert_array_equal(sched.u, test.u[k * C:(k + 1) * C])
        # the readout learns on the drawn steps only, toward the drawn period's target
        k = np.arange(C)
        np.testing.assert_array_equal(sched.learn, (k >= s0) & (k % cfg.learn_every == 0))
        np.testing.assert_array_equal(sched.target[s0:], path.xy)
    # the inside protocol too (the trigger within the period): same inputs both ways
    seen.clear()
    inside = cfg.replace(trigger_before=False)
    net = icfg.make_network(inside, 1)
    drw.train_readout(net, path, inside, 2)
    drw.evaluate_drawing(net, path, inside, 3, n_trials=1, n_periods=2)
    T = inside.steps
    np.testing.assert_array_equal(seen[0].u, seen[-1].u[T:2 * T])
    res = drw.evaluate_drawing(net, path, inside, 3, n_trials=1, n_periods=2)
    assert res.z_drawn is res.z and res.drawn_start == 0 and res.cycle == T


def test_readings_are_the_claim_configuration_with_one_change_each():
    base = abl.lb_config(**SMALL)
    cfgs = rd.reading_configs(base)
    assert list(cfgs) == list(rd.READING_FIELDS) == ["inside", "before", "readout-whole"]
    assert cfgs["inside"] == base
    assert cfgs["before"] == base.replace(trigger_before=True)
    assert cfgs["readout-whole"] == base.replace(readout_whole_period=True)
    with pytest.raises(ValueError, match="trigger_before"):
        rd.reading_configs(cfgs["before"])
    with pytest.raises(TypeError, match="base"):
        rd.reading_configs({"g": 1.5})


@pytest.mark.parametrize("reading", list(rd.READING_FIELDS))
def test_each_readings_quick_version_runs_with_the_bits_of_its_parts(shi, reading):
    cfg = rd.reading_configs(abl.lb_config(**SMALL))[reading]
    kw = {"noise_levels": [0.0, 0.01], "perturb_amplitude": 2.0, "perturb_steps": 3}
    out = rd.reading_trial(cfg, 6, data=shi, n_test=2, n_test_periods=3, **kw)
    for k in ("error", "error_readout_only", "error_window", "error_window_readout_only",
              "error_noise0", "error_noise1_readout_only", "perturb_rest", "perturb_rest_base",
              "perturb_after_readout_only", "growth"):
        assert math.isfinite(out[k]) and out[k] >= 0, k
    assert math.isnan(out["error_trigger"]) == (reading == "before")
    if reading == "before":
        assert out["error_window"] == out["error"]  # the drawn period is all that is judged
    # the numbers are those of the runs the page shows (same seed, same bits)
    a, b = abl.rung_runs(cfg, 6, data=shi, n_test=2, n_test_periods=3)
    assert out["error"] == a.test.mean_error and out["error_readout_only"] == b.test.mean_error
    rob = rd.robustness(a, b, cfg, 6, n_trials=2, n_periods=3, **kw)
    assert all(out[k] == v for k, v in rob.items())
    # the training noise level gives the test's own protocol from other states: same scale
    assert abs(rob["error_noise0"] - out["error"]) < 0.5 * out["error"] + 0.02


def test_robustness_on_fewer_trials_than_the_test(shi):
    cfg = rd.reading_configs(abl.lb_config(**SMALL))["before"]
    kw = {"noise_levels": [0.0, 0.01], "perturb_amplitude": 2.0, "perturb_steps": 3}
    out = rd.reading_trial(cfg, 6, data=shi, n_test=3, n_test_periods=3, robust_trials=1, **kw)
    a, b = abl.rung_runs(cfg, 6, data=shi, n_test=3, n_test_periods=3)
    assert out["error"] == a.test.mean_error  # the claim's test keeps its n_test trials
    one = rd.robustness(a, b, cfg, 6, n_trials=1, n_periods=3, **kw)
    assert all(out[k] == v for k, v in one.items())
    three = rd.robustness(a, b, cfg, 6, n_trials=3, n_periods=3, **kw)
    assert any(one[k] != three[k] for k in one)  # the trial count reached robustness


def test_the_perturbation_lands_in_the_drawn_period_and_is_undone_by_the_next_trigger(shi):
    cfg = abl.lb_config(trigger_before=True, **SMALL)
    at = rd.perturb_step(cfg)
    C, s0, T = cfg.cycle_steps, cfg.drawn_start, cfg.steps
    assert C + s0 <= at < 2 * C  # in period 1, after its trigger
    assert at - C - s0 == T // 4
    a, b = abl.rung_runs(cfg, 8, data=shi, n_test=2, n_test_periods=3)
    none = rd.robustness(a, b, cfg, 8, n_trials=2, n_periods=3)
    assert none == {}
    big = rd.robustness(a, b, cfg, 8, n_trials=2, n_periods=3, perturb_amplitude=5.0,
                        perturb_steps=5)
    assert big["perturb_rest"] > big["perturb_rest_base"]  # a pulse of 5 moves the drawing


def test_bad_inputs(shi):
    cfg = abl.lb_config(trigger_before=True, **SMALL)
    a, b = abl.rung_runs(cfg, 8, data=shi, n_test=1, n_test_periods=3)
    with pytest.raises(ValueError, match="n_periods"):
        rd.robustness(a, b, cfg, 0, n_periods=2, perturb_amplitude=1.0, perturb_steps=2)
    with pytest.raises(ValueError, match=r"noise_levels\[1\]"):
        rd.robustness(a, b, cfg, 0, noise_levels=[0.0, -1.0])
    with pytest.raises(TypeError, match=r"noise_levels\[0\]"):
        rd.robustness(a, b, cfg, 0, noise_levels=["0.1"])
    with pytest.raises(TypeError, match="trained"):
        rd.robustness(None, b, cfg, 0)
    with pytest.raises(ValueError, match="perturb_steps"):
        rd.robustness(a, b, cfg, 0, perturb_amplitude=1.0, perturb_steps=10**4)
    with pytest.raises(ValueError, match="seed"):
        rd.reading_trial(cfg, -1, data=shi)
    with pytest.raises(ValueError, match="robust_trials"):
        rd.reading_trial(cfg, 0, data=shi, robust_trials=0)
    with pytest.raises(TypeError, match="robust_trials"):
        rd.reading_trial(cfg, 0, data=shi, robust_trials=2.5)
    with pytest.raises(ValueError, match="period"):
        rd.perturb_step(cfg, -1)


def test_headline_controls_are_the_two_ends_with_the_trigger_before():
    a, b = abl.fig3_headline_controls(**SMALL)
    assert a.config == abl.lb_config(trigger_before=True, **SMALL)
    assert b.config == icfg.InnateConfig(trigger_before=True, **SMALL)
    assert a.config == rd.reading_configs(abl.lb_config(**SMALL))["before"]
