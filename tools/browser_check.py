"""Open every page of the built book in headless Chromium and check that it works offline.

Usage: ``.venv/bin/python tools/browser_check.py [--html _build/html] [--shots _build/screenshots]``

The book is served from 127.0.0.1 (``http.server`` in a thread) and each page is opened with
Python playwright driving Debian's ``/usr/bin/chromium``. A page fails when

- any request goes to a host other than 127.0.0.1 (it is blocked and reported),
- any request fails or answers with HTTP status >= 400,
- the console logs an error, or the page throws,
- it has math that MathJax does not typeset (every ``.math`` element must hold an
  ``mjx-container``, none an ``mjx-merror``),
- it holds an ipywidgets view or state (``application/vnd.jupyter.widget-view+json`` or
  ``...widget-state+json``) or loads the widget JavaScript (require.js,
  @jupyter-widgets/html-manager): the static book has no kernel, so its sliders would be dead,
  and the runner drops them (``mtjbook.builder.runner.drop_widgets``); live widgets run in ``make lab``,
- a download link on it (an executed notebook, ``claims.json``) does not answer with HTTP 200,
- it is a notebook page (``book/executed/``) that offers no download of its ``.ipynb``, or the
  first page (``book/intro.html``) does not offer ``claims.json``,
- opening a dropdown (``details``, e.g. a claim's full value) logs an error,
- an interactive figure (``div.mtj-interactive``, :mod:`mtjbook.pages.interactive`) does not draw
  with all its frames, or moving one of its sliders does not change the drawn figure: every
  slider is moved, by mouse clicks on its rail, to its last, first and middle steps (those other
  than the one it is on), and after each move the slider must report the new step and the
  plot's SVG (traces, axes, shapes, titles) must differ from before the move,
- a CJK character it shows (text, tables, side bar, code, the SVG text of an interactive
  figure) is not drawn by the CJK web font the book serves (``_static/cjk/``, staged by
  ``tools/stage_assets.py``): after the page's fonts have loaded, Chromium is asked (DevTools
  ``CSS.getPlatformFontsForNode``) which fonts drew each rendered element holding CJK text, and
  the glyphs drawn by a web font of the page must number at least its CJK characters; a
  character drawn by a system font, or by none (an empty box), fails, whatever fonts the
  machine has,
- the accessibility audit axe-core (npm ``axe-core``, pinned in ``tools/package-lock.json``,
  injected into the page after the checks above) finds a violation of impact "serious" or
  "critical" (images without a text alternative, too little contrast, links without a name,
  ...); minor and moderate ones are printed, not failed,
- the page's full weight is more than 10 MB: its HTML (interactive figures' frames included)
  and every distinct file it loads (images, scripts, styles, fonts, those shared with other
  pages too), summed from the sizes of the local files behind the requests the browser made
  while loading it and using it (the browser's cache is off, so every page is weighed whole;
  files a reader only downloads are not loaded and not counted). Each page's weight is printed
  in MB, beside the part that is its own (its HTML and its images).

A static pass first checks that no HTML or CSS file loads a script, style sheet or font from an
``http(s)://`` URL. A screenshot of each page goes to ``_build/screenshots/``, and one of each
interactive figure after its slider moves (``<page>__interactive<i>.png``). Exit status 1 on
any failure, with a summary. The checks that need no browser (a page's weight, its ipywidgets)
are in ``tools/page_weight.py``.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import re
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

# page_weight and stage_assets are this file's siblings in tools/, on sys.path when the file
# runs as a script
from page_weight import page_bytes, weight_problem, widget_problems
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright
from stage_assets import CJK_RANGES

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-extensions",
]
SKIP_DIRS = {"_static", "_sources", "_images", "_sphinx_design_static"}
#: axe-core as `make assets` installs it (a dev dependency of tools/package.json, not shipped).
AXE_JS = Path("_build/npm/node_modules/axe-core/axe.min.js")
TIMEOUT_MS = 30_000
#: An interactive figure of mtjbook.pages.interactive, and the plot inside it.
INTERACTIVE = "div.mtj-interactive"

# Remote resources that a page would load (links to other sites are fine, loading is not).
REMOTE_PATTERNS = [
    re.compile(r"<script\b[^>]*\bsrc=[\"']?(?:https?:)?//", re.IGNORECASE),
    re.compile(
        r"<link\b(?=[^>]*\brel=[\"']?(?:stylesheet|preload|modulepreload|icon|"
        r"prefetch|preconnect|dns-prefetch)\b)[^>]*\bhref=[\"']?(?:https?:)?//",
        re.IGNORECASE,
    ),
    re.compile(
        r"<(?:img|iframe|source|video|audio)\b[^>]*\bsrc=[\"']?(?:https?:)?//", re.IGNORECASE
    ),
    re.compile(r"@import\s+(?:url\()?[\"']?(?:https?:)?//", re.IGNORECASE),
    re.compile(r"url\(\s*[\"']?(?:https?:)?//", re.IGNORECASE),
    re.compile(r"fonts\.googleapis|fonts\.gstatic|cdn\.jsdelivr|cdnjs\.|unpkg\.com", re.IGNORECASE),
]


def static_scan(html_dir: Path) -> list[str]:
    """``file: snippet`` for every remote resource an HTML or CSS file would load."""
    problems = []
    for f in sorted(html_dir.rglob("*")):
        if f.suffix not in {".html", ".css"} or not f.is_file():
            continue
        rel = f.relative_to(html_dir)
        if rel.parts[0] == "_static" and rel.parts[1:2] == ("mathjax",):
            continue  # MathJax's own files (none is HTML/CSS, kept for safety)
        text = f.read_text(encoding="utf-8", errors="replace")
        for pat in REMOTE_PATTERNS:
            for m in pat.finditer(text):
                snippet = text[m.start() : m.end() + 60].replace("\n", " ")
                problems.append(f"{rel}: {snippet}")
    return problems


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@dataclass
class PageResult:
    page: str
    requests: int = 0
    math: int = 0
    downloads: int = 0
    figures: int = 0
    moves: int = 0
    cjk: int = 0
    own_bytes: int = 0
    bytes: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


MATH_STATE_JS = """() => {
  const els = Array.from(document.querySelectorAll('.math'))
    .filter(e => !e.parentElement.closest('.math'));
  return {total: els.length,
          typeset: els.filter(e => e.querySelector('mjx-container')).length,
          errors: document.querySelectorAll('mjx-merror').length};
}"""

# Links to files the reader downloads: Sphinx's {download} role and the theme's download button.
DOWNLOADS_JS = """() => Array.from(document.querySelectorAll('a[href]'))
  .map(a => a.href)
  .filter(h => h.includes('/_downloads/') || /\\.ipynb(#.*)?$/.test(h))"""


def required_downloads(rel: str) -> list[str]:
    """File names a page must offer for download: its executed notebook, or ``claims.json``."""
    if rel.startswith("book/executed/"):
        return [rel.rsplit("/", 1)[1].removesuffix(".html") + ".ipynb"]
    if rel == "book/intro.html":
        return ["claims.json"]
    return []


def check_downloads(page, rel: str, res: PageResult) -> None:
    """Every download link answers 200 (JSON parses); the page offers what it must."""
    links = sorted(set(page.evaluate(DOWNLOADS_JS)))
    res.downloads = len(links)
    for url in links:
        r = page.request.get(url.split("#")[0])
        if r.status != 200:
            res.problems.append(f"download link HTTP {r.status}: {url}")
        elif url.endswith((".ipynb", ".json")):
            try:
                r.json()
            except ValueError:
                res.problems.append(f"download link is not JSON: {url}")
    names = {u.split("#")[0].rsplit("/", 1)[1] for u in links}
    for need in required_downloads(rel):
        if need not in names:
            res.problems.append(f"no download link to {need}")


def open_dropdowns(page, res: PageResult) -> None:
    """Open the first few dropdowns (``details``): their content must show."""
    for d in page.query_selector_all("article details:not([open])")[:3]:
        summary = d.query_selector("summary")
        if summary is None or not summary.is_visible():
            continue
        summary.click()
        if not d.evaluate("e => e.open"):
            res.problems.append("a dropdown did not open")


def listen(page, res: PageResult) -> None:
    """Record console errors, page errors, failed local requests and HTTP errors in ``res``."""
    page.on(
        "console",
        lambda m: (
            m.type == "error"
            and res.problems.append(f"console error: {m.text} (at {m.location.get('url', '?')})")
        ),
    )
    page.on("pageerror", lambda e: res.problems.append(f"page error: {e}"))
    page.on(
        "requestfailed",
        lambda r: (
            urlparse(r.url).hostname == "127.0.0.1"
            and res.problems.append(f"request failed: {r.url} ({r.failure})")
        ),
    )

    def on_response(r):
        if r.status >= 400:
            res.problems.append(f"HTTP {r.status}: {r.url}")

    page.on("response", on_response)


def check_math(page, res: PageResult) -> None:
    """Every ``.math`` element holds an ``mjx-container`` (waits for MathJax), none an error."""
    math = page.evaluate(MATH_STATE_JS)
    res.math = math["total"]
    if not math["total"]:
        return
    with contextlib.suppress(PlaywrightTimeout):  # reported below
        page.wait_for_function(
            "() => (" + MATH_STATE_JS + ")().typeset === (" + MATH_STATE_JS + ")().total",
            timeout=TIMEOUT_MS,
        )
    math = page.evaluate(MATH_STATE_JS)
    if math["typeset"] < math["total"]:
        res.problems.append(f"MathJax typeset {math['typeset']} of {math['total']} math elements")
    if math["errors"]:
        res.problems.append(f"MathJax reported {math['errors']} errors (mjx-merror)")


#: Visible prose of a page (code cells, code spans, math and scripts excluded), as one string.
PROSE_JS = """() => {
  const skip = "pre, code, script, style, mjx-container, .MathJax, .cell_input, .highlight";
  const walker = document.createTreeWalker(document.querySelector("main") || document.body,
                                           NodeFilter.SHOW_TEXT);
  const parts = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.parentElement || n.parentElement.closest(skip)) continue;
    parts.push(n.textContent);
  }
  return parts.join(" ");
}"""
#: What must never reach a reader's eyes: Python reprs of glued objects (a Markdown object
#: pasted with {glue:text}) and TeX left unrendered between dollars (glued Markdown parsed
#: without MyST's dollarmath).
LEAKS = {
    "a Python object's repr": re.compile(r"<(?:IPython|matplotlib|numpy)\.[\w.]+ object|"
                                         r"object at 0x[0-9a-f]+"),
    "unrendered TeX": re.compile(r"\$[^\s$][^$\n]{0,80}?\$"),
}


def check_prose(page, res: PageResult) -> None:
    """The visible prose holds no Python repr and no TeX left between dollars."""
    text = page.evaluate(PROSE_JS)
    for what, pat in LEAKS.items():
        for m in list(pat.finditer(text))[:3]:
            snippet = text[max(0, m.start() - 40):m.end() + 20].replace("\n", " ")
            res.problems.append(f"{what} in the prose: ...{snippet}...")


#: What the reader sees of a plot, slider excluded: traces, axes, shapes, titles, annotations.
PLOT_STATE_JS = """(gd) => Array.from(gd.querySelectorAll(
    '.cartesianlayer, .shapelayer, .g-gtitle, .annotation')).map(e => e.innerHTML).join('|')"""
FIGURE_READY_JS = """(gd) => !!(gd._fullLayout && gd._transitionData
    && gd._transitionData._frames.length >= Number(gd.closest('div.mtj-interactive').dataset.frames)
    && gd.querySelectorAll('.slider-group').length
       >= Number(gd.closest('div.mtj-interactive').dataset.sliders))"""


def move_slider(page, gd, s: int, res: PageResult, name: str) -> None:
    """Click slider ``s`` of plot ``gd`` to its last, first and middle steps; each move must
    select that step and change the drawn plot."""
    group = gd.query_selector_all(".slider-group")[s]
    ticks = group.query_selector_all(".slider-tick-rect")
    rail = group.query_selector(".slider-rail-touch-rect").bounding_box()
    active = gd.evaluate(f"gd => gd._fullLayout.sliders[{s}].active")
    for k in dict.fromkeys([len(ticks) - 1, 0, len(ticks) // 2]):
        if k == active:
            continue
        before = gd.evaluate(PLOT_STATE_JS)
        box = ticks[k].bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, rail["y"] + rail["height"] / 2)
        try:
            page.wait_for_function(
                "([gd, s, k]) => gd._fullLayout.sliders[s].active === k", arg=[gd, s, k],
                timeout=5000)
            page.wait_for_function(f"([gd, before]) => ({PLOT_STATE_JS})(gd) !== before",
                                   arg=[gd, before], timeout=5000)
        except PlaywrightTimeout:
            now = gd.evaluate(f"gd => gd._fullLayout.sliders[{s}].active")
            res.problems.append(
                f"{name}: slider {s} moved to step {k} of {len(ticks)} " + (
                    f"but shows step {now}" if now != k else "but the figure did not change"))
            return
        res.moves += 1
        active = k


def check_interactive(page, res: PageResult) -> None:
    """Every interactive figure draws with all its frames; each of its sliders moves it."""
    figures = page.query_selector_all(f"{INTERACTIVE} .plotly-graph-div")
    res.figures = len(figures)
    if len(page.query_selector_all(INTERACTIVE)) != len(figures):
        res.problems.append("an interactive figure has no plot")
    for i, gd in enumerate(figures):
        name = f"interactive figure {i + 1}"
        try:
            page.wait_for_function(FIGURE_READY_JS, arg=gd, timeout=TIMEOUT_MS)
        except PlaywrightTimeout:
            res.problems.append(f"{name} did not draw with all its frames and sliders")
            continue
        gd.scroll_into_view_if_needed()
        for s in range(len(gd.query_selector_all(".slider-group"))):
            move_slider(page, gd, s, res, name)


def _cjk_class() -> str:
    """A JavaScript regular-expression character class of :data:`CJK_RANGES`."""
    return "[" + "".join(f"\\u{{{lo:x}}}-\\u{{{hi:x}}}" for lo, hi in CJK_RANGES) + "]"


#: Marks every rendered element whose own text holds CJK characters (``data-cjk-probe``) and
#: returns, for each, its CJK character count and a sample of its text.
CJK_PROBE_JS = """(cls) => {
  const cjk = new RegExp(cls, "gu");
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    const m = n.textContent.match(cjk);
    if (!el || !m || el.closest("script, style, noscript, template")) continue;
    if (!el.getClientRects().length || getComputedStyle(el).visibility === "hidden") continue;
    let i = el.getAttribute("data-cjk-probe");
    if (i === null) {
      i = String(found.length);
      el.setAttribute("data-cjk-probe", i);
      found.push({count: 0, text: ""});
    }
    found[Number(i)].count += m.length;
    found[Number(i)].text = (found[Number(i)].text + n.textContent).trim().slice(0, 60);
  }
  return found;
}"""


def cjk_font_problems(page) -> tuple[int, list[str]]:
    """The CJK characters the page shows, and a problem for each rendered element whose CJK
    characters are not all drawn by a web font of the page (asked of Chromium itself, so a
    machine's own CJK fonts cannot hide a missing served font)."""
    page.evaluate("() => document.fonts.ready.then(() => true)")
    probes = page.evaluate(CJK_PROBE_JS, _cjk_class())
    if not probes:
        return 0, []
    page.evaluate("() => document.fonts.ready.then(() => true)")  # loads the probes started
    cdp = page.context.new_cdp_session(page)
    problems = []
    shown = sum(p["count"] for p in probes)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": -1, "pierce": True})["root"]["nodeId"]
        for i, probe in enumerate(probes):
            node = cdp.send("DOM.querySelector",
                            {"nodeId": root, "selector": f'[data-cjk-probe="{i}"]'})["nodeId"]
            fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
            if not fonts:
                # laid out but drawn by no font at all: content Chromium skips (a collapsed
                # toggle's body, content-visibility), not shown; a shown character always has
                # a font, the fallback's empty box included
                shown -= probe["count"]
                continue
            served = sum(f["glyphCount"] for f in fonts if f.get("isCustomFont"))
            if served < probe["count"]:
                used = ", ".join(f"{f['familyName']} ({f['glyphCount']} glyphs"
                                 f"{', web font' if f.get('isCustomFont') else ''})"
                                 for f in fonts) or "no font"
                problems.append(f"CJK text not drawn by the served font: {probe['text']!r} has "
                                f"{probe['count']} CJK characters, web fonts drew {served} "
                                f"(fonts used: {used})")
    finally:
        cdp.detach()
    return shown, problems


#: Impacts of an axe-core violation that fail a page (minor and moderate ones are printed).
AXE_FAIL = ("serious", "critical")
AXE_RUN_JS = """async () => {
  const r = await axe.run(document, {resultTypes: ["violations"]});
  return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.length, targets: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
}"""


def axe_violations(page, axe_source: str) -> list[dict]:
    """axe-core's violations on the page as it is now: ``{id, impact, help, nodes, targets}``."""
    page.add_script_tag(content=axe_source)
    return page.evaluate(AXE_RUN_JS)


def axe_problems(violations: list[dict]) -> tuple[list[str], list[str]]:
    """(problems, notes): a line per violation, a problem when its impact is in
    :data:`AXE_FAIL`, a note otherwise."""
    problems, notes = [], []
    for v in violations:
        line = (f"accessibility ({v['impact']}): {v['id']}: {v['help']} ({v['nodes']} element"
                f"{'s' if v['nodes'] != 1 else ''}, e.g. {'; '.join(v['targets'])})")
        (problems if v["impact"] in AXE_FAIL else notes).append(line)
    return problems, notes


def check_page(context, base: str, rel: str, shots: Path,
               axe_source: str | None = None) -> PageResult:
    """Open one page and run every check on it; a full-page screenshot goes to ``shots``."""
    res = PageResult(page=rel)
    page = context.new_page()
    listen(page, res)
    t0 = time.perf_counter()
    page.goto(f"{base}/{rel}", wait_until="load", timeout=TIMEOUT_MS)
    try:
        page.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)
    except PlaywrightTimeout:
        res.problems.append("network did not become idle")
    check_math(page, res)
    check_prose(page, res)
    check_downloads(page, rel, res)
    open_dropdowns(page, res)
    check_interactive(page, res)
    res.cjk, cjk_problems = cjk_font_problems(page)
    res.problems += cjk_problems
    if axe_source is not None:
        failed, res.notes = axe_problems(axe_violations(page, axe_source))
        res.problems += failed
    res.seconds = time.perf_counter() - t0
    shots.mkdir(parents=True, exist_ok=True)
    stem = rel.replace("/", "__").removesuffix(".html")
    page.screenshot(path=str(shots / f"{stem}.png"), full_page=True)
    for i, fig in enumerate(page.query_selector_all(INTERACTIVE)):  # as the last move left it
        fig.screenshot(path=str(shots / f"{stem}__interactive{i + 1}.png"))
    page.close()
    return res


def check_all(html_dir: Path, pages: list[str], chromium: str, shots: Path,
              axe_source: str | None = None) -> list[PageResult]:
    """Serve ``html_dir`` on 127.0.0.1 and check each page in one offline Chromium context
    (every request to another host is blocked and reported)."""
    server, base = serve(html_dir)
    blocked: list[str] = []
    results = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, headless=True,
                                         args=CHROMIUM_ARGS)
            context = browser.new_context(
                viewport={"width": 1280, "height": 900}, service_workers="block"
            )

            def route(r):
                if urlparse(r.request.url).hostname == "127.0.0.1":
                    r.continue_()
                else:
                    blocked.append(r.request.url)
                    r.abort("blockedbyclient")

            context.route("**/*", route)
            requests = []
            # a routed context has the browser's cache off: every page loads all it needs
            context.on("request", lambda r: requests.append(r.url))
            for rel in pages:
                n0, b0 = len(requests), len(blocked)
                res = check_page(context, base, rel, shots, axe_source)
                res.requests = len(requests) - n0
                res.own_bytes, res.bytes = page_bytes(rel, requests[n0:], html_dir)
                if (heavy := weight_problem(res.bytes)) is not None:
                    res.problems.append(heavy)
                html = (html_dir / rel).read_text(encoding="utf-8", errors="replace")
                res.problems += widget_problems(html, requests[n0:])
                res.problems += [f"request outside the machine: {u}" for u in blocked[b0:]]
                # a blocked request also shows as a failed load in the console: keep one line
                res.problems = [
                    p
                    for p in res.problems
                    if not (p.startswith("console error: Failed to load resource") and blocked[b0:])
                ]
                results.append(res)
            browser.close()
    finally:
        server.shutdown()
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--html", type=Path, default=Path("_build/html"))
    ap.add_argument("--shots", type=Path, default=Path("_build/screenshots"))
    ap.add_argument("--chromium", default=CHROMIUM)
    ap.add_argument("--axe", type=Path, default=AXE_JS,
                    help="axe-core's axe.min.js (default: the copy `make assets` installs)")
    args = ap.parse_args(argv)
    if not args.axe.is_file():
        print(f"no axe-core at {args.axe}: run 'make assets' (tools/package-lock.json pins it)",
              file=sys.stderr)
        return 1
    axe_source = args.axe.read_text(encoding="utf-8")

    html_dir = args.html.resolve()
    pages = sorted(
        p.relative_to(html_dir).as_posix()
        for p in html_dir.rglob("*.html")
        if not set(p.relative_to(html_dir).parts) & SKIP_DIRS
    )
    if not pages:
        print(f"no pages under {html_dir}: build the book first", file=sys.stderr)
        return 1

    failures = [f"static: {p}" for p in static_scan(html_dir)]

    results = check_all(html_dir, pages, args.chromium, args.shots, axe_source)
    width = max(len(r.page) for r in results)
    print(f"{'page':<{width}}  requests  own MB  weight MB  math  figures  moves  "
          "downloads  CJK  seconds  result")
    for r in results:
        print(
            f"{r.page:<{width}}  {r.requests:>8}  {r.own_bytes / 1e6:>6.2f}  {r.bytes / 1e6:>9.2f}  "
            f"{r.math:>4}  {r.figures:>7}  {r.moves:>5}  {r.downloads:>9}  {r.cjk:>3}  "
            f"{r.seconds:>7.1f}  {'ok' if not r.problems else 'FAIL'}"
        )
        failures += [f"{r.page}: {p}" for p in r.problems]
    notes = sorted({n for r in results for n in r.notes})
    if notes:
        print(f"\naccessibility, minor or moderate (not failed), {len(notes)}:")
        for n in notes:
            print(f"  {n}")
    print(f"screenshots in {args.shots}/")
    if failures:
        print(f"\n{len(failures)} problem(s):", file=sys.stderr)
        for f in failures:
            print(f"  {f}", file=sys.stderr)
        return 1
    print(
        f"browser check passed: {len(results)} pages, no request left 127.0.0.1, no console "
        f"error, math typeset, no ipywidgets, {sum(r.cjk for r in results)} CJK characters "
        f"drawn by the served font, no serious or critical axe-core violation, "
        f"{sum(r.figures for r in results)} interactive "
        f"figures changed at each of {sum(r.moves for r in results)} slider moves, heaviest page "
        f"{max(r.bytes for r in results) / 1e6:.1f} MB with every file it loads "
        f"(its HTML and images {max(r.own_bytes for r in results) / 1e6:.1f} MB), "
        f"{sum(r.downloads for r in results)} download links answer"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
