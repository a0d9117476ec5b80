"""The bad-input cases of mtjlib's training layer (force, innate, innate_config; the innate
section also calls the drawing task, tasks.drawing, that innate training serves), for
``tools/bad_inputs/sweep.py``: importing this module adds them, each section under its name
(the runner puts the sections in order).
"""

from __future__ import annotations

import numpy as np
from shared import (
    BAD_ARR,
    BAD_OBJ,
    CFG,
    DATA,
    HUGE_ARR,
    INET,
    NAN,
    NET,
    NET2,
    NOT_BOOL,
    NOT_INT,
    NOT_REAL,
    NOT_SEED,
    PATH,
    REAL_OTHER,
    TT,
    T,
    add,
    section,
)

from mtjlib.tasks import character, drawing
from mtjlib.training import force, innate, innate_config

# force ------------------------------------------------------------------------------------------
section("force")
add("force_train", "net", lambda v: force.force_train(v, np.ones(4), TT, np.ones(4, bool)),
    BAD_OBJ + [None])
add("force_train", "p_reset", lambda v: force.force_train(NET, np.ones(4), TT, np.ones(4, bool),
                                                          p_reset=v), ["bogus", None, 3])
add("force_train", "forgetting",
    lambda v: force.force_train(NET, np.ones(4), TT, np.ones(4, bool), forgetting=v),
    NOT_REAL + [0.1, 1.5])
add("force_train", "alpha", lambda v: force.force_train(NET, np.ones(4), TT, np.ones(4, bool),
                                                        alpha=v), NOT_REAL + [0.0, -1.0])
add("force_train", "u", lambda v: force.force_train(NET2, np.ones(4), TT, np.ones(4, bool), u=v),
    BAD_ARR[:8] + [np.zeros((3, 1))])
add("force_train", "reset", lambda v: force.force_train(NET, np.ones(4), TT, np.ones(4, bool),
                                                        reset=v), ["r", [2, 0, 0, 0]])
add("force_train", "imperfections",
    lambda v: force.force_train(NET, np.ones(4), TT, np.ones(4, bool), imperfections=v),
    BAD_OBJ + [REAL_OTHER])
add("force_train", "target", lambda v: force.force_train(NET, v, TT, np.ones(4, bool)),
    HUGE_ARR + [lambda t: "x", lambda t: np.full(len(t), NAN)])


# innate ----------------------------------------------------------------------------------------
section("innate")
for f, extra in [("n_mtj", [1]), ("p", [0.0]), ("g", [-1.0]), ("tau_ns", [0.0]),
                 ("input_scale", [-1.0]), ("period_ns", [1.0]), ("trigger_amplitude", [1e9]),
                 ("noise", [-1.0]), ("readout_samples_per_weight", [0.0]),
                 ("alpha_recurrent", [0.0]), ("alpha_readout", [0.0]), ("amplitude", [0.0]),
                 ("pen_up_speed_ratio", [0.0])]:
    add("InnateConfig", f, lambda v, f=f: innate_config.InnateConfig(**{f: v}),
        (NOT_INT if f == "n_mtj" else NOT_REAL) + extra)
for f, extra in [("trigger_steps", [0, 200]), ("n_recurrent_trials", [-1]),
                 ("n_readout_trials", [0]), ("learn_every", [0])]:
    add("InnateConfig", f, lambda v, f=f: innate_config.InnateConfig(**{f: v}), NOT_INT[:4] + extra)
add("InnateConfig", "init_range", lambda v: innate_config.InnateConfig(init_range=v),
    [(1.0, 0.0), (NAN, 1.0), "ab", 3, (0.0, 1.0, 2.0), (0.0, "1")])
add("InnateConfig.replace", "bogus", lambda v: CFG.replace(bogus=v), [1])
add("period_steps", "period_ns", innate_config.period_steps, NOT_REAL + [0.0])
add("period_steps", "dt_ns", lambda v: innate_config.period_steps(15.0, v), NOT_REAL + [0.0])
add("make_network", "config", lambda v: innate_config.make_network(v), BAD_OBJ + [None])
add("make_network", "seed", lambda v: innate_config.make_network(CFG, v), NOT_SEED)
add("trigger_input", "config", innate_config.trigger_input, BAD_OBJ)
add("trigger_input", "n_periods", lambda v: innate_config.trigger_input(CFG, v), NOT_INT + [0])
add("trigger_input", "perturb_step", lambda v: innate_config.trigger_input(CFG, perturb_step=v,
                                                                           perturb_steps=1),
    NOT_INT + [-1, 100])
add("trigger_input", "perturb_amplitude", lambda v: innate_config.trigger_input(
    CFG, perturb_step=1, perturb_steps=1, perturb_amplitude=v), NOT_REAL)
add("trigger_input", "perturb_steps", lambda v: innate_config.trigger_input(CFG, perturb_step=1,
                                                                            perturb_steps=v),
    NOT_INT + [0])
add("innate_memory", "config", innate_config.innate_memory, BAD_OBJ)
add("random_state", "net", lambda v: innate_config.random_state(v, CFG, np.random.default_rng()),
    BAD_OBJ + [NET])
add("learn_window", "config", innate.learn_window, BAD_OBJ)
add("record_innate", "net", lambda v: innate.record_innate(v, CFG), BAD_OBJ + [NET])
add("record_innate", "seed", lambda v: innate.record_innate(INET, CFG, v), NOT_SEED)
add("plastic_rows", "n", lambda v: innate.plastic_rows(v, 0.5), NOT_INT + [0])
add("plastic_rows", "fraction", lambda v: innate.plastic_rows(4, v), NOT_REAL + [1.5])
add("train_recurrent", "innate", lambda v: innate.train_recurrent(INET, v, CFG),
    BAD_ARR + [np.zeros((T, 7)), np.full((T, 8), 1e300)])
