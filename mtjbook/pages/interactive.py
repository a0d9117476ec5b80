"""Interactive figures of the static book: Plotly frames moved by a slider, no kernel needed.

Why Plotly (and not Bokeh): a Plotly figure with ``frames`` and a ``slider`` is pure data (JSON):
the notebook run computes every frame, and the slider's steps animate between them with no
JavaScript written by us. Bokeh needs a ``CustomJS`` callback per control, i.e. JavaScript
embedded in every figure, to swap its data. plotly.js is served from the book itself
(``_static/plotly/``, the pinned npm package ``plotly.js-basic-dist-min`` of
``tools/package-lock.json``, the same plotly.js version as the pinned Python ``plotly`` writes
figures for); :func:`mtjbook.pages.plotly_figure.setup` makes Sphinx load it on the pages that
hold an interactive figure.

A figure is an :class:`~mtjbook.pages.plotly_figure.InteractiveFigure`: in the book it is HTML
(a ``div`` marked :data:`~mtjbook.pages.plotly_figure.MARKER` and the script that draws it), in
JupyterLab Plotly's own mime type; :mod:`mtjbook.pages.plotly_figure` holds it, its sliders and
its style. Every frame's arrays are stored as float32 (Plotly's base64 typed arrays) to keep
pages light.

The builders here take the run's results (arrays) and return a figure; :func:`neuron_sweep`,
:func:`period_sweep` and :func:`noise_drawings` (:mod:`mtjbook.pages.frames`, importable
from here too) compute frame data by calling :mod:`mtjlib`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from mtjbook.pages.frames import Drawing, NeuronSweep, PeriodRun
from mtjbook.pages.plotly_figure import (
    COLORS,
    LEGEND,
    LOG,
    OVERVIEW_POINTS,
    InteractiveFigure,
    build_figure,
    f32,
    polygons,
    slider,
)

# ----------------------------------------------------------------------------------------------
# Fig. 1: R(t) and Delta R as the current density moves

def neuron_figure(sweep: NeuronSweep, j_start: float, *, r0: float | None = None,
                  band=None) -> InteractiveFigure:
    """R(t) with its last maximum and minimum (left) and Delta R(j) with the current point
    (right), one frame per current density of ``sweep``; the slider starts at the grid point
    nearest ``j_start`` (A/m^2). ``r0`` (Ohm) draws R0 as a dotted line, ``band`` = (lo, hi)
    (A/m^2) shades the input range."""
    import plotly.graph_objects as go

    j10 = sweep.j / 1e10
    k0 = int(np.argmin(np.abs(sweep.j - j_start)))
    r_k = sweep.resistance / 1e3
    lo, hi = float(np.nanmin(r_k)), float(np.nanmax(r_k))
    pad = 0.05 * (hi - lo or 1.0)

    def frame(k):
        ends = np.array([sweep.last_max[k], sweep.last_min[k]])
        return [go.Scatter(y=f32(r_k[k])),
                go.Scatter(x=f32(ends[:, 0]), y=f32(ends[:, 1] / 1e3)),
                go.Scatter(x=[float(j10[k])], y=[float(sweep.delta_r[k])])]

    def title(k):
        return (f"j = {j10[k]:.2f}×10¹⁰ A/m²:  ΔR = last max − last min = "
                f"{sweep.delta_r[k]:.1f} Ω")

    first = frame(k0)
    traces = [
        (go.Scatter(x0=float(sweep.t_ns[0]), dx=float(sweep.t_ns[1] - sweep.t_ns[0]),
                    y=first[0].y, mode="lines", name="R(t)",
                    line={"color": COLORS[3], "width": 1.5},
                    hovertemplate="t = %{x:.3f} ns<br>R = %{y:.4f} kΩ<extra></extra>"), (1, 1)),
        (go.Scatter(x=first[1].x, y=first[1].y, mode="markers", name="last max / min",
                    marker={"color": "black", "size": 9, "symbol": ["triangle-up",
                                                                    "triangle-down"]},
                    hovertemplate="t = %{x:.3f} ns<br>R = %{y:.4f} kΩ<extra></extra>"), (1, 1)),
        (go.Scatter(x=first[2].x, y=first[2].y, mode="markers", name="this j",
                    marker={"color": COLORS[3], "size": 11},
                    hovertemplate="j = %{x:.2f}×10¹⁰ A/m²<br>ΔR = %{y:.1f} Ω<extra></extra>"),
         (1, 2)),
        (go.Scatter(x=f32(j10), y=f32(sweep.delta_r), mode="lines+markers", name="ΔR(j)",
                    line={"color": COLORS[0], "width": 1.5}, marker={"size": 4},
                    hovertemplate="j = %{x:.2f}×10¹⁰ A/m²<br>ΔR = %{y:.1f} Ω<extra></extra>"),
         (1, 2)),
    ]
    shapes = []
    if r0 is not None:
        shapes.append({"type": "line", "xref": "x", "yref": "y", "x0": float(sweep.t_ns[0]),
                       "x1": float(sweep.t_ns[-1]), "y0": r0 / 1e3, "y1": r0 / 1e3,
                       "line": {"color": "gray", "width": 1, "dash": "dot"}})
    if band is not None:
        shapes.append({"type": "rect", "xref": "x2", "yref": "y2 domain", "x0": band[0] / 1e10,
                       "x1": band[1] / 1e10, "y0": 0, "y1": 1, "line": {"width": 0},
                       "fillcolor": "rgba(31,119,180,0.12)", "layer": "below"})
    layout = {
        "title": {"text": title(k0), "x": 0.01, "xanchor": "left", "font": {"size": 13}},
        "showlegend": True,
        "legend": {**LEGEND, "x": 0, "xanchor": "left"},
        "xaxis": {"title": {"text": "t (ns)"}, "range": [float(sweep.t_ns[0]),
                                                        float(sweep.t_ns[-1])]},
        "yaxis": {"title": {"text": "R (kΩ)"}, "range": [lo - pad, hi + pad]},
        "xaxis2": {"title": {"text": "j (10¹⁰ A/m²)"}},
        "yaxis2": {"title": {"text": "ΔR (Ω)"}},
        "shapes": shapes,
        "margin": {"l": 70, "r": 20, "t": 95, "b": 50},
        "sliders": [slider([f"{v:.2f}" for v in j10], k0, "j (10¹⁰ A/m²) = ")],
    }
    frames = [{"data": frame(k), "traces": [0, 1, 2], "layout": {"title": {"text": title(k)}}}
              for k in range(len(j10))]
    return build_figure(traces, frames, layout, 470, "R(t) and ΔR against the current density",
                          rows=1, cols=2, column_widths=[0.6, 0.4], horizontal_spacing=0.12)


# ----------------------------------------------------------------------------------------------
# Fig. 2: the output as training proceeds; the output for other target periods

def _learning_rects(t_ns, learn, yref):
    """Shaded rectangles over the stretches where ``learn`` is on."""
    learn = np.asarray(learn, dtype=bool)
    edges = np.flatnonzero(np.diff(np.concatenate([[False], learn, [False]]).astype(int)))
    dt = float(t_ns[1] - t_ns[0]) if len(t_ns) > 1 else 0.0
    return [{"type": "rect", "xref": yref[0], "yref": yref[1] + " domain",
             "x0": float(t_ns[a]), "x1": float(t_ns[b - 1] + dt), "y0": 0, "y1": 1,
             "line": {"width": 0}, "fillcolor": "rgba(31,119,180,0.10)", "layer": "below"}
            for a, b in zip(edges[::2], edges[1::2])]


def training_figure(t_ns, z, target, learn, *, window_ns: float = 300.0,
                    step_ns: float = 150.0, error=None) -> InteractiveFigure:
    """The output against the target through a whole run: the upper panel zooms on a window of
    ``window_ns`` that the slider moves along the run in steps of ``step_ns``; the lower panel
    shows the whole run with the window marked (and, if given, ``error``, the error over a
    sliding period, on a log axis). Learning is shaded."""
    import plotly.graph_objects as go

    t = np.asarray(t_ns, dtype=float)
    z = np.asarray(z, dtype=float).reshape(len(t))
    f = np.asarray(target, dtype=float).reshape(len(t))
    learn = np.asarray(learn, dtype=bool).reshape(len(t))
    if not (window_ns > 0 and step_ns > 0):
        raise ValueError(f"window_ns={window_ns!r} and step_ns={step_ns!r} must be > 0")
    if len(t) < 2 or not np.allclose(np.diff(t), t[1] - t[0]):
        raise ValueError("t_ns must be at least two evenly spaced times")
    t_end = float(t[-1])
    starts = np.arange(float(t[0]), max(float(t[0]), t_end - window_ns) + 1e-9, step_ns)
    amp = 1.15 * float(np.nanmax(np.abs(np.concatenate([f, z[np.isfinite(z)]]))) or 1.0)
    dt = float(t[1] - t[0])

    def state(a):
        sel = (t >= a) & (t < a + window_ns)
        on = float(learn[sel].mean()) if sel.any() else 0.0
        phase = ("learning" if on == 1 else "free running" if on == 0 else
                 "learning stops or starts in this window")
        d = z[sel] - f[sel]
        e = float(np.sqrt(np.mean(d * d)) / (np.sqrt(np.mean(f[sel] ** 2)) or 1.0))
        return phase, e

    def title(a):
        phase, e = state(a)
        return (f"t = {a:.0f}–{a + window_ns:.0f} ns: {phase}; RMS error in the window "
                f"{e:.2g} of the target's RMS")

    rows = 2 if error is None else 3
    rect = {"type": "rect", "xref": "x2", "yref": "y2 domain", "y0": 0, "y1": 1,
            "line": {"color": "rgba(0,0,0,0.6)", "width": 1}, "fillcolor": "rgba(0,0,0,0.12)"}
    shapes = (_learning_rects(t, learn, ("x", "y")) + _learning_rects(t, learn, ("x2", "y2"))
              + ([] if error is None else _learning_rects(t, learn, ("x3", "y3"))))

    def layout_at(a):
        return {"xaxis": {"range": [float(a), float(a + window_ns)]},
                "title": {"text": title(a)},
                "shapes": shapes + [{**rect, "x0": float(a), "x1": float(a + window_ns)}]}

    # the overview panels span the whole run on a few hundred pixels: every dec-th sample;
    # times are evenly spaced, so each trace stores its first time and step, not the times
    dec = max(1, len(t) // OVERVIEW_POINTS)
    full = {"x0": float(t[0]), "dx": dt}
    over = {"x0": float(t[0]), "dx": dt * dec}
    traces = [
        (go.Scatter(**full, y=f32(f), mode="lines", name="target",
                    line={"color": "black", "width": 1.5}), (1, 1)),
        (go.Scatter(**full, y=f32(z), mode="lines", name="RNN output",
                    line={"color": COLORS[3], "width": 1.5, "dash": "dash"}), (1, 1)),
        (go.Scatter(**over, y=f32(f[::dec]), mode="lines", showlegend=False,
                    line={"color": "black", "width": 0.6}, hoverinfo="skip"), (2, 1)),
        (go.Scatter(**over, y=f32(z[::dec]), mode="lines", showlegend=False,
                    line={"color": COLORS[3], "width": 0.6}, hoverinfo="skip"), (2, 1)),
    ]
    if error is not None:
        e = np.maximum(np.asarray(error, float).reshape(len(t)), 1e-6)[::dec]
        traces.append((go.Scatter(**over, y=f32(e), mode="lines", name="error over one period",
                                  line={"color": COLORS[4], "width": 1}), (3, 1)))
    k0 = 0
    layout = {
        **layout_at(starts[k0]),
        "title": {"text": title(starts[k0]), "x": 0.01, "xanchor": "left", "font": {"size": 13}},
        "legend": LEGEND,
        "yaxis": {"title": {"text": "output z"}, "range": [-amp, amp]},
        "xaxis2": {"range": [float(t[0]), t_end + dt]},
        "yaxis2": {"title": {"text": "z"}, "range": [-amp, amp]},
        ("xaxis3" if error is not None else "xaxis2"): {"title": {"text": "t (ns)"}},
        "margin": {"l": 70, "r": 20, "t": 80, "b": 50},
        "sliders": [slider([f"{a:.0f}" for a in starts], k0, "window starts at t = ",
                           " ns")],
    }
    layout["xaxis"]["title"] = {"text": "t (ns)"}
    if error is not None:
        layout["xaxis3"]["range"] = [float(t[0]), t_end + dt]
        layout["yaxis3"] = {"title": {"text": "error"}, **LOG, "dtick": 1}  # decades only
    frames = [{"data": [], "traces": [], "layout": layout_at(a)} for a in starts]
    heights = [0.5, 0.25] if error is None else [0.46, 0.22, 0.22]
    return build_figure(traces, frames, layout, 580 if error is None else 680,
                          "the output against the target through the run", rows=rows, cols=1,
                          row_heights=heights, vertical_spacing=0.15)


def period_figure(runs: Sequence[PeriodRun], active_period_ns: float, *,
                   show_ns: float = 600.0) -> InteractiveFigure:
    """Target and output from ``show_ns`` before learning stops to the end, one frame per run
    (target period); the slider starts at the period nearest ``active_period_ns``."""
    import plotly.graph_objects as go

    if not runs:
        raise ValueError("period_figure: runs must not be empty")
    periods = np.array([r.period_ns for r in runs])
    k0 = int(np.argmin(np.abs(periods - active_period_ns)))
    t_show = runs[0].learn_ns - show_ns
    sel = runs[0].t_ns >= t_show
    t = runs[0].t_ns[sel]
    amp = 1.3 * max(float(np.max(np.abs(r.target))) for r in runs)

    def frame(r):
        return [go.Scatter(y=f32(r.target[sel])), go.Scatter(y=f32(r.z[sel]))]

    def title(r):
        per = (f"period {r.free_period_ns:.2f} ns" if np.isfinite(r.free_period_ns)
               else "no measurable period")
        return (f"target period {r.period_ns:g} ns: free-running NRMSE {r.nrmse:.3g}, {per}")

    first = frame(runs[k0])
    tx = {"x0": float(t[0]), "dx": float(t[1] - t[0])}  # evenly spaced network steps
    traces = [
        (go.Scatter(**tx, y=first[0].y, mode="lines", name="target",
                    line={"color": "black", "width": 1.2}), (1, 1)),
        (go.Scatter(**tx, y=first[1].y, mode="lines", name="RNN output",
                    line={"color": COLORS[3], "width": 1.2, "dash": "dash"}), (1, 1)),
    ]
    layout = {
        "title": {"text": title(runs[k0]), "x": 0.01, "xanchor": "left", "font": {"size": 13}},
        "legend": LEGEND,
        "xaxis": {"title": {"text": "t (ns)"}, "range": [float(t[0]), float(t[-1])]},
        "yaxis": {"title": {"text": "output z"}, "range": [-amp, amp]},
        "shapes": [{"type": "rect", "xref": "x", "yref": "y domain", "x0": float(t[0]),
                    "x1": runs[0].learn_ns, "y0": 0, "y1": 1, "line": {"width": 0},
                    "fillcolor": "rgba(31,119,180,0.10)", "layer": "below"}],
        "margin": {"l": 70, "r": 20, "t": 70, "b": 50},
        "sliders": [slider([f"{p:g}" for p in periods], k0, "target period = ", " ns")],
    }
    frames = [{"data": frame(r), "traces": [0, 1], "layout": {"title": {"text": title(r)}}}
              for r in runs]
    return build_figure(traces, frames, layout, 400, "the output for other target periods")


# ----------------------------------------------------------------------------------------------
# Fig. 3: drawings at several noise levels, and the gallery's characters

def _same_outline(a, b) -> bool:
    return len(a) == len(b) and all(np.array_equal(p, q) for p, q in zip(a, b))


def drawing_figure(frames: Sequence[Sequence[Drawing]], labels: Sequence[str], *,
                   prefix: str, suffix: str = "", active: int = 0,
                   period_ns: float | None = None) -> InteractiveFigure:
    """Drawings side by side (one panel per :class:`Drawing` of a frame), one frame per label:
    grey stroke outlines, the output as dots coloured by time within the period (``period_ns``
    sets the colour scale)."""
    import plotly.graph_objects as go

    if not frames or len(frames) != len(labels):
        raise ValueError(f"drawing_figure: {len(frames)} frames for {len(labels)} labels")
    n_pan = len(frames[0])
    if n_pan < 1 or any(len(f) != n_pan for f in frames):
        raise ValueError("drawing_figure: every frame needs the same number (>= 1) of panels")
    cmax = float(period_ns) if period_ns else max(float(d.phase_ns.max()) for f in frames
                                                  for d in f)

    def panel(d, p):
        ox, oy = polygons(d.outline)
        xy = f32(d.xy)
        return [go.Scatter(x=ox, y=oy), go.Scatter(x=xy[:, 0], y=xy[:, 1])]

    def annotations(f):
        return [{"text": d.title, "xref": f"x{p + 1 if p else ''} domain",
                 "yref": f"y{p + 1 if p else ''} domain", "x": 0.5, "y": 1.0, "yanchor": "bottom",
                 "xanchor": "center", "showarrow": False, "font": {"size": 12}}
                for p, d in enumerate(f)]

    traces = []
    for p, d in enumerate(frames[active]):
        ox, oy = polygons(d.outline)
        xy = f32(d.xy)
        traces += [
            (go.Scatter(x=ox, y=oy, mode="lines", fill="toself", fillcolor="rgba(0,0,0,0.10)",
                        line={"width": 0}, hoverinfo="skip", showlegend=False), (1, p + 1)),
            (go.Scatter(x=xy[:, 0], y=xy[:, 1], mode="markers", showlegend=False,
                        marker={"size": 3, "color": f32(d.phase_ns), "colorscale": "Viridis",
                                "cmin": 0.0, "cmax": cmax, "showscale": p == n_pan - 1,
                                "colorbar": {"title": {"text": "time in period (ns)",
                                                       "side": "right"}, "thickness": 12}},
                        hovertemplate="x = %{x:.2f}<br>y = %{y:.2f}<extra></extra>"),
             (1, p + 1)),
        ]
    # the axes hold the outlines and 99 % of the dots (a few noisy ones may fall outside)
    ink = max((float(np.abs(np.asarray(o)).max()) for f in frames for d in f for o in d.outline),
              default=0.0)
    dots = np.abs(np.concatenate([d.xy.ravel() for f in frames for d in f]))
    lim = 1.08 * max(ink, float(np.nanpercentile(dots, 99)) if dots.size else 1.0)
    layout = {"annotations": annotations(frames[active]),
              "margin": {"l": 50, "r": 20, "t": 40, "b": 40},
              "sliders": [slider(labels, active, prefix, suffix)]}
    for p in range(n_pan):
        ax = "" if p == 0 else str(p + 1)
        layout[f"xaxis{ax}"] = {"range": [-lim, lim], "title": {"text": "x"},
                                "constrain": "domain"}
        layout[f"yaxis{ax}"] = {"range": [-lim, lim], "scaleanchor": f"x{ax}",
                                "title": {"text": "y" if p == 0 else ""}}
    # the outlines go into the frames only if they change from frame to frame (the gallery)
    same = all(_same_outline(d.outline, frames[0][p].outline) for f in frames
               for p, d in enumerate(f))
    keep = [1] if same else [0, 1]
    frame_list = [{"data": [tr for p, d in enumerate(f) for i, tr in enumerate(panel(d, p))
                            if i in keep],
                   "traces": [2 * p + i for p in range(n_pan) for i in keep],
                   "layout": {"annotations": annotations(f)}}
                  for f in frames]
    height = 420 if n_pan > 1 else 470
    return build_figure(traces, frame_list, layout, height, "drawings", rows=1, cols=n_pan,
                          horizontal_spacing=0.08)


# ----------------------------------------------------------------------------------------------
# S2: error against N at each temperature

def error_vs_n_figure(temperatures, n, gm, lo, hi, success, *, threshold: float | None = None,
                      active: int = 0) -> InteractiveFigure:
    """Fig. 2's worse free-run NRMSE (geometric mean, interval ``lo``-``hi``) and success rate
    (fraction) against the number of MTJs, one frame per temperature (K); the noise-free
    temperature (0 K), if present, stays drawn as the reference. ``n``, ``gm``, ``lo``, ``hi``,
    ``success``: one array per temperature (the sizes may differ)."""
    import plotly.graph_objects as go

    temps = [float(x) for x in temperatures]
    k = len(temps)
    if not k or not all(len(a) == k for a in (n, gm, lo, hi, success)):
        raise ValueError("error_vs_n_figure: one array of n, gm, lo, hi, success per temperature")

    def label(T):
        return "noise-free (0 K)" if T == 0 else f"{T:g} K"

    def frame(i):
        g, a, b = (np.asarray(x[i], float) for x in (gm, lo, hi))
        return [go.Scatter(x=f32(n[i]), y=f32(g), name=label(temps[i]),
                           error_y={"type": "data", "symmetric": False, "array": f32(b - g),
                                    "arrayminus": f32(g - a), "color": COLORS[3]}),
                go.Scatter(x=f32(n[i]), y=f32(100 * np.asarray(success[i], float)),
                           name=label(temps[i]))]

    ref = temps.index(0.0) if 0.0 in temps else None
    traces = []
    if ref is not None:
        g, a, b = (np.asarray(x[ref], float) for x in (gm, lo, hi))
        traces += [
            (go.Scatter(x=f32(n[ref]), y=f32(g), mode="lines+markers", name="noise-free",
                        line={"color": "gray", "dash": "dot"}, marker={"symbol": "square"},
                        error_y={"type": "data", "symmetric": False, "array": f32(b - g),
                                 "arrayminus": f32(g - a), "color": "gray"}), (1, 1)),
            (go.Scatter(x=f32(n[ref]), y=f32(100 * np.asarray(success[ref], float)),
                        mode="lines+markers", showlegend=False, line={"color": "gray",
                                                                      "dash": "dot"},
                        marker={"symbol": "square"}), (1, 2)),
        ]
    i0 = len(traces)
    first = frame(active)
    traces += [
        (go.Scatter(x=first[0].x, y=first[0].y, error_y=first[0].error_y, mode="lines+markers",
                    name="this temperature", line={"color": COLORS[3], "width": 2},
                    marker={"size": 8},
                    hovertemplate="N = %{x}<br>NRMSE = %{y:.3g}<extra></extra>"), (1, 1)),
        (go.Scatter(x=first[1].x, y=first[1].y, mode="lines+markers", showlegend=False,
                    line={"color": COLORS[3], "width": 2}, marker={"size": 8},
                    hovertemplate="N = %{x}<br>success %{y:.0f} %<extra></extra>"), (1, 2)),
    ]
    n_all = sorted({int(v) for a in n for v in a})
    # tick labels on the log N axis, the largest first; one too close to a kept one is blank
    kept, labels = [], {}
    for v in reversed(n_all):
        labels[v] = "" if kept and np.log10(kept[-1] / v) < 0.15 else str(v)
        kept += [v] if labels[v] else []
    n_axis = {"type": "log", "title": {"text": "N (MTJs)"}, "tickvals": n_all,
              "ticktext": [labels[v] for v in n_all], "tickangle": 0}
    shapes = [] if threshold is None else [
        {"type": "line", "xref": "x domain", "yref": "y", "x0": 0, "x1": 1, "y0": threshold,
         "y1": threshold, "line": {"color": COLORS[3], "width": 1, "dash": "dash"}}]
    ys = np.concatenate([np.asarray(x, float).ravel() for x in (*lo, *hi)])
    ys = ys[np.isfinite(ys) & (ys > 0)]
    yr = [float(np.log10(ys.min())) - 0.1, float(np.log10(ys.max())) + 0.1] if ys.size else None

    def title(i):
        return f"T = {label(temps[i])}"

    layout = {
        "title": {"text": title(active), "x": 0.01, "xanchor": "left", "font": {"size": 13}},
        "legend": LEGEND,
        "xaxis": n_axis,
        "yaxis": {**LOG, "title": {"text": "worse free-run NRMSE"},
                  **({"range": yr} if yr else {})},
        "xaxis2": n_axis,
        "yaxis2": {"title": {"text": "success rate (%)"}, "range": [-3, 103]},
        "shapes": shapes,
        "margin": {"l": 70, "r": 20, "t": 70, "b": 50},
        "sliders": [slider([label(T) for T in temps], active, "temperature: ")],
    }
    frames = [{"data": frame(i), "traces": [i0, i0 + 1], "layout": {"title": {"text": title(i)}}}
              for i in range(k)]
    return build_figure(traces, frames, layout, 420, "Fig. 2 error against N at each temperature",
                          rows=1, cols=2, horizontal_spacing=0.12)
