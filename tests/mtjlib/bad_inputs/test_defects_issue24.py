"""Bad inputs to mtjlib's public API (issues 13 and 24): Issue 24: one defect test per case it lists."""

from __future__ import annotations

import math

import numpy as np
import pytest
from bad_input_helpers import (
    DEV,
    _hanzi,
    _innate,
    _named_error,
    _no_work,
    _small_innate_config,
    _WorkStarted,
)

from mtjlib.networks.imperfections import Imperfections
from mtjlib.networks.network import build_memory, build_network
from mtjlib.physics.delta_r_rules import delta_r
from mtjlib.physics.llg import coefficients, simulate_batch
from mtjlib.tasks.generation import fig2_timeline, sine, timeline
from mtjlib.tasks.recognition import recognition_network
from mtjlib.training.force import force_train


def test_defect_callers_names_before_any_work(monkeypatch):
    """run_innate named `char=` for its `data`, `n_trials`/`n_periods` for `n_test`/
    `n_test_periods`, and only after training; the character functions named `char=`."""
    from mtjlib.tasks import character, drawing

    cfg = _small_innate_config()
    monkeypatch.setattr(drawing, "make_network", _no_work)
    for kw, name in (({"n_test": 0}, "n_test"), ({"n_test_periods": 1.5}, "n_test_periods"),
                     ({"record_units": [0.5]}, "record_units")):
        msg = _named_error(lambda k=kw: drawing.run_innate(_hanzi(), cfg, **k), name)
        assert "n_trials" not in msg and "n_periods=" not in msg
    for fn in (drawing.run_innate, lambda d, c: drawing.drawing_path(d, c)):
        msg = _named_error(lambda f=fn: f("ab", cfg), "data='ab'")
        assert "char=" not in msg
    msg = _named_error(lambda: character.character_path(""), "data=''")
    assert "char=" not in msg
    with pytest.raises(FileNotFoundError, match="data='no-such.json'"):
        drawing.run_innate("no-such.json", cfg)
    with pytest.raises(_WorkStarted):  # valid arguments reach the work
        drawing.run_innate(_hanzi(), cfg, n_test=1, n_test_periods=1, record_units=[0, 7])


def test_defect_realised_for_another_network_names_the_argument():
    """Imperfections realised for another network named no argument."""
    from mtjlib.tasks.recognition import recognition_stream, train_and_classify

    other = Imperfections(read_sigma=0.1).realise(build_network(n=5, seed=0), 0)
    net = build_network(n=6, seed=1)
    _named_error(lambda: net.run(3, synapses=other), "synapses")
    _named_error(lambda: force_train(net, np.ones(3), np.arange(3) * 1.5, np.ones(3, bool),
                                     imperfections=other), "imperfections")
    rec = recognition_network(5, 0)
    own = Imperfections(read_sigma=0.1).realise(build_network(n=6, n_in=1, seed=0), 0)
    _named_error(lambda: train_and_classify(rec, recognition_stream(3), 1, imperfections=own),
                 "imperfections")


def test_defect_drawing_error_names_an_empty_target_and_never_overflows():
    """drawing_error blamed z for an empty target, and returned inf for huge values."""
    from mtjlib.tasks.drawing import drawing_error

    f = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]])
    msg = _named_error(lambda: drawing_error(np.zeros((4, 2)), np.zeros((0, 2))), "target")
    assert not msg.startswith("z")
    _named_error(lambda: drawing_error(np.full((4, 2), 1e200), f), "z")
    _named_error(lambda: drawing_error(np.zeros((4, 2)), f * 1e200), "target")
    _named_error(lambda: drawing_error(np.full((2, 2), 1e150), f[:2] * 1e-300), "target")
    z = f[::-1] * 0.9
    e = drawing_error(z, f)
    assert drawing_error(z * 1e-200, f * 1e-200) == pytest.approx(e, rel=1e-12)  # no underflow
    assert drawing_error(z * 1e140, f * 1e140) == pytest.approx(e, rel=1e-12)


def test_defect_wrong_types_never_reach_an_attribute():
    """imperfections='bad' or a dict in run_recognition raised AttributeError; so did a params,
    config or net of the wrong type in several entry points."""
    from mtjlib.studies import s1_sizes, s2_phase_noise
    from mtjlib.tasks.recognition import run_recognition
    from mtjlib.training import innate_config

    for bad in ("bad", {"read_sigma": 0.1}):
        _named_error(lambda b=bad: run_recognition(4, n_train=2, n_test=2, imperfections=b),
                     "imperfections")
    _named_error(lambda: innate_config.innate_memory("c"), "config")
    _named_error(lambda: build_memory(None), "params")
    _named_error(lambda: s1_sizes.fig2_family_trial(params="p"), "params")
    _named_error(lambda: s2_phase_noise.free_run_swap(4, 0, 1e-5, 15.0, params={}), "params")


