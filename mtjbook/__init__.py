"""mtjbook: the machinery of the mtj-rnn book, a sibling of the library :mod:`mtjlib`.

The book's notebooks call this package and :mod:`mtjlib`; :mod:`mtjlib` never imports this one.
It is used from the repository root and is not installed by ``pip install .``, which installs
only the library. Four subpackages (five with the micromagnetic check), each named for its job;
``pyproject.toml``'s import-linter contracts keep builder and bench above pages and claims, and
pages and claims apart:

- :mod:`mtjbook.builder`  runner (execute the notebooks when stale, merge the claims), kernels,
  staleness, manifest, report (the build report), guard (the build's lock and folder checks),
  lab (JupyterLab on the book's kernel)
- :mod:`mtjbook.claims`   spec (what a claim is), table (the paper's claims, tolerances, rules,
  readings), record (record a computed value), report (the claims table, the CI check)
- :mod:`mtjbook.pages`    page (figure style, glue, parameter checks), interactive (the static
  book's Plotly figures), frames (their data), plotly_figure (the figure machinery, Sphinx hook)
- :mod:`mtjbook.bench`    llg (against cmtj), force (against reservoirpy), sweep, innate, machine,
  cmtj_map; ``python -m mtjbook.bench`` runs them
- :mod:`mtjbook.micromag` the micromagnetic check of the macrospin: run, analysis, record
"""
