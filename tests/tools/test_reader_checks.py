"""The book as readers meet it (issue 33): the CJK web font staged by tools/stage_assets.py and
the browser check's two reader checks (tools/browser_check.py): every CJK character drawn by the
served font, and no serious or critical axe-core violation, each shown failing on a page made to
fail, in headless Chromium. Then the licence and citation files."""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ROOT / "tools"
ASSETS = ROOT / "_build" / "assets"
AXE = ROOT / "_build" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")


def _load(name: str):
    """The script ``tools/<name>.py`` as module ``name`` (tools/ is not a package)."""
    if name in sys.modules and getattr(sys.modules[name], "__file__", "").startswith(str(TOOLS)):
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, TOOLS / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


stage_assets = _load("stage_assets")
_load("page_weight")  # browser_check imports its siblings by name

# ----------------------------------------------------------------------------------------------
# The CJK font: only its CJK subsets are served, their ranges cut to the CJK blocks

FACE = """/* noto-sans-sc-[{i}]-wght-normal */
@font-face {{
  font-family: 'Noto Sans SC Variable';
  font-style: normal;
  font-display: swap;
  font-weight: 100 900;
  src: url(./files/noto-sans-sc-{i}-wght-normal.woff2) format('woff2-variations');
  unicode-range: {ranges};
}}
"""


def test_cjk_font_css_keeps_only_cjk_code_points():
    css = (FACE.format(i=1, ranges="U+5e08,U+4e00-4e0f,U+20-7e,U+ff01")  # 师, 一.., ASCII, ！
           + FACE.format(i=2, ranges="U+0-ff,U+2000-206f")  # Latin only: dropped
           + FACE.format(i=3, ranges="U+3007,U+3001-3003,U+1f600"))  # 〇, 、..〃, an emoji
    out, files = stage_assets.cjk_font_css(css)
    assert files == ["noto-sans-sc-1-wght-normal.woff2", "noto-sans-sc-3-wght-normal.woff2"]
    ranges = re.findall(r"unicode-range: ([^;]+);", out)
    assert ranges == ["U+4e00-4e0f,U+5e08,U+ff01", "U+3001-3003,U+3007"]
    assert "U+20-7e" not in out and "U+1f600" not in out and out.count("@font-face") == 2
    with pytest.raises(SystemExit, match="no @font-face rule covers"):
        stage_assets.cjk_font_css(FACE.format(i=2, ranges="U+0-ff"))
    with pytest.raises(SystemExit, match="unexpected @font-face"):
        stage_assets.cjk_font_css(FACE.format(i=1, ranges="U+5e08").replace(
            "Noto Sans SC Variable", "Other"))


def test_cut_and_format_ranges():
    assert stage_assets.cut_ranges([(0x2F00, 0x3010)]) == [(0x2F00, 0x2FDF), (0x3000, 0x3010)]
    assert stage_assets.cut_ranges([(0x4E00, 0x4E05), (0x4E06, 0x4E09)]) == [(0x4E00, 0x4E09)]
    assert stage_assets.format_ranges([(0x5E08, 0x5E08), (0x4E00, 0x4E09)]) == "U+5e08,U+4e00-4e09"
    assert stage_assets.parse_ranges("U+5e08, U+4e00-4e09") == [(0x5E08, 0x5E08), (0x4E00, 0x4E09)]


def test_the_staged_font_covers_the_books_characters():
    """The staged CSS (``make assets``) has a subset for 师 and the gallery's characters, and
    its files are there; Latin letters are in no served range."""
    css_file = ASSETS / "cjk" / stage_assets.CJK_CSS
    if not css_file.is_file():
        pytest.fail(f"{css_file} is missing: run 'make assets'")
    css = css_file.read_text(encoding="utf-8")
    ranges = [r for m in re.findall(r"unicode-range: ([^;]+);", css)
              for r in stage_assets.parse_ranges(m)]
    for ch in "师人大永我":
        assert any(lo <= ord(ch) <= hi for lo, hi in ranges), ch
    assert not any(lo <= ord("a") <= hi for lo, hi in ranges)
    for f in re.findall(r"url\(\./files/([\w.-]+)\)", css):
        assert (ASSETS / "cjk" / "files" / f).is_file(), f


# ----------------------------------------------------------------------------------------------
# The browser check's reader checks, in Chromium, on pages made to pass and to fail

GOOD = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>good</title>
<link rel="stylesheet" href="_static/cjk/noto-sans-sc.css">
<style>body {{ font-family: "Noto Sans SC Variable", sans-serif; }}</style></head>
<body><main><h1>Fig. 3 writes 师</h1><table><caption>gallery</caption>
<tr><th scope="col">character</th></tr><tr><td>人大永我</td></tr></table>
<svg width="200" height="40" role="img" aria-label="a title"><text x="5" y="25"
 style="font-family: Noto Sans SC Variable, DejaVu Sans, sans-serif">title 师</text></svg>
<p style="display: none">隐</p>{extra}</main></body></html>"""
TOFU = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>tofu</title></head>
<body><main><h1>Fig. 3 writes 师</h1><p>plain text</p></main></body></html>"""
NO_ALT = '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="10" height="10">'


#: The theme's and myst-nb's markup that axe-core fails (label-content-name-mismatch), fixed
#: by tools/static/a11y.js on load.
THEME = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>theme</title>
{script}</head><body><main><h1>A page</h1>
<button class="btn search-button-field search-button__button" aria-label="Search">
 <i class="fa-solid fa-magnifying-glass"></i><span>Search</span>
 <span><kbd>Ctrl</kbd>+<kbd>K</kbd></span></button>
