"""Interactive figures (mtjbook.pages.interactive): frames, sliders, HTML, the data builders, the
Sphinx hook, the build report's page weights, and the plotly.js the book serves."""

from __future__ import annotations

import base64
import html as html_mod
import json
import re
from pathlib import Path
from types import SimpleNamespace

import nbformat
import numpy as np
import pytest

from mtjbook.builder import report as build_report
from mtjbook.builder.manifest import Layout, NotebookEntry
from mtjbook.pages import frames as idata
from mtjbook.pages import interactive as ia
from mtjbook.pages import plotly_figure as ifig
from mtjlib.networks.network import NetworkParams
from mtjlib.physics.device import default_device
from mtjlib.physics.neuron import delta_r
from mtjlib.tasks import drawing as drw
from mtjlib.tasks.character import outline_paths
from mtjlib.tasks.character_data import load_character
from mtjlib.training import innate_config as icfg

ROOT = Path(__file__).resolve().parents[3]
HANZI = Path(__file__).resolve().parents[2] / "data" / "hanzi"


def _decode(v) -> np.ndarray:
    """A Plotly JSON array: a list, or a base64 typed array {"dtype", "bdata"}."""
    if isinstance(v, dict):
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"]))
    return np.asarray(v, dtype=float)


def _fig(f: ia.InteractiveFigure) -> dict:
    return json.loads(f.to_json())


def _check_frames_and_slider(f: ia.InteractiveFigure, n_frames: int, active: int) -> dict:
    """Frames named 0..n-1, one slider whose step k animates frame k, starting at ``active``,
    and the figure as first drawn equal to the active frame's data."""
    d = _fig(f)
    assert f.n_frames == n_frames == len(d["frames"])
    assert [fr["name"] for fr in d["frames"]] == [str(k) for k in range(n_frames)]
    (s,) = d["layout"]["sliders"]
    assert s["active"] == active and len(s["steps"]) == n_frames
    assert all(st["method"] == "animate" and st["args"][0] == [str(k)]
               for k, st in enumerate(s["steps"]))
    fr = d["frames"][active]
    for i, tr in zip(fr.get("traces", []), fr.get("data", [])):
        for key in ("x", "y"):
            if key in tr:
                np.testing.assert_array_equal(_decode(tr[key]), _decode(d["data"][i][key]))
    types = {t.get("type", "scatter") for t in d["data"]}
    assert types <= ifig.BASIC_TRACES
    return d


def _neuron_sweep(k=5, n=301):
    rng = np.random.default_rng(0)
    j = np.linspace(0.5e10, 3e10, k)
    t = np.linspace(0.0, 1.5, n)
    r = 11050 + 100 * np.sin(2 * np.pi * 4 * t)[None] * (j[:, None] / 1e10)
    ext = np.c_[np.full(k, 1.3), r[:, -20]]
    return ia.NeuronSweep(j=j, t_ns=t, resistance=r, delta_r=rng.uniform(100, 200, k),
                          last_max=ext, last_min=ext - [0.1, 50.0])


def test_neuron_figure_frames_slider_and_start():
    sw = _neuron_sweep()
    f = ia.neuron_figure(sw, 1.1e10, r0=11050.0, band=(0.8e10, 1.0e10))
    d = _check_frames_and_slider(f, 5, int(np.argmin(np.abs(sw.j - 1.1e10))))
    # each frame moves R(t), the last extrema and the point on the curve, and retitles
    fr = d["frames"][3]
    assert fr["traces"] == [0, 1, 2]
    np.testing.assert_allclose(_decode(fr["data"][0]["y"]), sw.resistance[3] / 1e3, rtol=1e-6)
    assert _decode(fr["data"][2]["y"])[0] == pytest.approx(sw.delta_r[3], rel=1e-6)
    assert f"{sw.delta_r[3]:.1f} Ω" in fr["layout"]["title"]["text"]
    # few labels: the slider shows them
    assert d["layout"]["sliders"][0]["font"]["color"] != "rgba(0,0,0,0)"


