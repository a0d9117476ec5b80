"""The interactive figure itself: a Plotly figure with frames and sliders
(:class:`InteractiveFigure`, :func:`slider`, :func:`build_figure`) in the book's style, shown as
HTML in the book and as Plotly's mime type in JupyterLab, and the Sphinx extension
(:func:`setup`) that loads plotly.js on the pages that hold one. :mod:`mtjbook.pages.interactive`
builds the paper's figures on it.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Sequence

import numpy as np

from mtjbook.pages.figure_alt import plotly_alt

#: Class of the ``div`` around every interactive figure (the Sphinx hook and the browser check
#: look for it).
MARKER = "mtj-interactive"
#: plotly.js inside the book's ``_static`` folder (staged by ``tools/stage_assets.py``).
PLOTLY_JS = "plotly/plotly-basic.min.js"
#: Plotly's mime type, rendered by JupyterLab's plotly extension.
PLOTLY_MIME = "application/vnd.plotly.v1+json"
#: Key of an interactive figure's output metadata: its name, frames, controls and size.
METADATA_KEY = "mtjbook_interactive"
#: Trace types of plotly.js's basic bundle: a figure using another type would not draw.
BASIC_TRACES = frozenset({"scatter", "bar", "pie"})

#: matplotlib's default colours (C0, C1, ...), as in the static figures.
COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
          "#7f7f7f", "#bcbd22", "#17becf")
_AXIS = {"showline": True, "linecolor": "black", "linewidth": 1, "mirror": True,
         "ticks": "outside", "showgrid": True, "gridcolor": "rgba(0,0,0,0.1)", "zeroline": False}
#: The CJK web font the book serves (``tools/stage_assets.py``, ``_static/cjk/``): first in every
#: font list, it draws only the CJK characters (its ``unicode-range``), so 师 in a title or a
#: slider label renders on a machine without CJK fonts. Elsewhere (JupyterLab) it is absent and
#: the next fonts draw.
CJK_FONT = "Noto Sans SC Variable"
_LAYOUT = {"template": "none", "paper_bgcolor": "white", "plot_bgcolor": "white",
           "font": {"family": f"{CJK_FONT}, DejaVu Sans, Helvetica, Arial, sans-serif",
                    "size": 12},
           "hovermode": "closest"}
#: A log axis labelled in powers of ten (10⁻⁴, not Plotly's SI prefix 100µ).
LOG = {"type": "log", "exponentformat": "power", "dtick": "D2"}
#: Legends in one row above the plots, on no background (they must not hide an axis line).
LEGEND = {"orientation": "h", "x": 1, "xanchor": "right", "y": 1.02, "yanchor": "bottom",
           "bgcolor": "rgba(0,0,0,0)"}
_CONFIG = {"responsive": True, "displaylogo": False}
#: Plotly sizes a plot to its container when drawn and when the window resizes; the page's
#: column can still change width after that (the theme's sidebars settle): follow it.
_FIT_WIDTH = ("var gd = document.getElementById('{plot_id}'); if (gd && window.ResizeObserver) "
              "{ new ResizeObserver(function () { Plotly.Plots.resize(gd); })"
              ".observe(gd.parentElement); }")
#: A slider step jumps to its frame at once (no tweening: frames are separate runs).
_ANIMATE = {"mode": "immediate", "frame": {"duration": 0, "redraw": True},
            "transition": {"duration": 0}}
#: Above this many steps a slider's labels would overlap: they are hidden and the current
#: value, printed above the slider, says where it is.
MAX_LABELS = 12
#: Samples of a whole-run overview panel (more than its width in pixels).
OVERVIEW_POINTS = 2500


def f32(a) -> np.ndarray:
    """A float32 copy (Plotly writes it as a base64 typed array: 4 bytes per number)."""
    return np.asarray(a, dtype=np.float32)


def polygons(polys) -> tuple[np.ndarray, np.ndarray]:
    """Polygons as one x, y pair separated by NaN (one filled trace draws them all)."""
    xs, ys = [], []
    for p in polys:
        p = np.asarray(p, dtype=float)
        xs += [p[:, 0], [np.nan]]
        ys += [p[:, 1], [np.nan]]
    if not xs:
        return np.zeros(0, np.float32), np.zeros(0, np.float32)
    return f32(np.concatenate(xs)), f32(np.concatenate(ys))


def slider(labels: Sequence[str], active: int, prefix: str, suffix: str = "") -> dict:
    """A Plotly slider whose step ``k`` shows the frame named ``str(k)``."""
    labels = [str(lab) for lab in labels]
    if not labels:
        raise ValueError("slider: labels must not be empty")
    if not 0 <= active < len(labels):
        raise ValueError(f"slider: active={active!r} is outside [0, {len(labels) - 1}]")
    hide = len(labels) > MAX_LABELS
    return {
        "active": int(active),
        "steps": [{"method": "animate", "label": lab, "args": [[str(k)], _ANIMATE]}
                  for k, lab in enumerate(labels)],
        "currentvalue": {"prefix": prefix, "suffix": suffix, "xanchor": "left",
                         "font": {"size": 13, "color": "#222"}},
        "font": {"size": 10, "color": "rgba(0,0,0,0)" if hide else "#444"},
        "x": 0.0, "len": 1.0, "xanchor": "left", "y": 0.0, "yanchor": "top",
        "pad": {"t": 60, "b": 0},
    }


class InteractiveFigure:
    """A Plotly figure with frames and a slider, shown as HTML in the book.

    Parameters
    ----------
    figure : plotly.graph_objects.Figure
        With ``frames`` named ``"0"``, ``"1"``, ... and the sliders of ``layout.sliders``.
    height : int
        Height in pixels (the width follows the page).
    name : str
        What the figure shows, for its text form.
    """

    def __init__(self, figure, *, height: int, name: str):
        self.figure = figure
        self.height = int(height)
        self.name = str(name)
        types = {t.type for t in figure.data} | {t.type for fr in figure.frames for t in fr.data}
        if not types <= BASIC_TRACES:
            raise ValueError(f"trace types {sorted(types - BASIC_TRACES)} are not in plotly.js's "
                             f"basic bundle ({sorted(BASIC_TRACES)})")

    @property
    def n_frames(self) -> int:
        """Number of frames."""
        return len(self.figure.frames)

    @property
    def controls(self) -> list[str]:
        """The current-value prefix of each slider (what it moves)."""
        return [str(s.currentvalue.prefix or "").strip(" =:") for s in self.figure.layout.sliders]

    def to_json(self) -> str:
        """The figure as Plotly JSON (data, layout, frames)."""
        import plotly.io as pio

        return pio.to_json(self.figure, validate=False)

    @property
    def div_id(self) -> str:
        """A stable id: a hash of the figure (same run, same page)."""
        return "mtjfig-" + hashlib.sha256(self.to_json().encode()).hexdigest()[:12]

    def to_html(self) -> str:
        """The ``div`` and script that draw the figure once plotly.js is loaded."""
        import plotly.io as pio

        inner = pio.to_html(self.figure, config=_CONFIG, auto_play=False,
                            include_plotlyjs=False, full_html=False, div_id=self.div_id,
                            default_height=f"{self.height}px", validate=False,
                            post_script=_FIT_WIDTH)
        return (f'<div class="{MARKER}" data-frames="{self.n_frames}" '
                f'data-sliders="{len(self.figure.layout.sliders)}" role="figure" '
                f'aria-label="{html.escape(self.alt, quote=True)}">{inner}</div>')

    @property
    def alt(self) -> str:
        """What the figure shows, in words (its text alternative, the ``aria-label`` of its
        ``div``): :func:`mtjbook.pages.figure_alt.plotly_alt`."""
        return plotly_alt(self.figure, self.name)

    def _repr_mimebundle_(self, include=None, exclude=None):
        fig = json.loads(self.to_json())
        fig["config"] = dict(_CONFIG)
        html = self.to_html()
        data = {"text/html": html, PLOTLY_MIME: fig,
                "text/plain": f"Interactive figure: {self.name} ({self.n_frames} frames)"}
        # read by the build report (mtjbook.builder.report.interactive_figures)
        meta = {"text/html": {METADATA_KEY: {"name": self.name, "frames": self.n_frames,
                                             "controls": self.controls,
                                             "html_bytes": len(html.encode())}}}
        return data, meta


def build_figure(traces, frames, layout, height, name, rows=1, cols=1, **subplots):
    """An :class:`InteractiveFigure` of ``traces`` (each ``(trace, (row, col))``) in the book's
    style, ``layout`` applied over it, and ``frames`` (dicts of ``go.Frame``'s arguments) named
    ``"0"``, ``"1"``, ...; ``rows`` x ``cols`` > 1 makes subplots (``subplots`` passed to
    ``make_subplots``). ``height`` in pixels, ``name`` what it shows."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    fig = make_subplots(rows=rows, cols=cols, **subplots) if rows * cols > 1 else go.Figure()
    for tr, (r, c) in traces:
        if rows * cols > 1:
            fig.add_trace(tr, row=r, col=c)
        else:
            fig.add_trace(tr)
    fig.update_layout(**_LAYOUT, height=height)
    fig.update_xaxes(**_AXIS)
    fig.update_yaxes(**_AXIS)
    fig.update_layout(**layout)
    fig.frames = [go.Frame(name=str(k), **f) for k, f in enumerate(frames)]
    return InteractiveFigure(fig, height=height, name=name)


# ----------------------------------------------------------------------------------------------
# Sphinx: load plotly.js on the pages that hold an interactive figure

def _add_plotly(app, pagename, templatename, context, doctree) -> None:
    if MARKER in context.get("body", ""):
        app.add_js_file(PLOTLY_JS)


def setup(app):
    """Sphinx extension (``_config.yml``): a page whose body holds a :data:`MARKER` ``div``
    loads ``_static/`` :data:`PLOTLY_JS`; other pages load nothing more."""
    app.connect("html-page-context", _add_plotly)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