add("train_recurrent", "seed", lambda v: innate.train_recurrent(INET, np.zeros((T, 8)), CFG, v),
    NOT_SEED)
add("train_recurrent", "config", lambda v: innate.train_recurrent(INET, np.zeros((T, 8)), v),
    BAD_OBJ)
add("train_readout", "seed", lambda v: drawing.train_readout(INET, PATH, CFG, v), NOT_SEED)
add("train_readout", "path", lambda v: drawing.train_readout(INET, v, CFG),
    [character.character_path(DATA, period_ns=30.0)])
add("drawing_error", "target", lambda v: drawing.drawing_error(np.zeros((4, 2)), v),
    BAD_ARR + [np.zeros((0, 2)), np.zeros((4, 3)), np.zeros((1, 2)),
               np.full((4, 2), 1e300)])
add("drawing_error", "z", lambda v: drawing.drawing_error(v, np.array([[0, 0], [1.0, 1.0]])),
    BAD_ARR + [np.zeros((3, 2)), np.zeros((0, 2)), np.full((4, 2), 1e300),
               np.full((4, 2), 1e200)])
add("evaluate_drawing", "n_trials", lambda v: drawing.evaluate_drawing(INET, PATH, CFG,
                                                                       n_trials=v, n_periods=1),
    NOT_INT + [0])
add("evaluate_drawing", "noise", lambda v: drawing.evaluate_drawing(INET, PATH, CFG, n_trials=1,
                                                                    n_periods=1, noise=v),
    NOT_REAL + [-1.0])
add("evaluate_drawing", "u", lambda v: drawing.evaluate_drawing(INET, PATH, CFG, n_trials=1,
                                                                n_periods=1, u=v),
    BAD_ARR[:8] + [np.zeros((T + 1, 2))])
add("evaluate_drawing", "record_units", lambda v: drawing.evaluate_drawing(
    INET, PATH, CFG, n_trials=1, n_periods=1, record_units=v),
    [[0.5], [-1], [8], "a", [[0]], [True], [NAN]])
add("evaluate_drawing", "seed", lambda v: drawing.evaluate_drawing(INET, PATH, CFG, v, n_trials=1,
                                                                   n_periods=1), NOT_SEED)
add("evaluate_drawing", "path", lambda v: drawing.evaluate_drawing(INET, v, CFG, n_trials=1,
                                                                   n_periods=1), BAD_OBJ)
add("divergence", "n_steps", lambda v: innate.divergence(INET, v), NOT_INT + [0])
add("divergence", "u", lambda v: innate.divergence(INET, 5, u=v), BAD_ARR[:8] + [np.zeros((4, 2))])
add("divergence", "seed", lambda v: innate.divergence(INET, 5, seed=v), NOT_SEED)
add("divergence", "config", lambda v: innate.divergence(INET, 5, config=v), BAD_OBJ)
add("drawing_path", "data", lambda v: drawing.drawing_path(v, CFG), ["ab", 3, None, {"x": 1}])
add("drawing_path", "config", lambda v: drawing.drawing_path(DATA, v), BAD_OBJ)
add("run_innate", "data", lambda v: drawing.run_innate(v, CFG), ["ab", "", 3, None, {"x": 1},
                                                                 "x.json"])
add("run_innate", "config", lambda v: drawing.run_innate(DATA, v), BAD_OBJ)
add("run_innate", "seed", lambda v: drawing.run_innate(DATA, CFG, v), NOT_SEED)
add("run_innate", "readout_only", lambda v: drawing.run_innate(DATA, CFG, readout_only=v),
    NOT_BOOL)
add("run_innate", "n_test", lambda v: drawing.run_innate(DATA, CFG, n_test=v), NOT_INT + [0])
add("run_innate", "n_test_periods", lambda v: drawing.run_innate(DATA, CFG, n_test_periods=v),
    NOT_INT + [0])
add("run_innate", "record_units", lambda v: drawing.run_innate(DATA, CFG, record_units=v),
    [[0.5], [-1], [8], "a", [[0]]])
add("run_innate", "bogus", lambda v: drawing.run_innate(DATA, CFG, bogus=v), [1])
add("innate_trial", "name", lambda v: drawing.innate_trial(1, name=v, data=DATA, config=CFG),
    [3, "bogus"])
add("innate_trial", "data", lambda v: drawing.innate_trial(None, data=v, config=CFG),
    [None, "ab", 3])
add("innate_trial", "n_test", lambda v: drawing.innate_trial(None, data=DATA, config=CFG,
                                                             n_test=v), NOT_INT + [0])
add("innate_trial", "config", lambda v: drawing.innate_trial(None, data=DATA, config=v), BAD_OBJ)
add("recurrent_plateau", "tol", lambda v: innate.recurrent_plateau([1.0] * 10, tol=v),
    NOT_REAL + [0.0, 2.0])
add("recurrent_plateau", "errors", lambda v: innate.recurrent_plateau(v), HUGE_ARR)
add("llg_network", "net", lambda v: innate_config.llg_network(v), BAD_OBJ + [NET])
add("llg_network", "llg_dt", lambda v: innate_config.llg_network(INET, llg_dt=v), NOT_REAL + [0.0])
