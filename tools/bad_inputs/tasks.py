"""The bad-input cases of mtjlib's tasks layer (generation, metrics, recognition, character,
character_data; tasks.drawing is in the innate section of ``training.py``), for
``tools/bad_inputs/sweep.py``: importing this module adds them, each section under its
name (the runner puts the sections in order).
"""

from __future__ import annotations

import numpy as np
from shared import (
    BAD_ARR,
    BAD_OBJ,
    DATA,
    HUGE_ARR,
    HZ,
    NAN,
    NOT_INT,
    NOT_REAL,
    NOT_SEED,
    PATH,
    REAL_OTHER,
    RNET,
    ROOT,
    STREAM,
    TL,
    add,
    section,
)

from mtjlib.networks import imperfections, network
from mtjlib.tasks import character, character_data, generation, metrics, recognition

# generation ---------------------------------------------------------------------------------
section("generation")
add("sine", "amplitude", lambda v: generation.sine(v, 45.0), NOT_REAL)
add("sine", "phase", lambda v: generation.sine(1.0, 45.0, v), NOT_REAL)
add("Sine.__call__", "t_ns", lambda v: generation.sine(1.0, 45.0)(v), BAD_ARR)
add("timeline", "segments", lambda v: generation.timeline(v, 10.0),
    ["s", 3, [], [1, 2], None])
add("timeline", "t_end_ns", lambda v: generation.timeline(
    [generation.Segment(0.0, generation.sine(1.0, 45.0), True)], v), NOT_REAL + [0.0, -1.0])
add("timeline", "dt_ns", lambda v: generation.timeline(
    [generation.Segment(0.0, generation.sine(1.0, 45.0), True)], 10.0, v),
    NOT_REAL + [0.0, 100.0])
add("timeline", "dt_ns", lambda v: generation.timeline(
    [generation.Segment(0.0, generation.sine(1.0, 45.0), True),
     generation.Segment(4.0, generation.sine(1.0, 45.0), False),
     generation.Segment(5.0, generation.sine(1.0, 45.0), True)], 30.0, v), [3.0])
add("fig2_timeline", "dt_ns", lambda v: generation.fig2_timeline(dt_ns=v), [20000.0, 2000.0])
add("fig2_timeline", "t_off1_ns", lambda v: generation.fig2_timeline(t_off1_ns=v),
    NOT_REAL + [0.0, 6000.0])
add("run_timeline", "params", lambda v: generation.run_timeline(v, 0, TL), BAD_OBJ + [None])
add("run_timeline", "seed", lambda v: generation.run_timeline(network.NetworkParams(n=4), v, TL),
    NOT_SEED)
add("run_timeline", "timeline", lambda v: generation.run_timeline(network.NetworkParams(n=4), 0,
                                                                  v), BAD_OBJ + [None])
add("run_timeline", "imperfections",
    lambda v: generation.run_timeline(network.NetworkParams(n=4), 0, TL, imperfections=v),
    BAD_OBJ)
add("run_timeline", "bogus",
    lambda v: generation.run_timeline(network.NetworkParams(n=4), 0, TL, bogus=v), [1])
add("fig2_trial", "seed", lambda v: generation.fig2_trial(None, v, params=network.NetworkParams(
    n=4), timeline=TL), NOT_SEED)
add("fig2_trial", "timeline", lambda v: generation.fig2_trial(timeline=v), BAD_OBJ)
add("fig2_trial", "imperfections", lambda v: generation.fig2_trial(
    params=network.NetworkParams(n=4), timeline=TL, imperfections=v), BAD_OBJ)
add("fig2_trial", "g", lambda v: generation.fig2_trial(v, 0, name="g", timeline=TL), [NAN, -1.0])
add("fig2_trial", "alpha", lambda v: generation.fig2_trial(v, 0, name="alpha", timeline=TL,
                                                           params=network.NetworkParams(n=4)),
    [NAN, -1.0, "a"])


# metrics ----------------------------------------------------------------------------------------
section("metrics")
add("free_run_windows", "learn", metrics.free_run_windows, ["l", [0.5, 1.0], [2, 0], None,
                                                            np.ones((2, 2), bool)])
add("free_run_report", "t_ns", lambda v: metrics.free_run_report(v, np.ones(4), np.ones(4),
                                                                 [1, 1, 0, 0]),
    BAD_ARR + [np.ones(3)])
