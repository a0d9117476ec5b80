"""Text alternatives of the book's figures (mtjbook.pages.figure_alt, issue 33): written from the
figure itself, carried in the notebook's PNG, set as the page's image alt by the Sphinx hook."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from PIL import Image

from mtjbook.pages import figure_alt as A


@pytest.fixture
def fig():
    f, (a, b) = plt.subplots(1, 2)
    a.plot([0, 1], [1, 2], label=r"$\Delta R(j)$")
    a.plot([0, 1], [2, 1], label="paper")
    a.set(xlabel="j (10¹⁰ A/m²)", ylabel=r"$\Delta R$ ($\Omega$)", title="(d) neuron")
    a.legend()
    b.semilogy([1, 2], [1, 10])
    b.set(xlabel="N (MTJs)", ylabel="NRMSE")
    f.suptitle("Fig. 1")
    yield f
    plt.close(f)


def test_plain_turns_mathtext_into_words():
    assert A.plain(r"$\Delta R$ ($\Omega$)") == "ΔR (Ω)"
    assert A.plain(r"$\mathrm{d}t$  in   $\mu$s") == "dt in μs"
    assert A.plain(None) == ""


def test_figure_alt_says_what_each_panel_plots(fig):
    alt = A.figure_alt(fig)
    assert alt.startswith("Figure 'Fig. 1' with 2 panels.")
    assert "Panel 1 of 2: '(d) neuron'; ΔR (Ω) against j (10¹⁰ A/m²); drawn as 2 lines" in alt
    assert "legend: ΔR(j), paper" in alt
    assert "Panel 2 of 2: NRMSE (log scale) against N (MTJs)" in alt
    A.describe(fig, "The neuron's response   and the error.")
    assert A.figure_alt(fig).startswith("The neuron's response and the error. Figure 'Fig. 1'")
    with pytest.raises(TypeError, match="text="):
        A.describe(fig, " ")


def test_a_panel_without_axes_is_described_by_its_title():
    f, (a, b) = plt.subplots(1, 2)
    a.fill([0, 1, 1], [0, 0, 1])
    a.set(title="师: 2.5 %", xlabel="hidden x")
    a.set_axis_off()
    b.set_axis_off()
    alt = A.figure_alt(f)
    plt.close(f)
    assert "Panel 1 of 2: '师: 2.5 %'; drawn as bars or shapes." in alt
    assert "hidden x" not in alt and "Panel 2 of 2: an unlabelled panel." in alt


def test_a_long_alt_is_cut():
    f, ax = plt.subplots()
    ax.set_title("x" * 2000)
    alt = A.figure_alt(f)
    plt.close(f)
    assert len(alt) == A.MAX_CHARS and alt.endswith("…")


def test_png_carries_the_alt_and_sphinx_sets_it(fig, tmp_path):
    png = A.figure_png(fig)
    with Image.open(io.BytesIO(png)) as im:
        assert im.format == "PNG" and im.text[A.PNG_KEY] == A.figure_alt(fig)  # ΔR, Ω: UTF-8
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "a.png").write_bytes(png)
    plain_png = io.BytesIO()
    fig.savefig(plain_png, format="png")
    (tmp_path / "out" / "b.png").write_bytes(plain_png.getvalue())
    assert A.png_description(tmp_path / "out" / "a.png") == A.figure_alt(fig)
    assert A.png_description(tmp_path / "out" / "b.png") is None
    assert A.png_description(tmp_path / "missing.png") is None

    from docutils import nodes

    class App:
        srcdir = str(tmp_path)

    doc = nodes.document(None, None)
    imgs = [nodes.image(uri="out/a.png", candidates={"*": "out/a.png"}),
            nodes.image(uri="/out/b.png"),
            nodes.image(uri="out/a.png", alt="given by the page")]
    for img in imgs:
        doc += img
    A._set_alts(App(), doc, "book/x")
    assert imgs[0]["alt"] == A.figure_alt(fig)
    assert "alt" not in imgs[1]  # a PNG without a description keeps Sphinx's default
    assert imgs[2]["alt"] == "given by the page"


def test_plotly_alt_names_axes_traces_and_sliders():
    go = pytest.importorskip("plotly.graph_objects")
    from mtjbook.pages.plotly_figure import build_figure, slider

    fig = build_figure([(go.Scatter(x=[0, 1], y=[0, 1], name="RNN output"), (1, 1)),
                        (go.Scatter(x=[0, 1], y=[1, 0], name="target"), (1, 1))],
                       [{"data": []}, {"data": []}],
                       {"xaxis": {"title": {"text": "t (ns)"}},
                        "yaxis": {"title": {"text": "output z"}},
                        "sliders": [slider(["a", "b"], 0, "period (ns) = ")]},
                       300, "the output of 师's network")
    assert fig.alt == ("the output of 师's network. Plotted: output z against t (ns). "
                       "Traces: RNN output, target. A slider below the plot sets period (ns); "
                       "the figure redraws for each setting.")
    html = fig.to_html()
    assert 'role="figure"' in html and "aria-label=\"the output of 师&#x27;s network." in html
    assert A.plotly_alt(fig.figure, "x").startswith("x. Plotted")


def test_a_panel_with_one_axis_label_says_which():
    f, (a, b) = plt.subplots(1, 2, sharey=True)
    a.plot([0, 1], [0, 1])
    b.plot([0, 1], [1, 0])
    a.set(xlabel="t (ns)")
    b.set(ylabel="z")
    alt = A.figure_alt(f)
    plt.close(f)
    assert "Panel 1 of 2: plotted against t (ns)" in alt
    assert "Panel 2 of 2: z on the vertical axis" in alt