<button class="theme-switch-button" aria-label="Color mode"><svg role="img"
 aria-labelledby="t1" width="10" height="10"><title id="t1">Light</title></svg></button>
<details><summary aria-label="Toggle hidden content"><p>Show code cell source</p></summary>
<pre>x = 1</pre></details></main></body></html>"""


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} (Debian's chromium) is not installed")
    pytest.importorskip("playwright")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                               args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    if not (ASSETS / "cjk").is_dir():
        pytest.fail(f"{ASSETS / 'cjk'} is missing: run 'make assets'")
    root = tmp_path_factory.mktemp("site")
    shutil.copytree(ASSETS / "cjk", root / "_static" / "cjk")
    (root / "good.html").write_text(GOOD.format(extra=""), encoding="utf-8")
    (root / "tofu.html").write_text(TOFU, encoding="utf-8")
    (root / "noalt.html").write_text(GOOD.format(extra=NO_ALT), encoding="utf-8")
    shutil.copyfile(TOOLS / "static" / "a11y.js", root / "a11y.js")
    (root / "theme.html").write_text(THEME.format(script=""), encoding="utf-8")
    (root / "fixed.html").write_text(THEME.format(script='<script src="a11y.js"></script>'),
                                     encoding="utf-8")
    bc = _load("browser_check")
    server, base = bc.serve(root)
    yield bc, base
    server.shutdown()


def _open(browser, url):
    page = browser.new_page()
    page.goto(url, wait_until="networkidle")
    return page


def test_cjk_drawn_by_the_served_font_passes(browser, site):
    bc, base = site
    page = _open(browser, f"{base}/good.html")
    n, problems = bc.cjk_font_problems(page)
    assert problems == []
    assert n == 1 + 4 + 1  # 师, the gallery, the SVG title; the hidden 隐 is not shown
    page.close()


def test_cjk_falling_back_to_another_font_fails(browser, site):
    """No served font on the page: the CJK character is drawn by a system font if the machine
    has one, else by none (an empty box); either way the check fails and names it."""
    bc, base = site
    page = _open(browser, f"{base}/tofu.html")
    n, problems = bc.cjk_font_problems(page)
    assert n == 1 and len(problems) == 1
    assert "Fig. 3 writes 师" in problems[0] and "web fonts drew 0" in problems[0]
    page.close()


def _axe(browser, site, name: str) -> list[str]:
    """The serious and critical axe-core violations of the test page ``name`` (after load)."""
    bc, base = site
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run 'make assets' (axe-core is pinned in tools/)")
    page = _open(browser, f"{base}/{name}")
    page.evaluate("() => document.fonts.ready.then(() => true)")
    problems, _ = bc.axe_problems(bc.axe_violations(page, AXE.read_text(encoding="utf-8")))
    page.close()
    return problems


def test_axe_fails_a_page_with_an_image_without_text_alternative(browser, site):
    assert _axe(browser, site, "good.html") == []
    problems = _axe(browser, site, "noalt.html")
    assert any("image-alt" in p and "(critical)" in p for p in problems), problems


def test_a11y_js_names_the_theme_buttons_by_their_text(browser, site):
    problems = _axe(browser, site, "theme.html")
    assert len(problems) == 1 and "label-content-name-mismatch" in problems[0]
    assert "2 elements" in problems[0]  # the search button and the code toggle
    assert _axe(browser, site, "fixed.html") == []


def test_the_book_config_loads_the_reader_assets():
    config = (ROOT / "_config.yml").read_text(encoding="utf-8")
    assert "- mtjbook.pages.figure_alt\n" in config  # image alts from the figures' PNGs
    assert 'html_css_files: ["cjk/noto-sans-sc.css", "cjk-font.css"]' in config
    assert 'html_js_files: ["a11y.js"]' in config
    assert "- file: book/notices\n" in (ROOT / "_toc.yml").read_text(encoding="utf-8")


def test_axe_impacts_split_into_problems_and_notes():
    bc = _load("browser_check")
    v = [{"id": "a", "impact": "serious", "help": "h", "nodes": 2, "targets": ["x", "y"]},
         {"id": "b", "impact": "moderate", "help": "h", "nodes": 1, "targets": ["z"]}]
    problems, notes = bc.axe_problems(v)
    assert problems == ["accessibility (serious): a: h (2 elements, e.g. x; y)"]
    assert notes == ["accessibility (moderate): b: h (1 element, e.g. z)"]


# ----------------------------------------------------------------------------------------------
# Licence and citation

def test_citation_file_cites_the_software_and_the_paper_it_reproduces():
    import yaml

    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0" and cff["type"] == "software"
    for key in ("message", "title", "authors", "license"):
        assert cff[key], key
    assert cff["license"] == "BSD-3-Clause"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("BSD 3-Clause License")
    paper = cff["references"][0]
    bib = (ROOT / "book" / "references.bib").read_text(encoding="utf-8")
    entry = bib[bib.index("@article{zheng2020"):].split("\n}", 1)[0]
    assert paper["doi"] == re.search(r"doi\s*=\s*\{([^}]+)\}", entry).group(1)
    assert [a["family-names"] for a in paper["authors"]] == ["Zheng", "Zhu", "Mi", "Yuan", "Xia"]
    assert (paper["journal"], paper["volume"], paper["start"], paper["year"]) == (
        "AIP Advances", 10, "025116", 2020)
