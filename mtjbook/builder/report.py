"""The build report ("How this book was built"): the machine, the package versions, and for each
executed notebook its date, time, input hash, parameters and the command that reruns it, rendered
as MyST for ``book/build_report.md`` to include."""

from __future__ import annotations

import ast
import contextlib
import json
import os
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from mtjbook.builder.manifest import KERNEL_NAME, Layout, NotebookEntry
from mtjbook.builder.staleness import cell_to_python, read_record
from mtjbook.claims.record import write_if_changed
from mtjbook.pages.plotly_figure import METADATA_KEY, PLOTLY_JS

# ----------------------------------------------------------------------------------------------
# The build report ("How this book was built")

#: Distributions whose versions the build report lists, in this order.
REPORT_PACKAGES = (
    "numpy", "numba", "llvmlite", "scipy", "matplotlib", "ipywidgets", "papermill",
    "jupyter-book", "sphinx", "myst-nb", "sphinx-book-theme", "cmtj", "reservoirpy",
)


def machine_info() -> dict[str, str]:
    """This machine: CPU model (from ``/proc/cpuinfo`` where there is one), cores, system."""
    import platform

    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.lower().startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "cpu": cpu or platform.processor() or platform.machine() or "unknown",
        "cores": str(os.cpu_count() or "unknown"),
        "system": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
    }


def package_versions(names: Iterable[str] = REPORT_PACKAGES) -> dict[str, str]:
    """Installed version of each distribution in ``names`` ("not installed" if missing)."""
    from importlib import metadata

    out = {}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def _assignments(source: str) -> dict[str, str]:
    """``name -> value source`` of the top-level ``name = value`` statements of a cell."""
    try:
        tree = ast.parse(cell_to_python(source))
    except SyntaxError:
        return {}
    code = cell_to_python(source)
    out = {}
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else (
            [node.target] if isinstance(node, ast.AnnAssign) and node.value is not None else [])
        for t in targets:
            if isinstance(t, ast.Name):
                out[t.id] = " ".join((ast.get_source_segment(code, node.value) or "").split())
    return out


def executed_parameters(executed: Path) -> dict[str, str]:
    """The parameters an executed notebook ran with: its ``parameters`` cell's values, replaced by
    those papermill injected (``injected-parameters``), as source text."""
    nb = json.loads(Path(executed).read_text(encoding="utf-8"))
    params: dict[str, str] = {}
    for tag in ("parameters", "injected-parameters"):
        for cell in nb.get("cells", []):
            if cell.get("cell_type") == "code" and tag in cell.get("metadata", {}).get("tags", []):
                src = cell.get("source", "")
                params.update(_assignments("".join(src) if isinstance(src, list) else src))
    return params


# ----------------------------------------------------------------------------------------------
# Interactive figures and the weight of their pages

#: Mime types a book page shows, in myst-nb's order (the first one an output has is shown).
_SHOWN = ("text/html", "image/svg+xml", "image/png", "image/jpeg", "text/markdown", "text/plain")


def interactive_figures(executed: Path) -> list[dict]:
    """The interactive figures of an executed notebook: name, frames, controls and HTML bytes,
    from the output metadata :class:`mtjbook.pages.plotly_figure.InteractiveFigure` writes."""
    nb = json.loads(Path(executed).read_text(encoding="utf-8"))
    return [o["metadata"]["text/html"][METADATA_KEY]
            for c in nb.get("cells", []) for o in c.get("outputs", [])
            if METADATA_KEY in o.get("metadata", {}).get("text/html", {})]


def page_content_bytes(executed: Path) -> int:
    """Bytes a notebook's page embeds from the run: each shown output in the form the book shows
    it (HTML, image file, text; not glued values, not removed cells) and the widget state."""
    import base64

    nb = json.loads(Path(executed).read_text(encoding="utf-8"))
    total = len(json.dumps(nb.get("metadata", {}).get("widgets", {})).encode()) if nb.get(
        "metadata", {}).get("widgets") else 0
    for c in nb.get("cells", []):
        if {"remove-output", "remove-cell"} & set(c.get("metadata", {}).get("tags", [])):
            continue
        for o in c.get("outputs", []):
            if "scrapbook" in o.get("metadata", {}):
                continue
            data = o.get("data", {"text/plain": o.get("text", "")})
            mime = next((m for m in _SHOWN if m in data), None)
            if mime is None:
                continue
            v = data[mime]
            v = "".join(v) if isinstance(v, list) else str(v)
            total += (len(base64.b64decode(v)) if mime in ("image/png", "image/jpeg")
                      else len(v.encode()))
    return total


