"""Imperfect synapses: the defaults change nothing, each imperfection does what it says, bad
levels are refused by name."""

import math

import numpy as np
import pytest

from mtjlib.networks.dynamics import READ_OUT, synapse_normal
from mtjlib.networks.imperfections import Imperfections, Realised, realise
from mtjlib.networks.network import NetworkParams, build_network
from mtjlib.studies.s3_synapses import fig2_imperfect_trial
from mtjlib.tasks.generation import FIG2_TRAINING, fig2_timeline, run_timeline
from mtjlib.tasks.recognition import run_recognition
from mtjlib.training.force import force_train

SHORT = fig2_timeline(t_off1_ns=300.0, t_switch_ns=450.0, t_off2_ns=750.0, t_end_ns=900.0)


def _net(seed=3, **kw):
    rng = np.random.default_rng(seed)
    return build_network(NetworkParams(**kw), rng), rng


# Defaults: the ideal network, same bits ------------------------------------------------------

def test_default_imperfections_keep_every_bit_of_a_force_run():
    plain = run_timeline(NetworkParams(), 7, SHORT, **FIG2_TRAINING)
    dflt = run_timeline(NetworkParams(), 7, SHORT, imperfections=Imperfections(), **FIG2_TRAINING)
    net, rng = _net(7)
    ideal = realise(Imperfections(), net, rng, len(SHORT.t_ns))
    real = force_train(net, SHORT.target, SHORT.t_ns, SHORT.learn, imperfections=ideal,
                       **FIG2_TRAINING)
    for res in (dflt, real):
        assert np.array_equal(res.z, plain.z)
        assert np.array_equal(res.w_norm, plain.w_norm)
        assert np.array_equal(res.P, plain.P)


def test_default_realisation_is_unit_gains_zero_noise_length_one_lines_all_true_mask():
    net, rng = _net()
    syn = realise(Imperfections(), net, rng).synapses
    assert np.all(syn.out_gain == 1.0) and syn.read_sigma == syn.write_sigma == 0.0
    assert syn.depth == syn.fdepth == 1 and not syn.delay.any() and not syn.fdelay.any()
    assert np.all(syn.write_mask == 1.0) and np.all(syn.seen == 1.0)


def test_default_imperfections_keep_the_recognition_result():
    a = run_recognition(20, 4, n_train=10, n_test=10)
    b = run_recognition(20, 4, n_train=10, n_test=10, imperfections=Imperfections())
    assert np.array_equal(a.z, b.z)


def test_imperfections_do_not_change_the_network_and_do_not_share_streams():
    net0 = build_network(NetworkParams(), 5)
    net, _ = _net(5)
    assert np.array_equal(net.weights.data, net0.weights.data) and np.array_equal(net.x0, net0.x0)
    r1 = realise(Imperfections(static_sigma=0.1), net, np.random.default_rng(9))
    r2 = realise(Imperfections(static_sigma=0.1, recurrent_delay=2, delay_mode="random",
                               fail_fraction=0.3), net, np.random.default_rng(9))
    assert np.array_equal(r1.data, r2.data) and np.array_equal(r1.synapses.out_gain,
                                                               r2.synapses.out_gain)


# Each imperfection does what it says ---------------------------------------------------------

def test_static_spread_has_the_requested_sigma():
    net, rng = _net(n=300)
    sigma = 0.1
    rel = realise(Imperfections(static_sigma=sigma), net, rng)
    for got in (rel.data / net.weights.data - 1, rel.w_f / net.weights.w_f - 1,
                rel.synapses.out_gain - 1):
        got = got.ravel()
        se = sigma / math.sqrt(2 * len(got))  # standard error of a sample std
        assert abs(got.std() - sigma) < 5 * se + 1e-12
        assert abs(got.mean()) < 5 * sigma / math.sqrt(len(got))
    only = realise(Imperfections(static_sigma=sigma, fluctuating="readout"), net, rng)
    assert only.data is net.weights.data and only.synapses.out_gain.std() > 0.05


def test_counter_normals_are_standard():
    xs = np.array([synapse_normal(12345, READ_OUT, q, s) for q in range(50) for s in range(400)])
    assert abs(xs.mean()) < 5 / math.sqrt(len(xs))
    assert abs(xs.std() - 1) < 5 / math.sqrt(2 * len(xs))


def test_read_noise_on_the_readout_has_the_requested_sigma_and_is_fresh_each_step():
    sigma = 0.05
    net, rng = _net(feedback_scale=0.0)  # the readout does not act back: same rates
    net.w_out[0, 4] = 1.0
    ideal = net.run(2000, record=True)
    net.reset()
    net.counter = 0
    rel = realise(Imperfections(read_sigma=sigma, fluctuating="readout"), net, rng, 2000)
    noisy = net.run(2000, record=True, synapses=rel)
    assert np.array_equal(noisy.r, ideal.r)
    dev = noisy.z[:, 0] / ideal.r[:, 4] - 1
    assert abs(dev.std() - sigma) < 5 * sigma / math.sqrt(2 * len(dev))
    assert abs(np.corrcoef(dev[1:], dev[:-1])[0, 1]) < 5 / math.sqrt(len(dev))