def test_many_steps_hide_the_slider_labels_and_keep_the_current_value():
    sw = _neuron_sweep(k=ifig.MAX_LABELS + 1)
    s = _fig(ia.neuron_figure(sw, 0.9e10))["layout"]["sliders"][0]
    assert s["font"]["color"] == "rgba(0,0,0,0)"
    assert s["currentvalue"]["font"]["color"] != "rgba(0,0,0,0)"


def test_frames_are_float32_typed_arrays():
    d = _fig(ia.neuron_figure(_neuron_sweep(), 0.9e10))
    y = d["frames"][0]["data"][0]["y"]
    assert isinstance(y, dict) and y["dtype"] == "f4"


def test_html_is_marked_stable_and_self_contained():
    f = ia.neuron_figure(_neuron_sweep(), 0.9e10)
    html = f.to_html()
    assert html.startswith(f'<div class="{ifig.MARKER}" data-frames="5" data-sliders="1" '
                           f'role="figure" aria-label="{html_mod.escape(f.alt)}">')
    assert f.alt.startswith(f.name)  # its text alternative (mtjbook.pages.figure_alt.plotly_alt)
    assert f.div_id in html and f.div_id == ia.neuron_figure(_neuron_sweep(), 0.9e10).div_id
    assert "Plotly.addFrames" in html and "Plotly.animate" not in html  # no auto-play
    assert not re.search(r"<script[^>]*\bsrc=", html)  # plotly.js comes from the page, not here
    assert "https://" not in html and "$" not in html  # no remote load, no TeX for MathJax
    data, meta = f._repr_mimebundle_()
    assert set(data) == {"text/html", ifig.PLOTLY_MIME, "text/plain"}
    assert data[ifig.PLOTLY_MIME]["frames"] and data[ifig.PLOTLY_MIME]["config"]["displaylogo"] is False
    info = meta["text/html"][ifig.METADATA_KEY]
    assert info["frames"] == 5 and info["html_bytes"] == len(html.encode())
    assert info["controls"] == ["j (10¹⁰ A/m²)"]


def test_a_trace_outside_the_basic_bundle_is_refused():
    import plotly.graph_objects as go

    with pytest.raises(ValueError, match="basic bundle"):
        ia.InteractiveFigure(go.Figure(go.Heatmap(z=[[1, 2]])), height=300, name="x")


def test_slider_bad_inputs():
    with pytest.raises(ValueError, match="empty"):
        ia.slider([], 0, "x")
    with pytest.raises(ValueError, match="active=3"):
        ia.slider(["a", "b"], 3, "x")


def test_training_figure_moves_a_window_along_the_run():
    t = np.arange(0.0, 3000.0, 1.5)
    f = np.sin(2 * np.pi * t / 45)
    z = f + 0.01 * np.cos(t)
    learn = t < 1500
    fig = ia.training_figure(t, z, f, learn, window_ns=300.0, step_ns=150.0, error=np.abs(z - f))
    starts = np.arange(0.0, 2700.0 - 1.5 + 1e-9, 150.0)
    d = _check_frames_and_slider(fig, len(starts), 0)
    for a, fr in zip(starts, d["frames"]):
        assert fr["layout"]["xaxis"]["range"] == [a, a + 300.0]
        window = fr["layout"]["shapes"][-1]
        assert (window["x0"], window["x1"]) == (a, a + 300.0)
    assert "learning" in d["frames"][0]["layout"]["title"]["text"]
    assert "free running" in d["frames"][-1]["layout"]["title"]["text"]
    with pytest.raises(ValueError, match="window_ns"):
        ia.training_figure(t, z, f, learn, window_ns=0.0)


def test_period_sweep_and_figure_on_a_small_network():
    runs = idata.period_sweep(NetworkParams(n=12), 3, [30.0, 45.0], amplitude=0.8, learn_ns=300.0,
                           free_ns=150.0, training={"alpha": 1e-3, "forgetting": 0.995})
    assert [r.period_ns for r in runs] == [30.0, 45.0]
    assert all(np.isfinite(r.nrmse) and r.t_ns[-1] < 450.0 for r in runs)
    assert not np.array_equal(runs[0].target, runs[1].target)
    fig = ia.period_figure(runs, 45.0, show_ns=150.0)
    d = _check_frames_and_slider(fig, 2, 1)
    assert "45 ns" in d["frames"][1]["layout"]["title"]["text"]
    with pytest.raises(ValueError, match="empty"):
        ia.period_figure([], 45.0)


