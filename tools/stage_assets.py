"""Copy the pinned browser assets from ``node_modules`` into the book's static folder.

Usage: ``python3 tools/stage_assets.py <node_modules> <dest>`` (the Makefile runs it after
``npm ci`` of ``tools/package-lock.json``). Standard library only: it runs before the venv exists.

Layout written under ``<dest>`` (Sphinx copies it into ``_build/html/_static/``):

- ``mathjax/``                          MathJax 3 (es5 components; loads its extensions and fonts
                                        relative to ``tex-chtml.js``)
- ``plotly/plotly-basic.min.js``        plotly.js, basic bundle (scatter, bar, pie traces): draws the
                                        interactive figures (``mtjbook.pages.interactive``) on the pages
                                        that have one (``mtjbook.sphinx_plotly`` adds the script)
- ``cjk/noto-sans-sc.css`` + ``cjk/files/``  the CJK web font (``@fontsource-variable/noto-sans-sc``,
                                        SIL Open Font License): the package's ``@font-face`` rules
                                        with their ``unicode-range`` cut to the CJK blocks of
                                        :data:`CJK_RANGES`, and only the woff2 subsets those rules
                                        name. Every page links the CSS (``_config.yml``); a browser
                                        fetches a subset only for characters of the page in its
                                        range, so Latin text keeps the theme's fonts and a page
                                        without CJK text loads no font file
- ``licenses/``                         the licences of the copied packages, among them
                                        ``hanzi-writer-data-ARPHICPL.TXT`` (the Arphic Public
                                        License of the character data: the built book links
                                        ``_static/licenses/hanzi-writer-data-ARPHICPL.TXT``)
- ``VERSIONS.txt``                      exact versions copied

``axe-core`` (a dev dependency) is not copied: ``tools/browser_check.py`` injects it from
``<node_modules>/axe-core/axe.min.js`` into each page it audits.

No widget manager (require.js, @jupyter-widgets/html-manager) is staged: the static book keeps
no ipywidgets (``mtjbook.builder.runner.drop_widgets``; without a kernel their sliders do nothing), and
the live ones run in JupyterLab (``make lab``), which brings its own.

The character data (``hanzi-writer-data``: one ``<char>.json`` per character, about 9600 files,
47 MB) is not copied: the book only draws figures from it, so the pages need none of it at view
time. It stays readable where ``npm ci`` put it, ``<node_modules>/hanzi-writer-data/``, which the
notebooks read through ``MTJLIB_HANZI_DIR``; this script checks that it is there with its licence,
and stages the licence.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

# Make Me a Hanzi's stroke data as packaged for Hanzi Writer (Arphic Public License).
HANZI_PACKAGE = "hanzi-writer-data"
HANZI_LICENSE = "ARPHICPL.TXT"
HANZI_PROBE = "师.json"  # the character of the paper's Fig. 3
# plotly.js for the interactive figures: its version must be the one the pinned Python plotly
# writes figures for (tests/mtjbook/pages/test_interactive.py compares them)
PLOTLY_PACKAGE = "plotly.js-basic-dist-min"
PLOTLY_FILE = "plotly-basic.min.js"
# The CJK web font: Noto Sans SC as a variable font (one woff2 per unicode-range subset, all
# weights), served so that 师 and the gallery's characters render on machines without CJK fonts.
CJK_PACKAGE = "@fontsource-variable/noto-sans-sc"
CJK_FAMILY = "Noto Sans SC Variable"
CJK_CSS = "noto-sans-sc.css"
#: Unicode blocks drawn with the served CJK font (inclusive code-point ranges): ideographs,
#: radicals, strokes, CJK symbols and punctuation, fullwidth forms. The font's other subsets
#: (Latin, Cyrillic, ...) are not served: the theme's fonts draw those characters.
CJK_RANGES = (
    (0x2E80, 0x2FDF),    # CJK Radicals Supplement, Kangxi Radicals
    (0x3000, 0x303F),    # CJK Symbols and Punctuation (3007: ideographic zero)
    (0x31C0, 0x31EF),    # CJK Strokes
    (0x3400, 0x4DBF),    # CJK Unified Ideographs Extension A
    (0x4E00, 0x9FFF),    # CJK Unified Ideographs
    (0xF900, 0xFAFF),    # CJK Compatibility Ideographs
    (0xFE30, 0xFE4F),    # CJK Compatibility Forms
    (0xFF00, 0xFFEF),    # Halfwidth and Fullwidth Forms
    (0x20000, 0x323AF),  # Extensions B to I, Compatibility Ideographs Supplement
)
_FACE = re.compile(r"@font-face\s*\{(?P<body>[^}]*)\}")


def _version(pkg_dir: Path) -> str:
    return json.loads((pkg_dir / "package.json").read_text(encoding="utf-8"))["version"]


def _license(pkg_dir: Path, dest: Path, name: str) -> None:
    for cand in ("LICENSE", "LICENSE.txt", "LICENSE.md", "license"):
        f = pkg_dir / cand
        if f.is_file():
            dest.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f, dest / f"{name.replace('/', '_')}-LICENSE.txt")
            return


def _check_hanzi(node_modules: Path) -> Path:
    """The character data folder, after checking it holds the data and its licence."""
    hanzi = node_modules / HANZI_PACKAGE
    for f in ("package.json", HANZI_LICENSE, HANZI_PROBE):
        if not (hanzi / f).is_file():
            raise SystemExit(f"missing {hanzi / f}: run npm ci in the folder of "
                             "tools/package-lock.json")
    return hanzi


def parse_ranges(text: str) -> list[tuple[int, int]]:
    """The code-point ranges of a CSS ``unicode-range`` value (``U+4e00-9fff,U+3007``)."""
    out = []
    for part in text.split(","):
        part = part.strip()
        if not part.upper().startswith("U+") or "?" in part:
            raise SystemExit(f"unsupported unicode-range item {part!r}")
        lo, _, hi = part[2:].partition("-")
        out.append((int(lo, 16), int(hi or lo, 16)))
    return out


def cut_ranges(ranges, keep=CJK_RANGES) -> list[tuple[int, int]]:
    """The parts of ``ranges`` inside ``keep``, sorted and merged."""
    cut = sorted((max(a, lo), min(b, hi)) for a, b in ranges for lo, hi in keep
                 if max(a, lo) <= min(b, hi))
    merged: list[tuple[int, int]] = []
    for a, b in cut:
        if merged and a <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def format_ranges(ranges) -> str:
    return ",".join(f"U+{a:x}" if a == b else f"U+{a:x}-{b:x}" for a, b in ranges)


def cjk_font_css(css: str) -> tuple[str, list[str]]:
    """The ``@font-face`` rules of the font package's CSS that cover CJK characters, their
    ``unicode-range`` cut to :data:`CJK_RANGES`, and the woff2 files they name.

    A rule whose range holds no CJK character is dropped (its file is not served); a rule
    must name exactly one woff2 file under ``./files/`` and the family :data:`CJK_FAMILY`.
    """
    rules, files = [], []
    for m in _FACE.finditer(css):
        body = m.group("body")
        rng = re.search(r"unicode-range:\s*([^;]+);", body)
        src = re.findall(r"url\(\s*['\"]?\./files/([\w.-]+\.woff2)['\"]?\s*\)", body)
        if rng is None or len(src) != 1 or f"font-family: '{CJK_FAMILY}'" not in body:
            raise SystemExit(f"{CJK_PACKAGE}: unexpected @font-face rule: {body.strip()[:200]}")
        cut = cut_ranges(parse_ranges(rng.group(1)))
        if not cut:
            continue
        body = body.replace(rng.group(0), f"unicode-range: {format_ranges(cut)};")
        rules.append("@font-face {" + body + "}")
        files.append(src[0])
    if not rules:
        raise SystemExit(f"{CJK_PACKAGE}: no @font-face rule covers a CJK character")
    head = (f"/* {CJK_FAMILY} ({CJK_PACKAGE}, SIL Open Font License 1.1), cut to the CJK "
            "blocks by tools/stage_assets.py: a browser fetches a subset only for characters of "
            "the page in its unicode-range. */\n")
    return head + "\n".join(rules) + "\n", files


def _stage_cjk(pkg: Path, dest: Path) -> int:
    """Write the CJK font's CSS and its woff2 subsets under ``dest``; their number."""
    css, files = cjk_font_css((pkg / "index.css").read_text(encoding="utf-8"))
    (dest / "files").mkdir(parents=True)
    for f in files:
        shutil.copyfile(pkg / "files" / f, dest / "files" / f)
    (dest / CJK_CSS).write_text(css, encoding="utf-8")
    return len(files)


