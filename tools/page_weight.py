"""A page's full weight, and the ipywidgets it must not carry: the checks of
``tools/browser_check.py`` that need no browser, only the URLs a page loaded and its HTML.

A page's full weight is its HTML and every distinct local file it loads (images, scripts,
styles, fonts, those shared with other pages too), summed from the sizes of the files behind the
URLs; more than 10 MB fails. Its own part is its HTML and its images. ipywidgets views or state in
a page, or the widget manager's JavaScript among what it loads, fail too: the static book has no
kernel, so its sliders would be dead.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlparse

#: The heaviest page allowed: bytes of its HTML and of every file it loads.
MAX_PAGE_BYTES = 10_000_000
#: ipywidgets in a page: an element (myst-nb writes a ``<script type=...>``) holding a view (where
#: a widget would be drawn) or the saved widget state; prose that names the mimetypes is no widget.
WIDGET_ELEMENT = re.compile(
    r"<(?:script|div)\b[^>]*\btype=[\"']?(application/vnd\.jupyter\.widget-(?:view|state)\+json)",
    re.IGNORECASE)
#: The widget manager's JavaScript, by the path of a file a page loads: RequireJS (the AMD loader
#: the manager needs) and @jupyter-widgets/html-manager (its bundles embed-amd.js / embed.js).
WIDGET_JS = re.compile(r"(?:^|/)require(?:\.min)?\.js$|(?:^|/)embed(?:-amd)?\.js$|"
                       r"html-manager|@jupyter-widgets", re.IGNORECASE)
SCRIPT_SRC = re.compile(r"<script\b[^>]*\bsrc=[\"']?([^\"'\s>]+)", re.IGNORECASE)
#: Files of a page alone; every other file a page loads is shared by the book's pages.
OWN_DIRS = ("_images",)


def local_paths(urls) -> list[str]:
    """The distinct paths (relative to the book's root, no query or fragment) of the URLs of
    ``urls`` served from 127.0.0.1, in first-seen order."""
    paths = (unquote(urlparse(u).path).lstrip("/") for u in urls
             if urlparse(u).hostname == "127.0.0.1")
    return list(dict.fromkeys(paths))


def page_bytes(rel: str, urls, html_dir: Path) -> tuple[int, int]:
    """(own, full) bytes of the distinct local files behind ``urls`` (what page ``rel`` loads,
    uncached): full counts every file (the page's HTML, images, scripts, styles, fonts), own
    the page's HTML and its images. A file loaded twice counts once."""
    own = full = 0
    for name in local_paths(urls):
        f = html_dir / name
        if f.is_dir():
            f = f / "index.html"
        if f.is_file():
            size = f.stat().st_size
            full += size
            if name == rel or name.split("/", 1)[0] in OWN_DIRS:
                own += size
    return own, full


def widget_problems(html: str, urls=()) -> list[str]:
    """What makes a page carry ipywidgets: widget views or state in its HTML ``html``, and the
    widget manager's JavaScript (:data:`WIDGET_JS`) among its scripts or the URLs ``urls`` it
    loaded. Empty for a page without widgets."""
    found = [m.group(1).lower() for m in WIDGET_ELEMENT.finditer(html)]
    problems = [f"{found.count(mime)} ipywidgets element(s) of type {mime}: the static book "
                "keeps no widgets (live ones run in make lab)" for mime in dict.fromkeys(found)]
    scripts = [m.group(1) for m in SCRIPT_SRC.finditer(html)]
    loaded = [urlparse(u).path for u in urls]
    for what in dict.fromkeys(scripts + loaded):
        if WIDGET_JS.search(urlparse(what).path):
            problems.append(f"loads ipywidgets JavaScript: {what}")
    return problems


def weight_problem(weight: int) -> str | None:
    """The failure of a page of ``weight`` bytes, or None when it is at most 10 MB."""
    if weight > MAX_PAGE_BYTES:
        return (f"the page weighs {weight / 1e6:.1f} MB with every file it loads, more than "
                f"{MAX_PAGE_BYTES / 1e6:.0f} MB")
    return None