@pytest.mark.parametrize(("d", "df"), [(0, 0), (1, 0), (2, 3), (5, 1)])
def test_delay_lines_shift_the_recurrent_and_feedback_signals_by_d_steps(d, df):
    net, rng = _net(11)
    net.w_out[0] = np.random.default_rng(1).uniform(-0.5, 0.5, net.n)
    T = 60
    rel = realise(Imperfections(recurrent_delay=d, feedback_delay=df), net, rng, T)
    run = net.run(T, record=True, synapses=rel)
    a, w = net.params.leak, net.weights
    J = net.J()
    x, r, z = run.x, run.r, run.z
    for t in range(max(d, df), T - 1):
        want = x[t] + a * (-x[t] + w.b + J @ r[t - d] + w.w_f @ z[t - df])
        assert np.allclose(x[t + 1], want, rtol=0, atol=1e-12)
    if d:  # and not the undelayed signal
        t = d + 5
        undelayed = x[t] + a * (-x[t] + w.b + J @ r[t] + w.w_f @ z[t - df])
        assert not np.allclose(x[t + 1], undelayed, rtol=0, atol=1e-9)


def test_random_delays_are_integers_up_to_the_maximum():
    net, rng = _net(n=100)
    syn = realise(Imperfections(recurrent_delay=4, feedback_delay=2, delay_mode="random"), net,
                  rng).synapses
    assert set(np.unique(syn.delay)) == {0, 1, 2, 3, 4} and syn.depth == 5
    assert syn.fdelay.max() <= 2 and syn.fdepth == syn.fdelay.max() + 1


@pytest.mark.parametrize("rule", ["blind", "aware"])
@pytest.mark.parametrize("value", ["zero", "initial"])
def test_frozen_readout_synapses_never_change(rule, value):
    net, rng = _net(2)
    w0 = np.random.default_rng(0).uniform(-0.1, 0.1, net.w_out.shape)
    net.w_out[:] = w0
    imp = Imperfections(fail_fraction=0.25, fail_value=value, fail_rule=rule)
    rel = realise(imp, net, rng, len(SHORT.t_ns))
    assert rel.failed.sum() == round(0.25 * net.n)
    force_train(net, SHORT.target, SHORT.t_ns, SHORT.learn, imperfections=rel, **FIG2_TRAINING)
    stuck = 0.0 if value == "zero" else w0[rel.failed]
    assert np.all(net.w_out[rel.failed] == stuck)
    assert np.all(net.w_out[~rel.failed] != w0[~rel.failed])


def test_write_noise_scales_each_update():
    sigma = 0.2
    t = SHORT.t_ns[:1]
    base, _ = _net(6)
    force_train(base, [0.5], t, [True], **FIG2_TRAINING)
    net, rng = _net(6)
    rel = realise(Imperfections(write_sigma=sigma), net, rng, 1)
    force_train(net, [0.5], t, [True], imperfections=rel, **FIG2_TRAINING)
    factor = net.w_out[0] / base.w_out[0] - 1  # one update from zero: (1 + sigma xi) - 1
    assert abs(factor.std() - sigma) < 5 * sigma / math.sqrt(2 * len(factor))


def test_fig2_trial_with_a_one_step_delay_still_learns():
    out = fig2_imperfect_trial(1, 0, name="recurrent_delay")
    assert out["nrmse_1"] < 0.1 and abs(out["period_ns_1"] - 45.0) < 1.0


# In situ or at test only ---------------------------------------------------------------------

def test_test_only_imperfections_leave_training_ideal_and_act_in_the_free_runs():
    """active='test': the learning windows run on ideal synapses (the same bits as the ideal
    run, P and readout included), the free runs on the realised ones (the same draws as in
    situ); with every level at 0 the whole run is the ideal one, bit for bit."""
    plain = run_timeline(NetworkParams(), 7, SHORT, **FIG2_TRAINING)
    zero = run_timeline(NetworkParams(), 7, SHORT, imperfections=Imperfections(active="test"),
                        **FIG2_TRAINING)
    for name in ("z", "w_norm", "P"):
        assert np.array_equal(getattr(zero, name), getattr(plain, name)), name
    for field in ("static_sigma", "read_sigma"):
        for fluct in ("all", "readout", "network"):
            imp = Imperfections(active="test", fluctuating=fluct, **{field: 0.05})
            test = run_timeline(NetworkParams(), 7, SHORT, imperfections=imp, **FIG2_TRAINING)
            first_free = int(np.argmin(SHORT.learn))
            assert np.array_equal(test.z[:first_free], plain.z[:first_free])
            assert not np.array_equal(test.z[first_free:], plain.z[first_free:])
            learn = SHORT.learn
            # during the second learning window the network is ideal again: the readout still
            # learns the ideal way, but from the state the imperfect free run left
            assert np.all(np.isfinite(test.z[learn]))
            insitu = run_timeline(NetworkParams(), 7, SHORT, imperfections=imp.replace(
                active="always"), **FIG2_TRAINING)
            assert not np.array_equal(insitu.z[:first_free], plain.z[:first_free])
    # a readout gain at test only: the same gains as in situ, and the first free step reads the
    # ideally trained readout through them
    net, rng = _net(7)
    rel = realise(Imperfections(static_sigma=0.1, active="test"), net, rng, len(SHORT.t_ns))
    net2, rng2 = _net(7)
    rel2 = realise(Imperfections(static_sigma=0.1), net2, rng2, len(SHORT.t_ns))
    assert np.array_equal(rel.synapses.out_gain, rel2.synapses.out_gain)
    res = force_train(net, SHORT.target, SHORT.t_ns, SHORT.learn, imperfections=rel,
                      record_rates=True, **FIG2_TRAINING)
    k = int(np.argmin(SHORT.learn))
    ideal, _ = _net(7)
    force_train(ideal, SHORT.target[:k], SHORT.t_ns[:k], SHORT.learn[:k], **FIG2_TRAINING)
    want = (rel.synapses.out_gain * ideal.w_out) @ res.r[k]
    assert np.allclose(res.z[k], want, rtol=1e-12, atol=1e-12)
    assert not np.allclose(res.z[k], ideal.w_out @ res.r[k], rtol=1e-6)


