"""Text alternatives of the book's figures: what a figure shows, in words, for a reader who
cannot see it (a screen reader reads it; ``tools/browser_check.py`` audits every page for it).

A matplotlib figure's alternative is written by :func:`figure_alt` from the figure itself (its
title, each panel's title, axis labels, legend entries, colour bars), led by the sentence a
notebook may attach with :func:`describe`; so it stays true when a reader re-runs a notebook
with other parameters. :func:`use_alt_text` (called by :func:`mtjbook.pages.page.use_style`) makes the
notebook's PNG outputs carry it as the PNG's ``Description`` text, and this module's Sphinx
extension (:func:`setup`, listed in ``_config.yml``) copies that text into the ``alt`` of the
page's ``<img>``: myst-nb 1.4 takes an image's alt only from cell metadata (one text per cell,
typed by hand), never from the output. Interactive figures get theirs from :func:`plotly_alt`
(:mod:`mtjbook.pages.plotly_figure`).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

#: The PNG text key that carries a figure's alternative (a standard PNG keyword).
PNG_KEY = "Description"
#: Attribute of a matplotlib figure holding the sentence given to :func:`describe`.
_ATTR = "_mtjbook_description"
#: An alternative longer than this is cut (with an ellipsis): a screen reader reads it whole.
MAX_CHARS = 900


def describe(fig, text: str):
    """Attach ``text`` (what the figure shows, one or two sentences) to the matplotlib figure
    ``fig``; :func:`figure_alt` puts it first. Returns ``fig``.

    Raises TypeError if ``text`` is not a non-empty str.
    """
    if not isinstance(text, str) or not text.strip():
        raise TypeError(f"describe: text={text!r} must be a non-empty str")
    setattr(fig, _ATTR, " ".join(text.split()))
    return fig


def _greek(m: re.Match) -> str:
    name = m.group(1)
    case = "CAPITAL" if name[0].isupper() else "SMALL"
    try:
        return unicodedata.lookup(f"GREEK {case} LETTER {name.upper()}")
    except KeyError:
        return name


def plain(text) -> str:
    """``text`` (a label, possibly with matplotlib mathtext ``$...$``) as plain words:
    ``r"$\\Delta R$ ($\\Omega$)"`` -> ``"ΔR (Ω)"``; whitespace collapsed."""
    text = str(text or "")
    text = re.sub(r"\\(?:mathrm|mathit|mathbf|text|operatorname)\s*", "", text)
    text = re.sub(r"\\([A-Za-z]+) ?", _greek, text)
    text = text.replace("$", "").replace("{", "").replace("}", "").replace("\\", "")
    return " ".join(text.split())


def _join(items) -> str:
    items = [i for i in dict.fromkeys(items) if i]
    return ", ".join(items)


def _axis(ax, which: str) -> str:
    axis = getattr(ax, f"{which}axis")
    label = plain(axis.get_label_text())
    if not label:
        return ""
    return label + (" (log scale)" if axis.get_scale() == "log" else "")


def _panel(ax) -> str:
    """One panel of a matplotlib figure in words."""
    colorbar = getattr(ax, "_colorbar", None)
    if colorbar is not None:
        label = _axis(ax, "y") or _axis(ax, "x")
        return f"a colour bar of {label}" if label else "a colour bar"
    words = []
    title = _join(plain(ax.get_title(loc)) for loc in ("left", "center", "right"))
    if title:
        words.append(f"'{title}'")
    x, y = (_axis(ax, "x"), _axis(ax, "y")) if ax.axison else ("", "")
    if x and y:
        words.append(f"{y} against {x}")
    elif x:
        words.append(f"plotted against {x}")
    elif y:
        words.append(f"{y} on the vertical axis")
    kinds = []
    if ax.images:
        kinds.append("an image")
    if ax.collections:
        kinds.append("points or filled shapes")
    if ax.get_lines():
        kinds.append(f"{len(ax.get_lines())} line{'s' if len(ax.get_lines()) > 1 else ''}")
    if ax.patches:
        kinds.append("bars or shapes")
    if kinds:
        words.append("drawn as " + _join(kinds))
    legend = ax.get_legend()
    if legend is not None:
        entries = _join(plain(t.get_text()) for t in legend.get_texts())
        if entries:
            words.append(f"legend: {entries}")
    return "; ".join(words) or "an unlabelled panel"


def figure_alt(fig) -> str:
    """What the matplotlib figure ``fig`` shows, in words: the sentence given to
    :func:`describe` (if any), the figure's title, then each visible panel (title, what is
    plotted against what, log scales, legend entries; colour bars). At most :data:`MAX_CHARS`
    characters."""
    parts = []
    given = getattr(fig, _ATTR, None)
    if given:
        parts.append(given.rstrip(".") + ".")
    sup = getattr(fig, "_suptitle", None)
    head = "Figure"
    if sup is not None and plain(sup.get_text()):
        head += f" '{plain(sup.get_text())}'"
    panels = [ax for ax in fig.axes if ax.get_visible()]
    if len(panels) > 1:
        head += f" with {len(panels)} panels"
    words = [_panel(ax) for ax in panels]
    for leg in getattr(fig, "legends", []):
        entries = _join(plain(t.get_text()) for t in leg.get_texts())
        if entries:
            words.append(f"legend of the figure: {entries}")
    if len(words) == 1:
        parts.append(f"{head}: {words[0]}.")
    elif words:
        parts.append(f"{head}. " + " ".join(
            f"Panel {i} of {len(words)}: {w}." for i, w in enumerate(words, 1)))
    else:
        parts.append(f"{head}.")
    text = " ".join(parts)
    return text if len(text) <= MAX_CHARS else text[:MAX_CHARS - 1].rstrip() + "…"


def plotly_alt(figure, name: str) -> str:
    """What an interactive (Plotly) figure shows, in words: ``name``, each panel's axis titles,
    the traces' names, and what each slider moves."""
    layout = figure.layout
    words = [" ".join(str(name).split()).rstrip(".") + "."]
    xaxes = sorted(k for k in layout.to_plotly_json() if re.fullmatch(r"xaxis\d*", k))
    panels = []
    for xk in xaxes:
        yk = "y" + xk[1:]
        x = plain(getattr(layout[xk].title, "text", "") or "")
        y = plain(getattr(layout[yk].title, "text", "") or "") if yk in layout else ""
        if x and y:
            panels.append(f"{y} against {x}")
        elif x or y:
            panels.append(x or y)
    if panels:
        words.append(("Panels: " if len(panels) > 1 else "Plotted: ") + "; ".join(panels) + ".")
    traces = _join(plain(t.name) for t in figure.data if getattr(t, "name", None))
    if traces:
        words.append(f"Traces: {traces}.")
    controls = [plain(s.currentvalue.prefix or "").strip(" =:") for s in layout.sliders]
    controls = [c for c in controls if c]
    if controls:
        words.append("A slider below the plot sets " + " and ".join(controls)
                     + "; the figure redraws for each setting.")
    text = " ".join(words)
    return text if len(text) <= MAX_CHARS else text[:MAX_CHARS - 1].rstrip() + "…"