@pytest.mark.parametrize("medians", [[[0.0, 0.0], [1e308, 1e308]], [[-1e308, 0.0], [1e308, 1.0]],
                                     [[0.0, 0.0], [1e-320, 0.0]]])
def test_defect_character_medians_out_of_range(medians):
    """A huge coordinate in a character's medians gave an IndexError (the span overflowed)."""
    from mtjlib.tasks.character import character_path

    _named_error(lambda: character_path({"strokes": ["M 0 0 Z"], "medians": [medians]}), "data")


def test_defect_fit_noise_law_degenerate():
    """One temperature gave numbers; NaN or negative v_ref a LinAlgError. A single temperature
    with several volumes is a volume law: the undetermined T exponent is NaN, not a number."""
    from mtjlib.physics.thermal import fit_noise_law

    _named_error(lambda: fit_noise_law([300.0, 300.0], [1.0, 2.0]), "temperature")
    for v_ref in (math.nan, -1.0, 0.0):
        _named_error(lambda r=v_ref: fit_noise_law([1.0, 300.0], [1.0, 2.0],
                                                   volume=[1e-24, 2e-24], v_ref=r), "v_ref")
    _named_error(lambda: fit_noise_law([1.0, 2.0, 4.0], [1.0, 2.0, 3.0], volume=[1.0, 4.0, 16.0]),
                 "volume")
    law = fit_noise_law([1e-4] * 3, [0.1, 0.2, 0.25], volume=[1e-24, 1.6e-24, 2.1e-24])
    assert math.isnan(law.t_exponent) and math.isnan(law.prefactor)
    assert math.isfinite(law.v_exponent)


def test_defect_silent_coercions():
    """record_units=[0.5] became unit 0, cache='no' counted as true, a step longer than the
    timeline gave a one-step timeline, and a segment shorter than a step was dropped."""
    from mtjlib.physics.thermal import noise_calibration
    from mtjlib.tasks.drawing import evaluate_drawing
    from mtjlib.tasks.generation import Segment

    net, cfg, path = _innate()
    for units in ([0.5], [True], [[0]], [-1], [cfg.n_mtj]):
        _named_error(lambda u=units: evaluate_drawing(net, path, cfg, n_trials=1, n_periods=1,
                                                      record_units=u), "record_units")
    for cache in ("no", 0, None):
        _named_error(lambda c=cache: noise_calibration(cache=c), "cache")
    seg = Segment(0.0, sine(1.0, 45.0), True)
    _named_error(lambda: timeline([seg], 10.0, dt_ns=100.0), "dt_ns", 100.0, show_value=True)
    _named_error(lambda: fig2_timeline(dt_ns=2000.0), "dt_ns")  # the first free run: no step
    assert len(timeline([seg], 10.0, dt_ns=10.0).t_ns) == 1  # a step of the whole timeline


def test_defect_thermal_run_on_coefficients_built_for_another_temperature():
    """simulate_batch at 300 K ran without noise on coefficients built at 0 K."""
    c0 = coefficients(DEV, [0.9e10])
    msg = _named_error(lambda: simulate_batch(c0, (0, 0, 1), 1e-11, temperature=300.0),
                       "temperature", 300.0, show_value=True)
    assert "coefficients(device, j, temperature=300.0" in msg
    c300 = coefficients(DEV, [0.9e10], temperature=300.0)
    _named_error(lambda: simulate_batch(c300, (0, 0, 1), 1e-11), "temperature")
    assert np.all(np.isfinite(simulate_batch(c300, (0, 0, 1), 1e-11, temperature=300.0).m))


def test_defect_no_recurrent_trial_is_a_readout_only_run():
    """n_recurrent_trials=0 reported an innate-trained run: it is the readout-only run (same
    bits as readout_only=True) and says so."""
    from mtjlib.tasks.drawing import run_innate

    cfg = _small_innate_config().replace(n_recurrent_trials=0)
    a = run_innate(_hanzi(), cfg, 3, n_test=1, n_test_periods=1)
    b = run_innate(_hanzi(), cfg.replace(n_recurrent_trials=1), 3, readout_only=True, n_test=1,
                   n_test_periods=1)
    assert a.readout_only and len(a.log.recurrent_error) == 0
    np.testing.assert_array_equal(a.test.z, b.test.z)


def test_defect_delta_r_samples_checks_j_like_delta_r():
    """delta_r_samples accepted an empty j that delta_r rejects (and bools, as 1 A/m^2)."""
    from mtjlib.physics.thermal import delta_r_samples

    for j in ([], [True], np.zeros((2, 2))):
        _named_error(lambda v=j: delta_r(DEV, v), "j")
        _named_error(lambda v=j: delta_r_samples(DEV, 0.0, v, 2), "j")
    assert delta_r_samples(DEV, 0.0, 0.9e10, 2, t_window=4e-10).shape == (1, 2)