def test_test_only_recognition_trains_on_ideal_synapses():
    """Fig. 4 with the ridge readout: the training run is ideal at test only, so the readout
    (fitted on the training windows) is the ideal one; the test windows differ."""
    a = run_recognition(20, 4, n_train=10, n_test=10, method="ridge")
    b = run_recognition(20, 4, n_train=10, n_test=10, method="ridge",
                        imperfections=Imperfections(read_sigma=0.1, active="test"))
    c = run_recognition(20, 4, n_train=10, n_test=10, method="ridge",
                        imperfections=Imperfections(read_sigma=0.1))
    n_tr = 10 * a.stream.steps_per_window
    assert np.array_equal(a.w_out, b.w_out) and not np.array_equal(a.w_out, c.w_out)
    assert np.array_equal(a.z[:n_tr], b.z[:n_tr])
    assert not np.array_equal(a.z[n_tr:], b.z[n_tr:])
    f = run_recognition(20, 4, n_train=10, n_test=10,
                        imperfections=Imperfections(read_sigma=0.1, active="test"))
    g = run_recognition(20, 4, n_train=10, n_test=10)
    assert np.array_equal(f.z[:n_tr], g.z[:n_tr]) and np.array_equal(f.w_out, g.w_out)


@pytest.mark.parametrize("field", ["write_sigma", "recurrent_delay", "feedback_delay",
                                   "fail_fraction"])
def test_test_only_refuses_imperfections_that_act_on_learning_or_every_step(field):
    value = 1 if "delay" in field else 0.1
    with pytest.raises(ValueError, match=f"{field}=.*active='test'"):
        Imperfections(active="test", **{field: value})


# Bad levels ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("field", "value"), [
    ("static_sigma", -0.1), ("read_sigma", float("nan")), ("write_sigma", 2.0),
    ("fail_fraction", 1.5), ("fail_fraction", -0.01), ("recurrent_delay", -1),
    ("feedback_delay", -2), ("static_sigma", float("inf"))])
def test_bad_levels_name_the_field(field, value):
    with pytest.raises(ValueError, match=field):
        Imperfections(**{field: value})


@pytest.mark.parametrize(("field", "value"), [("delay_mode", "gaussian"), ("fail_value", "one"),
                                              ("fail_rule", "oracle"), ("fluctuating", "J"),
                                              ("active", "training")])
def test_bad_choices_name_the_field(field, value):
    with pytest.raises(ValueError, match=field):
        Imperfections(**{field: value})


def test_bad_types_and_fields():
    with pytest.raises(TypeError, match="recurrent_delay"):
        Imperfections(recurrent_delay=1.5)
    with pytest.raises(ValueError, match="unknown imperfection"):
        Imperfections().replace(weight_noise=0.1)


def test_a_delay_longer_than_the_run_is_refused():
    net, rng = _net()
    with pytest.raises(ValueError, match="recurrent_delay=10 steps is not shorter than the run"):
        realise(Imperfections(recurrent_delay=10), net, rng, 10)
    with pytest.raises(ValueError, match="feedback_delay"):
        force_train(net, SHORT.target[:5], SHORT.t_ns[:5], np.ones(5, bool),
                    imperfections=Imperfections(feedback_delay=7), imperfections_seed=1)


def test_realised_for_another_network_or_missing_seed_is_refused():
    net, rng = _net()
    other, _ = _net(n=30)
    rel = realise(Imperfections(static_sigma=0.1), other, rng)
    assert isinstance(rel, Realised)
    with pytest.raises(ValueError, match="realised for"):
        net.run(5, synapses=rel)
    with pytest.raises(ValueError, match="imperfections_seed"):
        force_train(net, SHORT.target[:5], SHORT.t_ns[:5], np.ones(5, bool),
                    imperfections=Imperfections(read_sigma=0.1))
    with pytest.raises(ValueError, match="n_out=1"):
        realise(Imperfections(fail_fraction=0.1, fail_rule="aware"),
                build_network(NetworkParams(n_out=2), 0), rng)
