"""tools/browser_check.py without a browser (its sibling tools/page_weight.py): a page's full
weight (every distinct local file it loads) and the ipywidgets it must not carry (issue 23: the
static book keeps no widgets, and no page weighs more than 10 MB with every file it loads)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ROOT / "tools"


def _load(name: str):
    """The script ``tools/<name>.py`` as module ``name`` (tools/ is not a package)."""
    spec = importlib.util.spec_from_file_location(name, TOOLS / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod  # dataclasses look their module up; siblings import it by name
    spec.loader.exec_module(mod)
    return mod


page_weight = _load("page_weight")  # the checks of tools/browser_check.py that need no browser
_load("stage_assets")  # browser_check imports it too (the CJK ranges of the served font)

BASE = "http://127.0.0.1:8765"


def _site(tmp_path: Path) -> Path:
    files = {
        "book/page.html": 1000,
        "_images/fig.png": 3000,
        "_static/plotly/plotly-basic.min.js": 50_000,
        "_static/theme.css": 200,
        "_static/fonts/a b.woff2": 700,
        "book/sub/index.html": 10,
    }
    for rel, size in files.items():
        f = tmp_path / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_bytes(b"x" * size)
    return tmp_path


def test_page_weight_sums_every_distinct_local_file_it_loads(tmp_path):
    html = _site(tmp_path)
    urls = [
        f"{BASE}/book/page.html",
        f"{BASE}/_images/fig.png",
        f"{BASE}/_static/plotly/plotly-basic.min.js?v=1",
        f"{BASE}/_static/plotly/plotly-basic.min.js?v=2",  # the same file twice counts once
        f"{BASE}/_static/theme.css#x",
        f"{BASE}/_static/fonts/a%20b.woff2",  # URL-quoted name
        f"{BASE}/_static/missing.js",  # a 404 weighs nothing (and fails elsewhere)
        "https://cdn.example.org/big.js",  # blocked, never served from the book
        "data:image/png;base64,AAAA",
    ]
    own, full = page_weight.page_bytes("book/page.html", urls, html)
    assert own == 1000 + 3000
    assert full == 1000 + 3000 + 50_000 + 200 + 700
    # a folder URL is its index.html
    assert page_weight.page_bytes("book/sub/", [f"{BASE}/book/sub/"], html)[1] == 10
    assert page_weight.local_paths([f"{BASE}/a.js", f"{BASE}/a.js?q", f"{BASE}/b.js"]) == [
        "a.js", "b.js"]


def test_a_page_over_ten_megabytes_fails_on_its_full_weight():
    assert page_weight.weight_problem(page_weight.MAX_PAGE_BYTES) is None
    assert page_weight.weight_problem(9_000_000) is None
    msg = page_weight.weight_problem(10_500_000)
    assert msg is not None and "10.5 MB" in msg and "10 MB" in msg
    # the shared scripts count: a light HTML with a heavy script is over the limit too
    assert page_weight.weight_problem(200_000 + 10_000_000) is not None


VIEW = ('<div class="cell_output"><script type="application/vnd.jupyter.widget-view+json">'
        '{"version_major": 2, "version_minor": 0, "model_id": "abc"}</script></div>')
STATE = ('<script type="application/vnd.jupyter.widget-state+json">{"state": {}}</script>')


def test_widget_views_and_state_are_found():
    problems = page_weight.widget_problems(f"<html><body>{VIEW}{VIEW}{STATE}</body></html>")
    assert len(problems) == 2
    assert "2 ipywidgets element(s)" in problems[0] and "widget-view" in problems[0]
    assert "widget-state" in problems[1]
    # single quotes, no quotes, upper case
    assert page_weight.widget_problems("<SCRIPT TYPE=application/vnd.jupyter.widget-view+json>")
    assert page_weight.widget_problems("<script type='application/vnd.jupyter.widget-state+json'>")


def test_widget_javascript_is_found_in_scripts_and_loaded_urls():
    for src in ("../_static/require.js", "_static/require.min.js?v=1",
                "_static/widgets/embed-amd.js",
                "https://cdn.jsdelivr.net/npm/@jupyter-widgets/html-manager@1/dist/embed.js"):
        assert page_weight.widget_problems(f'<script src="{src}"></script>'), src
    assert page_weight.widget_problems("<html></html>", [f"{BASE}/_static/require.js"])
    font = f"{BASE}/_static/widgets/@jupyter-widgets/fa-solid-900.woff2"
    assert page_weight.widget_problems("<html></html>", [font])


def test_a_page_without_widgets_passes():
    html = ('<html><head><script src="../_static/plotly/plotly-basic.min.js"></script>'
            '<script src="../_static/mathjax/tex-chtml.js"></script>'
            '<script defer src="_static/scripts/bootstrap.js?digest=1"></script></head><body>'
            '<p>The runner drops outputs of type <code>application/vnd.jupyter.widget-view+json'
            '</code>; live sliders run in <code>make lab</code>.</p>'
            '<div class="mtj-interactive"><div class="plotly-graph-div"></div></div></body></html>')
    urls = [f"{BASE}/_static/plotly/plotly-basic.min.js", f"{BASE}/_static/mathjax/tex-chtml.js",
            f"{BASE}/_static/mathjax/output/chtml/fonts/woff-v2/MathJax_Main-Regular.woff"]
    assert page_weight.widget_problems(html, urls) == []


def test_browser_check_runs_the_page_weight_checks():
    pytest.importorskip("playwright")
    browser_check = _load("browser_check")  # imports its sibling page_weight, loaded above
    assert browser_check.page_bytes is page_weight.page_bytes
    assert browser_check.weight_problem is page_weight.weight_problem
    assert browser_check.widget_problems is page_weight.widget_problems