# ----------------------------------------------------------------------------------------------
# The kernel side: PNG outputs that carry their alternative

def figure_png(fig, **kwargs) -> bytes:
    """The PNG of ``fig`` as the notebook shows it (IPython's inline backend's settings), with
    :func:`figure_alt` as its ``Description`` text."""
    from IPython.core.pylabtools import print_figure

    return print_figure(fig, "png", base64=False,
                        **({"bbox_inches": "tight"} | kwargs), metadata={PNG_KEY: figure_alt(fig)})


def _register(*_args) -> None:
    """(Re-)register :func:`figure_png` as the PNG formatter of matplotlib figures. The inline
    backend replaces the formatters when it configures itself (after the first cell that
    imported pyplot), so this also runs before every cell."""
    from IPython import get_ipython
    from matplotlib.figure import Figure

    ip = get_ipython()
    if ip is None:
        return
    try:
        from matplotlib_inline.backend_inline import InlineBackend

        kwargs = dict(InlineBackend.instance().print_figure_kwargs)
    except ImportError:  # pragma: no cover - the inline backend ships with ipykernel
        kwargs = {}
    kwargs.pop("metadata", None)
    ip.display_formatter.formatters["image/png"].for_type(
        Figure, lambda fig: figure_png(fig, **kwargs))


def use_alt_text() -> bool:
    """In an IPython kernel, make every matplotlib figure's PNG output carry its
    :func:`figure_alt` (idempotent). Returns False outside IPython (nothing to do)."""
    from IPython import get_ipython

    ip = get_ipython()
    if ip is None:
        return False
    _register()
    if _register not in ip.events.callbacks["pre_run_cell"]:
        ip.events.register("pre_run_cell", _register)
    return True


# ----------------------------------------------------------------------------------------------
# Sphinx: the alt of a notebook's image from its PNG text

def png_description(path) -> str | None:
    """The ``Description`` text of the PNG file ``path`` (None if none, or not a PNG)."""
    from PIL import Image  # matplotlib's own dependency

    try:
        with Image.open(path) as im:
            return im.text.get(PNG_KEY) if im.format == "PNG" else None
    except (OSError, ValueError):
        return None


def _set_alts(app, doctree, docname) -> None:
    from docutils import nodes

    for node in doctree.findall(nodes.image):
        if node.get("alt"):
            continue
        uri = node.get("candidates", {}).get("*") or node.get("uri", "")
        path = Path(app.srcdir, uri.lstrip("/"))
        if path.suffix.lower() == ".png" and path.is_file():
            alt = png_description(path)
            if alt:
                node["alt"] = alt


def setup(app):
    """Sphinx extension (``_config.yml``): an image without an alt whose PNG carries a
    ``Description`` text (:func:`figure_png`) gets that text as its alt."""
    app.connect("doctree-resolved", _set_alts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