add("free_run_report", "z", lambda v: metrics.free_run_report(np.arange(4.0), v, np.ones(4),
                                                              [1, 1, 0, 0]),
    BAD_ARR + [np.ones(3)])
add("free_run_report", "target", lambda v: metrics.free_run_report(np.arange(4.0), np.ones(4), v,
                                                                   [1, 1, 0, 0]),
    BAD_ARR + [np.ones(3), np.zeros(4)])
add("free_run_report", "learn", lambda v: metrics.free_run_report(np.arange(4.0), np.ones(4),
                                                                  np.ones(4), v),
    ["l", [2, 0, 0, 0], np.ones(3, bool)])
add("free_run_report", "t_end_ns", lambda v: metrics.free_run_report(
    np.arange(4.0), np.ones(4), np.ones(4), [1, 1, 0, 0], v), NOT_REAL[:6])
add("rolling_nrmse", "window_steps", lambda v: metrics.rolling_nrmse(np.ones(4), np.ones(4), v),
    NOT_INT + [0, 5])
add("rolling_nrmse", "z", lambda v: metrics.rolling_nrmse(v, np.ones(4), 2), BAD_ARR + [[]])
add("settle_time", "t_ns", lambda v: metrics.settle_time(v, np.ones(4), 0.0, 3.0, 0.5),
    BAD_ARR + [np.ones(3)])
add("settle_time", "err", lambda v: metrics.settle_time(np.arange(4.0), v, 0.0, 3.0, 0.5),
    BAD_ARR[2:] + [np.ones(3)])
add("settle_time", "lo_ns", lambda v: metrics.settle_time(np.arange(4.0), np.ones(4), v, 3.0,
                                                          0.5), NOT_REAL)
add("settle_time", "hi_ns", lambda v: metrics.settle_time(np.arange(4.0), np.ones(4), 0.0, v,
                                                          0.5), NOT_REAL + [-1.0])
add("zero_crossing_period", "t_ns", lambda v: metrics.zero_crossing_period(v, np.ones(4)),
    BAD_ARR + [np.ones(3)])


# recognition --------------------------------------------------------------------------------
section("recognition")
add("recognition_stream", "seed", lambda v: recognition.recognition_stream(3, v), NOT_SEED)
add("recognition_stream", "w1", lambda v: recognition.recognition_stream(3, w1=v),
    NOT_REAL + [0.0])
add("recognition_stream", "window_ns", lambda v: recognition.recognition_stream(3, window_ns=v),
    NOT_REAL + [0.0, 61.0])
add("recognition_stream", "dt_ns", lambda v: recognition.recognition_stream(3, dt_ns=v),
    NOT_REAL + [0.0])
add("recognition_stream", "time_origin",
    lambda v: recognition.recognition_stream(3, time_origin=v), ["bogus", None])
add("recognition_stream", "p_sine", lambda v: recognition.recognition_stream(3, p_sine=v),
    NOT_REAL + [1.5])
add("fit_ridge", "rates", lambda v: recognition.fit_ridge(v, np.ones(4)), HUGE_ARR)
add("window_means", "z", lambda v: recognition.window_means(v, 2), HUGE_ARR)
add("recognition_network", "seed", lambda v: recognition.recognition_network(4, v), NOT_SEED)
add("recognition_network", "params", lambda v: recognition.recognition_network(4, 0, v), BAD_OBJ)
add("recognition_network", "n_in", lambda v: recognition.recognition_network(4, 0, n_in=v), [2])
add("train_and_classify", "net", lambda v: recognition.train_and_classify(v, STREAM, 2),
    BAD_OBJ + [None])
add("train_and_classify", "stream", lambda v: recognition.train_and_classify(RNET, v, 2),
    BAD_OBJ + [None])
add("train_and_classify", "n_train", lambda v: recognition.train_and_classify(RNET, STREAM, v),
    NOT_INT + [0, 4])
add("train_and_classify", "method",
    lambda v: recognition.train_and_classify(RNET, STREAM, 2, method=v), ["bogus", None])
add("train_and_classify", "alpha",
    lambda v: recognition.train_and_classify(RNET, STREAM, 2, alpha=v), NOT_REAL + [0.0])
add("train_and_classify", "ridge",
    lambda v: recognition.train_and_classify(RNET, STREAM, 2, method="ridge", ridge=v),
    NOT_REAL + [0.0])
add("train_and_classify", "imperfections",
    lambda v: recognition.train_and_classify(RNET, STREAM, 2, imperfections=v),
    BAD_OBJ + [REAL_OTHER])