def _interactive_section(layout: Layout, entries: list[NotebookEntry]) -> list[str]:
    """The build report's table of the pages with interactive figures and their weight."""
    js = layout.build_dir / "assets" / PLOTLY_JS
    js_bytes = js.stat().st_size if js.is_file() else 0
    rows = []
    for e in entries:
        out = layout.executed_path(e.path)
        figs = interactive_figures(out) if out.is_file() else []
        if not figs:
            continue
        doc = out.relative_to(layout.root).with_suffix("").as_posix()
        what = "; ".join(f"{', '.join(f['controls']) or 'slider'} ({f['frames']} frames)"
                         for f in figs)
        own = page_content_bytes(out)
        rows.append(f"| {{doc}}`{Path(doc).name} </{doc}>` | {len(figs)}: {_md_cell(what)} "
                    f"| {sum(f['html_bytes'] for f in figs) / 1e6:.2f} | {own / 1e6:.2f} "
                    f"| {(own + js_bytes) / 1e6:.2f} |")
    if not rows:
        return []
    return [
        "## Interactive figures and page weight",
        "",
        ("The pages below hold figures whose sliders work in the static book (Plotly frames "
         "computed by the notebook run; `mtjbook.pages.interactive`). *Figure data* is the HTML of "
         "those figures; *page content* everything the page embeds from its run (figures, "
         f"images, widget state); the last column adds plotly.js ({js_bytes / 1e6:.2f} MB, "
         "loaded only by these pages). The theme and MathJax come on top. "
         "The browser check (`make check-browser`) weighs every page as served, its HTML and "
         "every file it loads (images, scripts, styles, fonts), prints that weight and fails a "
         "page over 10 MB."),
        "",
        ("| page | interactive figures: slider (frames) | figure data (MB) | page content (MB) "
         "| with plotly.js (MB) |"),
        "|---|---|---|---|---|",
        *rows,
        "",
    ]


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|")


def _papermill_command(entry: NotebookEntry) -> str:
    args = "".join(f" -p {k} {json.dumps(v) if not isinstance(v, str) else v}"
                   for k, v in entry.params.items())
    return f".venv/bin/papermill {entry.path} /tmp/{entry.stem}.ipynb -k {KERNEL_NAME}{args}"


