"""The book's notebooks: committed clean, consistent with the toc, and executable.

Every notebook of ``book/notebooks.yml`` is executed with papermill at its ``quick`` parameters
(the same code path as ``make book``, into a tmp dir); a failure shows the notebook's traceback.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from mtjbook.builder import kernels, runner
from mtjbook.builder.manifest import Layout, read_manifest
from mtjbook.claims.record import CLAIMS_DIR_ENV
from mtjbook.claims.report import same_notebook

ROOT = Path(__file__).resolve().parents[1]
#: The output types myst-nb shows in the HTML book (widget views are dropped by the runner).
BOOK_MIME_TYPES = {"application/javascript",
                   "text/html", "image/svg+xml", "image/png", "image/gif", "image/jpeg",
                   "text/markdown", "text/latex", "text/plain"}
LAYOUT = Layout(root=ROOT)
ENTRIES = read_manifest(ROOT / LAYOUT.manifest)


def _source_notebooks() -> list[Path]:
    book = ROOT / LAYOUT.book_dir
    return sorted(
        p
        for p in book.rglob("*.ipynb")
        if LAYOUT.executed_dir not in p.parents
        and not any(part.startswith(".") for part in p.relative_to(book).parts)
    )


def _parameters_cells(nb) -> list:
    return [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]


def _toc_files(node) -> list[str]:
    out = []
    if isinstance(node, dict):
        if "file" in node:
            out.append(node["file"])
        if "root" in node:
            out.append(node["root"])
        for v in node.values():
            out += _toc_files(v)
    elif isinstance(node, list):
        for v in node:
            out += _toc_files(v)
    return out


@pytest.mark.parametrize("path", _source_notebooks(), ids=lambda p: p.name)
def test_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    dirty = [
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and (c.get("outputs") or c.get("execution_count") is not None)
    ]
    assert not dirty, (
        f"{path.relative_to(ROOT)}: cells {dirty} have outputs or execution "
        "counts; clear them (e.g. jupyter nbconvert --clear-output --inplace)"
    )
    assert "widgets" not in nb.metadata, f"{path.name}: saved widget state in metadata"


@pytest.mark.parametrize("path", _source_notebooks(), ids=lambda p: p.name)
def test_listed_in_manifest(path):
    rel = path.relative_to(ROOT).as_posix()
    assert rel in {e.path for e in ENTRIES}, f"{rel} is not listed in {LAYOUT.manifest}"


def test_manifest_and_toc_agree():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = {Path(f).with_suffix("").as_posix() for f in _toc_files(toc)}
    for e in ENTRIES:
        assert (ROOT / e.path).is_file(), f"{e.path} is in {LAYOUT.manifest} but missing"
        page = LAYOUT.executed_path(e.path).relative_to(ROOT).with_suffix("").as_posix()
        assert page in files, f"_toc.yml does not list {page} (for {e.path})"
    executed = LAYOUT.executed_dir.relative_to(ROOT).as_posix() + "/"
    expected = {
        LAYOUT.executed_path(e.path).relative_to(ROOT).with_suffix("").as_posix() for e in ENTRIES
    }
    for f in files:
        if f.startswith(executed):
            assert f in expected, f"_toc.yml lists {f}, which no {LAYOUT.manifest} entry makes"


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.stem)
def test_parameters_cell(entry):
    nb = nbformat.read(ROOT / entry.path, as_version=4)
    cells = _parameters_cells(nb)
    assert len(cells) <= 1, f"{entry.path}: more than one cell tagged 'parameters'"
    names = set()
    if cells:
        import ast

        for node in ast.parse(cells[0].source).body:
            if isinstance(node, ast.Assign):
                names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names.add(node.target.id)
    for kind, params in (("quick", entry.quick), ("params", entry.params)):
        unknown = set(params) - names
        assert not unknown, (
            f"{entry.path}: {kind} parameters {sorted(unknown)} are not "
            f"assigned in its 'parameters' cell ({sorted(names)})"
        )
    # papermill reads the cell line by line and gives up on a line with two '=' (one in the
    # comment): `papermill -p name ...` then warns "Unable to parse line" and "Passed unknown
    # parameter: name" for a parameter that exists (issue 24)
    import papermill

    seen = {p["name"] for p in papermill.inspect_notebook(str(ROOT / entry.path)).values()}
    assert seen == names, (f"{entry.path}: papermill cannot read the parameters "
                           f"{sorted(names - seen)}: avoid '=' in their comments")


@pytest.mark.slow
@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.stem)
def test_notebook_executes_with_quick_parameters(entry, tmp_path):
    env = LAYOUT.kernel_env()
    env[CLAIMS_DIR_ENV] = str(tmp_path / "claims")
    # the response-curve cache of the tests (conftest.py), not the book's; numba's compiled
    # kernels go to the book's cache keyed by the library's source (LAYOUT.kernel_env)
    env["MTJLIB_CACHE_DIR"] = os.environ.get("MTJLIB_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / Path(entry.path).name
    src = ROOT / entry.path
    try:
        kernels.papermill_execute(src, out, dict(entry.quick), src.parent, env)
    except Exception as exc:  # noqa: BLE001 - report the notebook's own traceback
        pytest.fail(
            f"{entry.path} failed with quick parameters {entry.quick}; executed copy "
            f"left at {out}\n\n{kernels.error_summary(exc)}",
            pytrace=False,
        )
    nb = nbformat.read(out, as_version=4)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors
    # what the book gets: the runner drops the ipywidgets (live in `make lab` only)
    runner.drop_widgets_of(nb)
    assert runner.WIDGET_VIEW_MIME not in json.dumps(nb.cells), f"{entry.path}: a widget view"
    # a shown cell that ends in a bare expression prints its repr on the page (a dict from
    # glue_many, a bool, ...): end it with an assignment. Rich results (figures, widgets,
    # Markdown, HTML) are what a cell is for.
    stray = [
        f"cell {i}: {''.join(o['data']['text/plain'])[:60]!r}"
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code"
        and not {"remove-cell", "remove-output"} & set(c.metadata.get("tags", []))
        for o in c.get("outputs", [])
        if o.output_type == "execute_result" and set(o.get("data", {})) == {"text/plain"}
    ]
    assert not stray, f"{entry.path}: a cell prints a bare repr on the page: {stray}"
    # every output has a mime type the book shows (_config.yml silences myst-nb's warning for
    # the others, e.g. Plotly's, which JupyterLab shows)
    unshown = [f"cell {i}: {sorted(o.get('data', {}))}" for i, c in enumerate(nb.cells)
               for o in c.get("outputs", []) if o.output_type in ("display_data", "execute_result")
               and "scrapbook" not in o.get("metadata", {})  # glued values, pasted elsewhere
               and not set(o.get("data", {})) & BOOK_MIME_TYPES]
    assert not unshown, f"{entry.path}: outputs the book cannot show: {unshown}"
    # numpy 2 scalars glue as 'np.float64(1.5)', which {glue:text}`key:.2f` cannot format
    # (a Sphinx warning, so `make book` fails): glue Python numbers (float(x), int(n)).
    bad_glue = [
        sb["name"]
        for c in nb.cells
        for o in c.get("outputs", [])
        if (sb := o.get("metadata", {}).get("scrapbook"))
        and re.match(
            r"np\.\w+\(", str(o.get("data", {}).get(sb.get("mime_prefix", "") + "text/plain", ""))
        )
    ]
    assert not bad_glue, f"{entry.path}: glue Python numbers, not numpy scalars: {bad_glue}"
    for f in sorted((tmp_path / "claims").glob("*.json")):
        claim = json.loads(f.read_text(encoding="utf-8"))
        assert set(claim) == {"paper", "value", "holds", "notebook"}, f.name
        assert same_notebook(claim["notebook"], entry.path), (
            f"{f.name}: record_claim(notebook=...) must be {entry.path!r}, "
            f"got {claim['notebook']!r}"
        )


def test_kernel_runs_this_interpreter():
    from jupyter_client.kernelspec import KernelSpecManager

    name = kernels.ensure_kernel()
    argv0 = KernelSpecManager().get_kernel_spec(name).argv[0]
    assert Path(argv0).absolute() == Path(sys.executable).absolute()


# ----------------------------------------------------------------------------------------------
# Bad parameters of the kind issue 13 lists stop in the cell after `parameters`, naming the
# parameter; a run that is not the paper's configuration records no claim.

BAD_RUNS = [
    ("book/fig2_force.ipynb", {"n_seeds": 0}, "n_seeds"),
    ("book/fig2_force.ipynb", {"amp2": 0.0}, "amp2"),
    ("book/fig1_neuron.ipynb", {"j_fig": 0.0}, "j_fig"),
    ("book/fig4_recognition.ipynb", {"noise": "high"}, "noise"),
    ("book/fig4_recognition.ipynb", {"n_mtj_list": "[10, 40]"}, "-y"),  # a list given with -p
    ("book/s3_synapses.ipynb", {"n_seeds": 0}, "n_seeds"),
    ("book/fig3_innate.ipynb", {"character": "A"}, "character"),
]


def _kernel_env(tmp_path):
    env = LAYOUT.kernel_env()
    env[CLAIMS_DIR_ENV] = str(tmp_path / "claims")
    env["MTJLIB_CACHE_DIR"] = os.environ.get("MTJLIB_CACHE_DIR", str(tmp_path / "cache"))
    return env


@pytest.mark.slow
@pytest.mark.parametrize(("path", "params", "named"), BAD_RUNS,
                         ids=[f"{Path(p).stem}-{next(iter(q))}" for p, q, _ in BAD_RUNS])
def test_bad_parameter_stops_in_the_validation_cell(path, params, named, tmp_path):
    import papermill

    src, out = ROOT / path, tmp_path / "out.ipynb"
    with pytest.raises(papermill.PapermillExecutionError) as info:
        kernels.papermill_execute(src, out, params, src.parent, _kernel_env(tmp_path))
    err = info.value
    assert err.ename in ("ValueError", "TypeError"), (err.ename, err.evalue)
    assert named in err.evalue, err.evalue
    nb = nbformat.read(out, as_version=4)
    injected = next(i for i, c in enumerate(nb.cells)
                    if "injected-parameters" in c.metadata.get("tags", []))
    failing = next(i for i, c in enumerate(nb.cells)
                   if any(o.get("output_type") == "error" for o in c.get("outputs", [])))
    first_code_after = next(i for i in range(injected + 1, len(nb.cells))
                            if nb.cells[i].cell_type == "code")
    assert failing == first_code_after, f"{path}: failed in cell {failing}, not the check cell"


@pytest.mark.slow
def test_a_run_off_the_paper_configuration_records_no_claim(tmp_path):
    entry = next(e for e in ENTRIES if e.stem == "fig1_neuron")
    src = ROOT / entry.path
    params = {**entry.quick, "j_fig": 0.8e10}
    kernels.papermill_execute(src, tmp_path / "out.ipynb", params, src.parent,
                             _kernel_env(tmp_path))
    assert not sorted((tmp_path / "claims").glob("F1c.json"))


# ----------------------------------------------------------------------------------------------
# Cross-links from the prose to the API reference resolve

ROLE = re.compile(r"\{(?:py:)?(func|class|mod|meth|data|attr)\}`(?:[^`<]*<)?([\w.]+)>?`")


def _prose() -> list[tuple[str, str]]:
    out = [(p.relative_to(ROOT).as_posix(), p.read_text(encoding="utf-8"))
           for p in sorted((ROOT / "book").glob("*.md"))]
    for p in _source_notebooks():
        nb = nbformat.read(p, as_version=4)
        out += [(p.relative_to(ROOT).as_posix(), c.source) for c in nb.cells
                if c.cell_type == "markdown"]
    return out


def test_py_roles_in_the_prose_name_documented_objects():
    import importlib

    seen = 0
    for where, text in _prose():
        for kind, target in ROLE.findall(text):
            seen += 1
            parts = target.split(".")
            assert parts[0] == "mtjlib", f"{where}: {target} is not in mtjlib"
            for k in range(len(parts), 0, -1):  # the longest importable prefix
                try:
                    obj = importlib.import_module(".".join(parts[:k]))
                    break
                except ImportError:
                    continue
            mod = obj.__name__
            for name in parts[k:]:
                assert not name.startswith("_"), f"{where}: {target} is private"
                assert hasattr(obj, name), f"{where}: {target} does not exist"
                obj = getattr(obj, name)
            assert obj.__doc__, f"{where}: {target} has no docstring (autodoc leaves it out)"
            page = ROOT / "book" / "api" / "modules" / f"{mod.split('.')[-1]}.md"
            assert page.is_file(), f"{where}: {target}: no API page for {mod}"
    assert seen >= 20, f"only {seen} cross-links from the prose to the API reference"


_MD_GLUE = re.compile(r"""glue\(\s*["'](\w+)["']\s*,\s*Markdown\(""")
_ROLE = re.compile(r"\{glue(?::(\w+))?\}`([^`]+)`")


@pytest.mark.parametrize("path", _source_notebooks(), ids=lambda p: p.name)
def test_glued_markdown_is_pasted_as_myst(path):
    """A glued Markdown object pasted with {glue:text} shows its Python repr, and inline
    {glue:md} parses CommonMark unless told ``key:myst``, which leaves $math$ as raw TeX: every
    paste of glued Markdown must be {glue:md}`key:myst` (the browser check looks at the result)."""
    nb = nbformat.read(path, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    md_keys = set(_MD_GLUE.findall(code))
    bad = []
    for c in nb.cells:
        if c.cell_type != "markdown":
            continue
        for kind, arg in _ROLE.findall(c.source):
            key, _, fmt = arg.partition(":")
            if kind == "md" and fmt != "myst":
                bad.append(f"{{glue:md}}`{arg}` (write `{key}:myst`)")
            elif kind != "md" and key in md_keys:
                bad.append(f"{{glue:{kind or ''}}}`{arg}` pastes a Markdown object")
    assert not bad, f"{path.name}: " + "; ".join(bad)
