"""Character targets: stroke data -> periodic pen path, outlines, and the bad inputs.

The fixture ``tests/data/hanzi/`` holds verbatim copies of 师, 永 and 人 from hanzi-writer-data
2.0.1 (Arphic Public License, text beside them), so these tests need no npm.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from matplotlib.path import Path as MplPath

from mtjlib.tasks.character import CharacterPath, character_path, outline_paths
from mtjlib.tasks.character_data import is_cjk, load_character

HANZI = Path(__file__).resolve().parents[2] / "data" / "hanzi"
# Stroke counts every dictionary gives (known independently of the data).
STROKES = {"师": 6, "永": 5, "人": 2}


@pytest.fixture(autouse=True)
def _no_env(monkeypatch):
    monkeypatch.delenv("MTJLIB_HANZI_DIR", raising=False)


def _data(char):
    return load_character(char, HANZI)


def _path(char, **kw):
    return character_path(_data(char), **kw)


# --- loading -----------------------------------------------------------------------------------

@pytest.mark.parametrize("char", list(STROKES))
def test_stroke_count(char):
    d = _data(char)
    assert d["char"] == char
    assert len(d["strokes"]) == len(d["medians"]) == STROKES[char]
    assert _path(char).n_strokes == STROKES[char]


def test_shi_median_sizes_and_extent():
    # Facts of the data set written down before this module (notes/innate-training.md).
    d = _data("师")
    assert [len(m) for m in d["medians"]] == [6, 11, 4, 6, 11, 4]
    pts = np.concatenate([np.asarray(m) for m in d["medians"]])
    assert pts[:, 0].min() == 149 and pts[:, 0].max() == 866
    assert pts[:, 1].min() == -36 and pts[:, 1].max() == 734
    p = _path("师")
    assert p.ink_length / p.scale == pytest.approx(3160, rel=0.01)


def test_path_env_and_file_inputs(monkeypatch):
    ref = _data("永")
    assert load_character(HANZI / "永.json")["medians"] == ref["medians"]
    assert load_character(str(HANZI / "永.json"))["strokes"] == ref["strokes"]
    monkeypatch.setenv("MTJLIB_HANZI_DIR", str(HANZI))
    assert load_character("永")["medians"] == ref["medians"]
    # character_path accepts the dict, a character (through the env var) or a file
    a = character_path(ref)
    for other in ("永", HANZI / "永.json"):
        b = character_path(other)
        assert np.array_equal(a.x, b.x) and np.array_equal(a.y, b.y)


# --- the path ----------------------------------------------------------------------------------

def test_sampling_grid_not_a_whole_number_of_steps():
    p = _path("师")
    assert len(p.t_ns) == 114  # ceil(170 / 1.5) = ceil(113.33)
    assert p.t_ns[0] == 0.0 and p.t_ns[-1] == pytest.approx(169.5)
    assert len(_path("师", period_ns=3.0, dt_ns=1.5).t_ns) == 2  # exact multiple: no extra sample
    x, y = p.sample(p.t_ns)
    assert np.allclose(x, p.x, atol=1e-12) and np.allclose(y, p.y, atol=1e-12)
    assert p.xy.shape == (114, 2)


@pytest.mark.parametrize("char", list(STROKES))
def test_strokes_visited_in_writing_order(char):
    p = _path(char)
    ink = p.stroke[p.stroke >= 0]
    assert np.all(np.diff(ink) >= 0)  # never goes back to an earlier stroke
    assert set(ink.tolist()) == set(range(STROKES[char]))  # every stroke has samples
    assert np.array_equal(p.pen_down, p.stroke >= 0)
    assert p.stroke[0] == 0  # the period starts at the first stroke's start
    # each stroke starts at its median's first point and is written in the median's direction
    d = _data(char)
    for s, m in enumerate(d["medians"]):
        seg = np.flatnonzero(p.knot_stroke == s)
        t0, t1 = p.knot_t_ns[seg[0]], p.knot_t_ns[seg[-1] + 1]
        assert np.allclose(np.column_stack(p.sample(t0)), p.frame.apply(m[:1]), atol=1e-12)
        assert np.allclose(np.column_stack(p.sample(t1)), p.frame.apply(m[-1:]), atol=1e-12)
        assert p.stroke_at(t0) == s and p.stroke_at(0.5 * (t0 + t1)) == s


@pytest.mark.parametrize("char", ["师", "永"])
def test_periodic(char):
    p = _path(char)
    t = np.linspace(-400.0, 400.0, 2001)
    for k in (-3, 1, 7):
        x0, y0 = p.sample(t)
        x1, y1 = p.sample(t + k * p.period_ns)
        assert np.allclose(x0, x1, atol=1e-9) and np.allclose(y0, y1, atol=1e-9)
    # the closing move ends where the first stroke starts: continuous across the period
    assert np.allclose(p.sample(p.period_ns - 1e-9), p.sample(0.0), atol=1e-6)


@pytest.mark.parametrize("ratio", [1.0, 0.5, 3.0])
@pytest.mark.parametrize("char", ["师", "永"])
def test_continuous_with_stated_speeds(char, ratio):
    p = _path(char, pen_up_speed_ratio=ratio)
    # speed on each knot segment: the ink speed on strokes, ratio x that on pen-up moves
    seg_len = np.hypot(np.diff(p.knot_x), np.diff(p.knot_y))
    speed = seg_len / np.diff(p.knot_t_ns)
    ink = p.knot_stroke >= 0
    assert np.allclose(speed[ink], p.ink_speed, rtol=1e-9)
    assert np.allclose(speed[~ink], ratio * p.ink_speed, rtol=1e-9)
    assert p.pen_up_speed == pytest.approx(ratio * p.ink_speed)
    # time adds up to one period
    assert p.ink_length / p.ink_speed + p.pen_up_length / p.pen_up_speed == pytest.approx(
        p.period_ns, rel=1e-12)
    assert p.ink_fraction == pytest.approx(p.ink_length / p.ink_speed / p.period_ns)
    # no jump between consecutive samples, across the period boundary included
    t = np.arange(3 * len(p.t_ns)) * p.dt_ns
    x, y = p.sample(t)
    step = np.hypot(np.diff(x), np.diff(y))
    vmax = max(p.ink_speed, p.pen_up_speed)
    assert step.max() <= vmax * p.dt_ns * (1 + 1e-9)
    assert step.max() > 0.5 * vmax * p.dt_ns  # the bound is not vacuous


def test_pen_up_ratio_changes_only_timing():
    slow, fast = _path("师"), _path("师", pen_up_speed_ratio=4.0)
    assert np.array_equal(slow.knot_x, fast.knot_x) and np.array_equal(slow.knot_y, fast.knot_y)
    assert fast.ink_fraction > slow.ink_fraction


@pytest.mark.parametrize("amplitude", [0.8, 0.3, 2.0])
@pytest.mark.parametrize("char", list(STROKES))
def test_amplitude_and_centre(char, amplitude):
    p = _path(char, amplitude=amplitude)
    half_x = 0.5 * (p.knot_x.max() - p.knot_x.min())
    half_y = 0.5 * (p.knot_y.max() - p.knot_y.min())
    assert max(half_x, half_y) == pytest.approx(amplitude, rel=1e-12)
    assert max(np.abs(p.knot_x).max(), np.abs(p.knot_y).max()) == pytest.approx(amplitude)
    assert p.knot_x.max() + p.knot_x.min() == pytest.approx(0.0, abs=1e-12)
    assert p.knot_y.max() + p.knot_y.min() == pytest.approx(0.0, abs=1e-12)
    # the samples miss the extreme knot by at most one step
    reach = max(np.abs(p.x).max(), np.abs(p.y).max())
    assert amplitude - p.ink_speed * max(1, p.pen_up_speed_ratio) * p.dt_ns <= reach
    assert reach <= amplitude * (1 + 1e-12)
    assert p.amplitude == amplitude
    if char == "师":  # y spans [-36, 734] (770 units), wider than x [149, 866] (717 units)
        assert p.scale == pytest.approx(amplitude / 385.0)
        assert np.allclose(p.centre, [507.5, 349.0])


def test_y_up_and_x_right():
    # 师: the short vertical stroke written first is the leftmost stroke; vertical strokes are
    # written top to bottom, horizontal ones left to right.
    p = _path("师")
    xs = [p.x[p.stroke == s].mean() for s in range(6)]
    assert xs[0] == min(xs)
    seg0 = np.flatnonzero(p.knot_stroke == 0)
    assert p.knot_y[seg0[-1] + 1] < p.knot_y[seg0[0]] - 0.5  # stroke 0 goes down
    seg2 = np.flatnonzero(p.knot_stroke == 2)  # 一 on top of 帀: left to right, nearly level
    dx = p.knot_x[seg2[-1] + 1] - p.knot_x[seg2[0]]
    dy = p.knot_y[seg2[-1] + 1] - p.knot_y[seg2[0]]
    assert dx > 0.5 and abs(dy) < 0.3 * dx
    # 永: the dot (stroke 0) is above every other stroke
    q = _path("永")
    ys = [q.y[q.stroke == s].mean() for s in range(5)]
    assert ys[0] == max(ys)
    # 人: the left-falling stroke runs from top-centre down to the left
    r = _path("人")
    seg = np.flatnonzero(r.knot_stroke == 0)
    start, end = seg[0], seg[-1] + 1
    assert r.knot_y[end] < r.knot_y[start] and r.knot_x[end] < r.knot_x[start]


def test_result_frozen_and_read_only():
    p = _path("人")
    assert isinstance(p, CharacterPath)
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.period_ns = 1.0
    for a in (p.t_ns, p.x, p.y, p.stroke, p.pen_down, p.knot_t_ns):
        assert not a.flags.writeable


# --- outlines ----------------------------------------------------------------------------------

@pytest.mark.parametrize("char", list(STROKES))
def test_outlines_enclose_medians(char):
    d = _data(char)
    p = character_path(d)
    polys = outline_paths(d)
    assert len(polys) == STROKES[char]
    for s, (poly, med) in enumerate(zip(polys, d["medians"])):
        assert poly.ndim == 2 and poly.shape[1] == 2 and np.array_equal(poly[0], poly[-1])
        inside = MplPath(poly).contains_points(p.frame.apply(med))
        assert inside.all(), (char, s, inside)
        # and not everything: the other strokes' medians are mostly outside this outline
        others = np.concatenate([p.frame.apply(m) for k, m in enumerate(d["medians"]) if k != s])
        assert MplPath(poly).contains_points(others).mean() < 0.5


def test_outlines_follow_amplitude():
    d = _data("永")
    a, b = outline_paths(d), outline_paths(d, amplitude=0.4)
    for pa, pb in zip(a, b):
        assert np.allclose(pb, 0.5 * pa)


def test_bezier_segments_exact():
    # frame: medians span x in [0, 2] at y = 0 -> centre (1, 0), scale = amplitude / 1
    med = [[[0, 0], [2, 0]]]
    q = outline_paths({"strokes": ["M 0 0 Q 1 2 2 0 Z"], "medians": med}, amplitude=1.0,
                      points_per_curve=2)[0]
    assert np.allclose(q, [[-1, 0], [0, 1], [1, 0], [-1, 0]])  # B(1/2) = (1, 1) before shift
    c = outline_paths({"strokes": ["M 0 0 C 0 1 2 1 2 0 L 1 -1 Z"], "medians": med},
                      amplitude=1.0, points_per_curve=2)[0]
    assert np.allclose(c, [[-1, 0], [0, 0.75], [1, 0], [0, -1], [-1, 0]])


# --- bad inputs --------------------------------------------------------------------------------

@pytest.mark.parametrize("char, words", [
    ("", ["char=''", "empty"]),
    ("师永", ["char='师永'", "2 characters"]),
    ("ab", ["char='ab'", "2 characters"]),
    ("A", ["char='A'", "U+0041", "not a CJK"]),
    ("ア", ["char='ア'", "not a CJK"]),
    ("한", ["char='한'", "not a CJK"]),
    ("😀", ["not a CJK"]),
    ("我", ["char='我'", "not in the character data", "我.json"]),
])
def test_bad_characters(char, words):
    with pytest.raises(ValueError) as exc:
        load_character(char, HANZI)
    for w in words:
        assert w in str(exc.value)


def test_is_cjk():
    assert all(is_cjk(c) for c in "师永人〇⺀㐀𠀀")
    assert not any(is_cjk(c) for c in ["A", "ア", "한", "。", "", "师永", 5])


def test_no_data_folder_says_how_to_get_it(tmp_path):
    with pytest.raises(FileNotFoundError) as exc:
        load_character("师")
    msg = str(exc.value)
    assert "char='师'" in msg and "MTJLIB_HANZI_DIR" in msg and "make assets" in msg
    assert "hanzi-writer-data" in msg
    with pytest.raises(FileNotFoundError, match="data_dir="):
        load_character("师", tmp_path / "nowhere")
    with pytest.raises(FileNotFoundError, match="no such JSON file"):
        load_character(tmp_path / "师.json")


def test_wrong_types_and_bad_files(tmp_path):
    with pytest.raises(TypeError, match="char=5"):
        load_character(5, HANZI)
    with pytest.raises(TypeError, match="data_dir=3"):
        load_character("师", 3)
    with pytest.raises(TypeError, match="data="):
        character_path(3.0)
    bad = tmp_path / "x.json"
    bad.write_text("not json", encoding="utf-8")
    with pytest.raises(ValueError, match="not a JSON file"):
        load_character(bad)
    bad.write_text('{"strokes": ["M 0 0 Z"]}', encoding="utf-8")
    with pytest.raises(ValueError, match="'medians'"):
        load_character(bad)
    for medians, words in [([], "one polyline per stroke"), ([[[0, 0]]], "at least two"),
                           ([[[1, 1], [1, 1]]], "zero length"), ([[[0, "a"]]], "at least two")]:
        with pytest.raises(ValueError, match=words):
            character_path({"strokes": ["M 0 0 Z"], "medians": medians})


@pytest.mark.parametrize("kw, words", [
    ({"period_ns": 0.0}, "period_ns=0.0"),
    ({"period_ns": -170.0}, "period_ns=-170.0"),
    ({"dt_ns": 0.0}, "dt_ns=0.0"),
    ({"dt_ns": 200.0}, "dt_ns=200.0"),
    ({"amplitude": -0.8}, "amplitude=-0.8"),
    ({"amplitude": float("nan")}, "amplitude=nan"),
    ({"pen_up_speed_ratio": 0.0}, "pen_up_speed_ratio=0.0"),
])
def test_bad_parameters(kw, words):
    with pytest.raises(ValueError, match=words):
        _path("师", **kw)
    with pytest.raises(TypeError, match="amplitude='big'"):
        _path("师", amplitude="big")


def test_bad_svg():
    med = [[[0, 0], [2, 0]]]
    for path, words in [("L 0 0 Z", "must start with 'M'"), ("M 0 0 l 1 1 Z", "'l' not supported"),
                        ("M 0 0 Q 1 1 Z", "needs 4 numbers"), ("M 0 0 Z M 1 1 Z", "sub-paths")]:
        with pytest.raises(ValueError, match=words):
            outline_paths({"strokes": [path], "medians": med})
    with pytest.raises(ValueError, match="points_per_curve=0"):
        outline_paths(_data("人"), points_per_curve=0)
    with pytest.raises(ValueError, match="t_ns must be finite"):
        _path("人").sample(np.inf)