def test_neuron_sweep_marks_the_extrema_of_the_paper_rule():
    dev = default_device()
    j = np.array([0.8e10, 1.0e10])
    sw = idata.neuron_sweep(dev, j, dt=0.5e-12, max_points=200)
    assert sw.resistance.shape == (2, len(sw.t_ns)) and len(sw.t_ns) <= 200
    np.testing.assert_allclose(sw.delta_r, delta_r(dev, j, dt=0.5e-12))
    # Delta R is the last maximum minus the last minimum the figure marks
    np.testing.assert_allclose(sw.last_max[:, 1] - sw.last_min[:, 1], sw.delta_r, atol=1e-9)
    with pytest.raises(ValueError, match="max_points"):
        idata.neuron_sweep(dev, j, dt=0.5e-12, max_points=1)


@pytest.fixture(scope="module")
def innate_runs():
    data = load_character("师", HANZI)
    cfg = icfg.InnateConfig(n_mtj=25, n_recurrent_trials=2, n_readout_trials=2, period_ns=45.0,
                            trigger_steps=4)
    return data, cfg, {"innate": drw.run_innate(data, cfg, 4, n_test=2, n_test_periods=1),
                       "readout only": drw.run_innate(data, cfg, 4, readout_only=True,
                                                      n_test=2, n_test_periods=1)}


def test_noise_drawings_use_the_same_states_at_every_level(innate_runs):
    data, cfg, runs = innate_runs
    outline = outline_paths(data, amplitude=cfg.amplitude)
    frames = idata.noise_drawings(runs, [0.0, 0.05], cfg, [1, 2], n_trials=2, n_periods=1,
                               outline=outline)
    assert len(frames) == 2 and all(len(f) == 2 for f in frames)
    # noise 0: the evaluation itself, from the states of the seed
    ref = drw.evaluate_drawing(runs["innate"].net, runs["innate"].path, cfg,
                               np.random.default_rng([1, 2]), n_trials=2, n_periods=1, noise=0.0)
    np.testing.assert_array_equal(frames[0][0].xy, ref.z.reshape(-1, 2))
    assert f"{100 * ref.mean_error:.1f} %" in frames[0][0].title
    assert not np.array_equal(frames[0][0].xy, frames[1][0].xy)
    fig = ia.drawing_figure(frames, ["0", "0.05"], prefix="noise = ", active=1,
                            period_ns=cfg.steps * 1.5)
    d = _check_frames_and_slider(fig, 2, 1)
    assert [a["text"] for a in d["frames"][1]["layout"]["annotations"]] == [
        p.title for p in frames[1]]
    assert d["frames"][0]["traces"] == [1, 3]  # the same outlines: only the dots move


def test_gallery_drawings_one_frame_per_character(innate_runs):
    data, cfg, runs = innate_runs
    other = load_character("人", HANZI)
    frames = idata.gallery_drawings({"师": (data, runs["innate"]), "x": (other, runs["readout only"])},
                                 cfg.amplitude)
    assert [len(f) for f in frames] == [1, 1] and frames[0][0].title.startswith("师: ")
    assert len(frames[0][0].phase_ns) == len(frames[0][0].xy)
    assert frames[0][0].phase_ns.max() < cfg.steps * 1.5
    d = _check_frames_and_slider(ia.drawing_figure(frames, ["师", "x"], prefix="c: "), 2, 0)
    assert d["frames"][0]["traces"] == [0, 1]
    with pytest.raises(ValueError, match="labels"):
        ia.drawing_figure(frames, ["师"], prefix="c: ")
    with pytest.raises(ValueError, match="expected"):
        idata.drawing_from([], np.zeros((2, 7, 2)), 3, "t")