def stage(node_modules: Path, dest: Path) -> list[str]:
    mathjax = node_modules / "mathjax"
    plotly = node_modules / PLOTLY_PACKAGE
    cjk = node_modules / CJK_PACKAGE
    for d in (mathjax, plotly, cjk):
        if not (d / "package.json").is_file():
            raise SystemExit(f"missing {d}: run npm ci in the folder of tools/package-lock.json")
    if mathjax.exists() and not _version(mathjax).startswith("3."):
        raise SystemExit(f"mathjax {_version(mathjax)} staged; this book needs MathJax 3")
    hanzi = _check_hanzi(node_modules)

    tmp = dest.with_name(dest.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)

    shutil.copytree(mathjax / "es5", tmp / "mathjax")
    (tmp / "plotly").mkdir()
    shutil.copyfile(plotly / PLOTLY_FILE, tmp / "plotly" / PLOTLY_FILE)
    n_subsets = _stage_cjk(cjk, tmp / "cjk")

    lic = tmp / "licenses"
    for name, d in (("mathjax", mathjax), ("plotly.js", plotly), (CJK_PACKAGE, cjk)):
        _license(d, lic, name)
    lic.mkdir(exist_ok=True)
    shutil.copyfile(hanzi / HANZI_LICENSE, lic / f"{HANZI_PACKAGE}-{HANZI_LICENSE}")
    versions = [
        f"mathjax {_version(mathjax)}",
        f"{PLOTLY_PACKAGE} {_version(plotly)}",
        f"{CJK_PACKAGE} {_version(cjk)} ({n_subsets} CJK subsets)",
        f"{HANZI_PACKAGE} {_version(hanzi)} (character data read at build time, not copied)",
    ]
    (tmp / "VERSIONS.txt").write_text("\n".join(versions) + "\n", encoding="utf-8")

    shutil.rmtree(dest, ignore_errors=True)
    tmp.rename(dest)
    return versions


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    versions = stage(Path(argv[0]), Path(argv[1]))
    print(f"staged {', '.join(versions)} into {argv[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