add("train_and_classify", "imperfections",
    lambda v: recognition.train_and_classify(RNET, STREAM, 2, method="ridge", imperfections=v),
    [REAL_OTHER, imperfections.Imperfections(read_sigma=0.1)])
add("run_recognition", "n_mtj", lambda v: recognition.run_recognition(v, n_train=2, n_test=2),
    NOT_INT + [0])
add("run_recognition", "seed", lambda v: recognition.run_recognition(4, v, n_train=2, n_test=2),
    NOT_SEED)
add("run_recognition", "noise", lambda v: recognition.run_recognition(4, noise=v, n_train=2,
                                                                      n_test=2),
    NOT_REAL + [-1.0])
add("run_recognition", "n_train", lambda v: recognition.run_recognition(4, n_train=v, n_test=2),
    NOT_INT + [0])
add("run_recognition", "n_test", lambda v: recognition.run_recognition(4, n_train=2, n_test=v),
    NOT_INT + [0])
add("run_recognition", "method", lambda v: recognition.run_recognition(4, n_train=2, n_test=2,
                                                                       method=v), ["bogus"])
add("run_recognition", "stream_kw", lambda v: recognition.run_recognition(4, n_train=2, n_test=2,
                                                                          stream_kw=v),
    ["s", [1, 2], 3, {"bogus": 1}])
add("run_recognition", "train_kw", lambda v: recognition.run_recognition(4, n_train=2, n_test=2,
                                                                         train_kw=v),
    ["s", [1, 2], 3, {"bogus": 1}])
add("run_recognition", "imperfections",
    lambda v: recognition.run_recognition(4, n_train=2, n_test=2, imperfections=v),
    BAD_OBJ + [REAL_OTHER])
add("run_recognition", "bogus", lambda v: recognition.run_recognition(4, n_train=2, n_test=2,
                                                                      bogus=v), [1])
add("recognition_trial", "noise", lambda v: recognition.recognition_trial(
    v, 0, n_mtj=4, n_train=2, n_test=2), [NAN, -1.0, "a"])


# character ----------------------------------------------------------------------------------
section("character")
add("load_character", "char", lambda v: character_data.load_character(v, HZ),
    ["", "ab", "a", 3, None, b"x", "\u00e9"])
add("load_character", "data_dir", lambda v: character_data.load_character("人", v),
    [3, "/nonexistent/dir", ROOT / "README.md"])
add("character_path", "data", lambda v: character.character_path(v),
    ["ab", "", 3, None, {"x": 1}, {"strokes": ["M 0 0 Z"], "medians": [[[0, 0]]]},
     {"strokes": ["M 0 0 Z"], "medians": [[[0, 0], [1e308, 1e308]]]},
     {"strokes": ["M 0 0 Z"], "medians": [[[-1e308, 0], [1e308, 1]]]},
     {"strokes": ["M 0 0 Z"], "medians": [[[0, 0], [NAN, 1]]]},
     {"strokes": ["M 0 0 Z"], "medians": [[[0, 0], [1e-320, 0]]]},
     {"strokes": [3], "medians": [[[0, 0], [1, 1]]]}])
add("character_path", "period_ns", lambda v: character.character_path(DATA, period_ns=v),
    NOT_REAL + [0.0, 1e300])
add("character_path", "dt_ns", lambda v: character.character_path(DATA, dt_ns=v),
    NOT_REAL + [0.0, 1000.0, 1e-300])
add("character_path", "amplitude", lambda v: character.character_path(DATA, amplitude=v),
    NOT_REAL + [0.0, 1e308])
add("character_path", "pen_up_speed_ratio",
    lambda v: character.character_path(DATA, pen_up_speed_ratio=v), NOT_REAL + [0.0, 1e-320])
add("outline_paths", "data", lambda v: character.outline_paths(v), ["ab", 3, None, {"x": 1}])
add("outline_paths", "points_per_curve", lambda v: character.outline_paths(DATA,
                                                                           points_per_curve=v),
    NOT_INT + [0, 10**6])
add("outline_paths", "amplitude", lambda v: character.outline_paths(DATA, amplitude=v),
    NOT_REAL + [0.0])
add("CharacterPath.sample", "t_ns", lambda v: PATH.sample(v), BAD_ARR)
add("CharacterPath.stroke_at", "t_ns", lambda v: PATH.stroke_at(v), BAD_ARR)
add("Frame.apply", "xy", lambda v: PATH.frame.apply(v), BAD_ARR + [np.ones(3)])