def test_error_vs_n_figure_keeps_the_noise_free_reference():
    temps = [0.0, 1e-5, 1e-4]
    n = [np.array([40, 800]), np.array([40, 80, 160]), np.array([40, 80, 160])]
    gm = [x ** -0.5 for x in n]
    fig = ia.error_vs_n_figure(temps, n, gm, [0.8 * g for g in gm], [1.2 * g for g in gm],
                               [np.linspace(0, 1, len(x)) for x in n], threshold=0.1, active=1)
    d = _check_frames_and_slider(fig, 3, 1)
    assert all(fr["traces"] == [2, 3] for fr in d["frames"])  # traces 0-1: the reference
    np.testing.assert_allclose(_decode(d["data"][0]["y"]), gm[0], rtol=1e-6)
    np.testing.assert_allclose(_decode(d["frames"][2]["data"][1]["y"]), [0, 50, 100], rtol=1e-6)
    # log axes in powers of ten; N labels that would overlap (640 beside 800) are left blank
    assert d["layout"]["yaxis"]["exponentformat"] == "power"
    fig = ia.error_vs_n_figure([1e-5], [np.array([40, 320, 640, 800])], [np.ones(4)] * 1,
                               [np.ones(4)], [np.ones(4)], [np.ones(4)])
    assert _fig(fig)["layout"]["xaxis"]["ticktext"] == ["40", "320", "", "800"]
    with pytest.raises(ValueError, match="per temperature"):
        ia.error_vs_n_figure(temps, n[:2], gm, gm, gm, gm)


def test_sphinx_hook_adds_plotly_only_where_a_figure_is():
    added = []
    app = SimpleNamespace(add_js_file=added.append)
    ifig._add_plotly(app, "a", "page.html", {"body": "<p>text</p>"}, None)
    assert added == []
    ifig._add_plotly(app, "b", "page.html", {"body": f'<div class="{ifig.MARKER}"></div>'}, None)
    assert added == [ifig.PLOTLY_JS]


def test_config_loads_the_sphinx_extension_from_its_home():
    assert "- mtjbook.pages.plotly_figure\n" in (ROOT / "_config.yml").read_text(encoding="utf-8")


def test_book_serves_the_plotly_js_the_python_package_writes_for():
    import plotly.offline

    pkg = json.loads((ROOT / "tools" / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((ROOT / "tools" / "package-lock.json").read_text(encoding="utf-8"))
    name = "plotly.js-basic-dist-min"
    assert pkg["dependencies"][name] == plotly.offline.get_plotlyjs_version()
    assert lock["packages"][f"node_modules/{name}"]["version"] == pkg["dependencies"][name]
    assert ifig.PLOTLY_JS.startswith("plotly/")


def test_build_report_lists_interactive_pages_and_their_weight(tmp_path):
    layout = Layout(root=tmp_path)
    fig = ia.neuron_figure(_neuron_sweep(), 0.9e10)
    data, meta = fig._repr_mimebundle_()
    nb = nbformat.v4.new_notebook()
    png = base64.b64encode(b"x" * 1000).decode()
    nb.cells = [nbformat.v4.new_code_cell("f", outputs=[
                    nbformat.v4.new_output("display_data", data=data, metadata=meta)]),
                nbformat.v4.new_code_cell("p", outputs=[
                    nbformat.v4.new_output("display_data", data={"image/png": png})])]
    out = layout.executed_path("book/x.ipynb")
    out.parent.mkdir(parents=True)
    nbformat.write(nb, out)
    figs = build_report.interactive_figures(out)
    assert figs == [meta["text/html"][ifig.METADATA_KEY]]
    assert build_report.page_content_bytes(out) == figs[0]["html_bytes"] + 1000
    rows = build_report._interactive_section(layout, [NotebookEntry(path="book/x.ipynb")])
    row = next(r for r in rows if r.startswith("| {doc}`x"))
    assert "1: j (10¹⁰ A/m²) (5 frames)" in row
    assert build_report._interactive_section(layout, [NotebookEntry(path="book/y.ipynb")]) == []