def _notebook_rows(layout: Layout, e: NotebookEntry) -> tuple[str, list[str], dict | None]:
    """One notebook's table row, its dropdown (parameters, inputs, rerun command) and its record
    with the execution date as ``when`` (None if the notebook was never executed)."""
    out = layout.executed_path(e.path)
    rec = read_record(out) if out.is_file() else None
    doc = out.relative_to(layout.root).with_suffix("").as_posix()
    if rec is None:
        return f"| {_md_cell(e.path)} | not executed | – | – | – |", [], None
    when = rec.get("executed_at") or datetime.fromtimestamp(
        out.stat().st_mtime, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    params = executed_parameters(out)
    seeds = ", ".join(f"`{k} = {v}`" for k, v in params.items() if "seed" in k) or "–"
    digest = str(rec.get("source_hash", ""))[:12]
    seconds = rec.get("seconds")
    took = f"{seconds:.1f} s" if isinstance(seconds, (int, float)) else "–"
    row = (f"| {{doc}}`{Path(doc).name} </{doc}>` ({{download}}`.ipynb </{doc}.ipynb>`) "
           f"| {when.replace('T', ' ').replace('Z', ' UTC')} | {took} | `{digest}` "
           f"| {_md_cell(seeds)} |")
    scale = ("the notebook's defaults (the paper's scale)" if not e.params
             else "manifest parameters " + ", ".join(f"`{k}`" for k in e.params))
    body = "\n".join(f"{k} = {v}" for k, v in params.items()) or "# no parameters cell"
    inputs = "\n".join(f"{h[:12]}  {f}" for f, h in sorted(rec.get("inputs", {}).items()))
    details = [
        f"````{{dropdown}} {e.path}: parameters and inputs",
        f"Executed with {scale}; rerun it alone with",
        "```text", _papermill_command(e), "```",
        "Parameters as executed:",
        "```python", body, "```",
        (f"Inputs (first 12 hex digits of their SHA-256; the input hash `{digest}` covers "
         "these, the parameters and `requirements.txt`):"),
        "```text", inputs or "(none recorded)", "```",
        "````", "",
    ]
    return row, details, {**rec, "when": when}


def render_build_report(
    layout: Layout,
    entries: list[NotebookEntry],
    machine: dict[str, str] | None = None,
    versions: dict[str, str] | None = None,
) -> str:
    """The MyST text of the build report, from the records of the executed notebooks.

    Its date is that of the newest notebook execution (the record's ``executed_at``, else the
    executed file's modification time), so the text changes only when a notebook is re-executed
    or the environment changes, never because the report was written again. (Most of this
    function is the page's own text, kept in one piece so that it reads as the page does.)
    """
    machine = machine_info() if machine is None else machine
    versions = package_versions() if versions is None else versions
    rows, details, dates, machines = [], [], [], set()
    for e in entries:
        row, detail, rec = _notebook_rows(layout, e)
        rows.append(row)
        details += detail
        if rec is not None:
            dates.append(rec["when"])
            if rec.get("machine"):
                machines.add(rec["machine"])
    newest = max(dates) if dates else None
    current = f"{machine['cpu']} ({machine['cores']} cores)"
    lines = [
        (f"The notebooks of this edition were last executed on "
         f"**{newest.replace('T', ' ').replace('Z', ' UTC')}**."
         if newest else "No notebook of this edition has been executed yet."),
        "",
        "## Machine and software",
        "",
        "| | this build |",
        "|---|---|",
        f"| CPU | {_md_cell(current)} |",
    ]
    other = sorted(machines - {current})
    if other:
        lines.append(f"| notebooks executed on | {_md_cell('; '.join(sorted(machines)))} |")
    lines += [
        f"| system | {_md_cell(machine['system'])} |",
        f"| Python | {_md_cell(machine['python'])} |",
    ]
    lines += [f"| {_md_cell(k)} | {_md_cell(v)} |" for k, v in versions.items()]
    lines += [
        "",
        "Every other package is pinned in `requirements.txt`.",
        "",
        "## Notebooks",
        "",
        ("Each notebook was executed by papermill (`python -m mtjbook.builder.runner`) when its *input "
        "hash* changed: a SHA-256 of the notebook, its parameters, every module of `mtjlib` and "
        "`mtjbook` it imports and `requirements.txt`. The seeds column lists the parameters "
        "whose name says they are seeds; every parameter is in the notebook's dropdown below."),
        "",
        "| notebook | executed | time | input hash | seeds |",
        "|---|---|---|---|---|",
        *rows,
        "",
        *details,
        *_interactive_section(layout, entries),
        "## Reproducing this book",
        "",
        "```text",
        "make book         # venv from requirements.txt, pinned JS assets, stale notebooks, HTML",
        "make check-claims # exit 1 when a verdict differs from the recorded one",
        "make test         # unit tests and every notebook at its quick parameters",
        "```",
        "",
        ("`make book` re-executes only the notebooks whose input hash changed; "
        "`python -m mtjbook.builder.runner --force` re-executes all of them, "
        "`python -m mtjbook.builder.runner --status` says which are stale and why."),
        "",
    ]
    return "\n".join(lines)


def write_build_report(layout: Layout, entries: list[NotebookEntry]) -> bool:
    """Write ``_build/build_report.md`` (:func:`render_build_report`) if its text changed."""
    return write_if_changed(layout.build_dir / "build_report.md",
                            render_build_report(layout, entries))

