"""Copy the pinned browser assets from ``node_modules`` into the book's static folder.

Usage: ``python3 tools/stage_assets.py <node_modules> <dest>`` (the Makefile runs it after
``npm ci`` of ``tools/package-lock.json``). Standard library only: it runs before the venv exists.

Layout written under ``<dest>`` (Sphinx copies it into ``_build/html/_static/``):

- ``mathjax/``                          MathJax 3 (es5 components; loads its extensions and fonts
                                        relative to ``tex-chtml.js``)
- ``plotly/plotly-basic.min.js``        plotly.js, basic bundle (scatter, bar, pie traces): draws the
                                        interactive figures (``mtjbook.interactive``) on the pages
                                        that have one (``mtjbook.sphinx_plotly`` adds the script)
- ``licenses/``                         the licences of the copied packages, among them
                                        ``hanzi-writer-data-ARPHICPL.TXT`` (the Arphic Public
                                        License of the character data: the built book links
                                        ``_static/licenses/hanzi-writer-data-ARPHICPL.TXT``)
- ``VERSIONS.txt``                      exact versions copied

No widget manager (require.js, @jupyter-widgets/html-manager) is staged: the static book keeps
no ipywidgets (``mtjbook.runner.drop_widgets``; without a kernel their sliders do nothing), and
the live ones run in JupyterLab (``make lab``), which brings its own.

The character data (``hanzi-writer-data``: one ``<char>.json`` per character, about 9600 files,
47 MB) is not copied: the book only draws figures from it, so the pages need none of it at view
time. It stays readable where ``npm ci`` put it, ``<node_modules>/hanzi-writer-data/``, which the
notebooks read through ``MTJLIB_HANZI_DIR``; this script checks that it is there with its licence,
and stages the licence.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

# Make Me a Hanzi's stroke data as packaged for Hanzi Writer (Arphic Public License).
HANZI_PACKAGE = "hanzi-writer-data"
HANZI_LICENSE = "ARPHICPL.TXT"
HANZI_PROBE = "师.json"  # the character of the paper's Fig. 3
# plotly.js for the interactive figures: its version must be the one the pinned Python plotly
# writes figures for (tests/test_interactive.py compares them)
PLOTLY_PACKAGE = "plotly.js-basic-dist-min"
PLOTLY_FILE = "plotly-basic.min.js"


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


def stage(node_modules: Path, dest: Path) -> list[str]:
    mathjax = node_modules / "mathjax"
    plotly = node_modules / PLOTLY_PACKAGE
    for d in (mathjax, plotly):
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

    lic = tmp / "licenses"
    for name, d in (("mathjax", mathjax), ("plotly.js", plotly)):
        _license(d, lic, name)
    lic.mkdir(exist_ok=True)
    shutil.copyfile(hanzi / HANZI_LICENSE, lic / f"{HANZI_PACKAGE}-{HANZI_LICENSE}")
    versions = [
        f"mathjax {_version(mathjax)}",
        f"{PLOTLY_PACKAGE} {_version(plotly)}",
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
