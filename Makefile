# mtj-rnn: build the book, run the tests, run the benchmark.
#
#   make book           venv + pinned JS assets + stale notebooks (papermill) + HTML (_build/html)
#   make test           venv + pytest (unit tests and every notebook at its quick parameters)
#   make check-browser  open every built page in headless Chromium (offline, no console errors)
#   make check-claims   fail when a claim stops reproducing (or a known non-reproduction changes)
#   make lab            JupyterLab (pinned) on the project's kernel, opened at book/: live widgets
#   make check-lab      start JupyterLab headless, move a widget slider in it (Chromium), stop it
#   make bench          the performance benchmark
#   make status         which notebooks are stale and why
#   make check-determinism  quick runs of the claim notebooks: 1 thread on 1 core vs 2 on 2, same claims
#   make ablation       Fig. 3's ablation page in full (10 seeds per rung) into _build/ablation/
#   make fig3-long      the Fig. 3 page with its other readings on all 10 claim seeds and a
#                       longer robustness test into _build/fig3-long/
#   make micromag       the macrospin against magnum.np micromagnetics (own venv, PyTorch on the
#                       CPU); records mtjbook/micromag/record.py, which the book shows
#   make clean          remove _build/ and book/executed/ (the venv stays)
#
# Nothing is redone when nothing changed: the venv, the assets, the notebooks and the HTML each
# have a stamp. Whether a notebook is stale is decided by mtjbook.builder.runner from a hash of the
# notebook, its parameters and the modules of mtjlib and mtjbook it imports, so touching a file is
# harmless. numba's on-disk cache lives in _build/numba/<hash of every .py under mtjlib/> (numba checks
# only a cached function's own file, so a kernel whose callee changed would otherwise run stale).
#
# mtjlib is installed into the venv (editable); mtjbook, the book's machinery, is not installed:
# the venv gets a .pth naming this directory, so `import mtjbook` works in any kernel of the venv
# (the runner also puts the root on its kernels' PYTHONPATH).

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := book
MAKEFLAGS += --no-builtin-rules

PYTHON3 ?= python3
VENV    := .venv
PY      := $(VENV)/bin/python
STAMPS  := _build/stamps
# Run a command holding the build lock (_build/.build.lock; mtjbook/builder/guard.py): a second build
# in this checkout stops at once; a command already under the lock runs directly.
LOCK    := $(PYTHON3) -m mtjbook.builder.guard lock _build --

VENV_STAMP   := $(VENV)/.installed
ASSETS_STAMP := $(STAMPS)/assets
RUN_STAMP    := $(STAMPS)/notebooks
HTML_STAMP   := $(STAMPS)/html

# Inputs of the notebooks: source notebooks, the manifest, both packages, pinned requirements.
SRC_NOTEBOOKS := $(shell find book -path book/executed -prune -o -name '*.ipynb' \
                   -not -path '*/.ipynb_checkpoints/*' -print 2>/dev/null)
LIB_SRC       := $(shell find mtjlib mtjbook -name '*.py' 2>/dev/null)
# numba's cache directory for this library source (evaluated when a recipe uses it)
NUMBA_ENV      = NUMBA_CACHE_DIR="$$($(PY) -m mtjbook.builder.runner --numba-cache-dir)"
# Inputs of the HTML: config, pages, executed notebooks, the claims table, static files.
BOOK_PAGES    := $(shell find book -path book/executed -prune -o -type f -not -name '*.ipynb' \
                   -not -name '.*' -not -path '*/.ipynb_checkpoints/*' -print 2>/dev/null)
EXECUTED      := $(shell find book/executed -name '*.ipynb' -not -name '.*' 2>/dev/null)
STATIC_SRC    := $(shell find tools/static -type f 2>/dev/null)

.PHONY: book _book venv assets notebooks html test check-browser check-claims lab check-lab bench \
        status ablation fig3-long micromag clean distclean check-determinism

# Two phases: the second make re-reads which executed notebooks exist and their mtimes, so the
# HTML is rebuilt only if a notebook was really re-executed (or a page/config changed).
book:
	@$(LOCK) $(MAKE) --no-print-directory _book

_book: $(VENV_STAMP) $(ASSETS_STAMP)
	@$(MAKE) --no-print-directory notebooks
	@$(MAKE) --no-print-directory html
	@echo
	@echo "The book is in _build/html/. Open file://$(CURDIR)/_build/html/index.html"
	@echo "or serve it: $(PY) -m http.server -d _build/html 8000 -b 127.0.0.1"

venv: $(VENV_STAMP)

$(VENV_STAMP): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON3) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt || { echo "pip \
	could not install requirements.txt (above: what it tried to fetch). Without a network: run \
	once where PyPI is reachable, or point PIP_FIND_LINKS at a folder of those wheels" >&2; exit 1; }
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(PY) -c 'import pathlib, sysconfig; pathlib.Path(sysconfig.get_paths()["purelib"], "mtj-rnn-root.pth").write_text("$(CURDIR)\n")'
	$(PY) -m ipykernel install --sys-prefix --name mtjlib --display-name "Python (mtjlib)"
	@touch $@

# Pinned browser assets from the npm registry (tools/package-lock.json), copied into
# _build/assets/, which Sphinx copies into _build/html/_static/.
assets: $(ASSETS_STAMP)

$(ASSETS_STAMP): tools/package.json tools/package-lock.json tools/stage_assets.py
	@mkdir -p _build/npm $(STAMPS)
	@# npm ci only when the lock file changed since the last complete install (none offline)
	@cmp -s tools/package-lock.json _build/npm/.installed-lock && test -d _build/npm/node_modules \
	  || { rm -f _build/npm/.installed-lock \
	       && cp tools/package.json tools/package-lock.json _build/npm/ \
	       && (cd _build/npm && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) \
	       && cp tools/package-lock.json _build/npm/.installed-lock; } \
	  || { echo "npm ci could not install tools/package-lock.json (mathjax, plotly.js, \
	hanzi-writer-data) from the npm registry. Without a network: run once where it is reachable, \
	or copy _build/npm/ from a checkout that built" >&2; exit 1; }
	$(PYTHON3) tools/stage_assets.py _build/npm/node_modules _build/assets
	@touch $@

notebooks: $(RUN_STAMP)

$(RUN_STAMP): $(VENV_STAMP) $(ASSETS_STAMP) book/notebooks.yml requirements.txt $(SRC_NOTEBOOKS) $(LIB_SRC)
	@mkdir -p $(STAMPS)
	$(PY) -m mtjbook.builder.runner
	@touch $@

html:
	@$(LOCK) $(MAKE) --no-print-directory $(HTML_STAMP)

$(HTML_STAMP): $(VENV_STAMP) $(ASSETS_STAMP) _config.yml _toc.yml $(BOOK_PAGES) \
               $(EXECUTED) _build/claims_table.md $(STATIC_SRC)
	@# A failed build forgets its doctrees: an incremental rebuild would not re-read the pages
	@# that warned, and would pass. So does an interrupted one (the marker outlives a SIGKILL).
	@test ! -e _build/.html-unfinished || rm -rf _build/.doctrees
	@mkdir -p $(STAMPS) && touch _build/.html-unfinished
	$(VENV)/bin/jupyter-book build . --builder html -W --keep-going \
	  || { rm -rf _build/.doctrees; rm -f $@; exit 1; }
	@rm -f _build/.html-unfinished
	@touch $@

# The runner always writes it; this rule only lets `make html` say what is missing.
_build/claims_table.md:
	@echo "_build/claims_table.md is missing: run 'make notebooks' (or 'make book')" >&2; exit 1

test: $(VENV_STAMP) $(ASSETS_STAMP)
	$(NUMBA_ENV) $(PY) -m pytest

check-browser: $(VENV_STAMP)
	@test -f _build/html/index.html || { echo "no built book: run 'make book' first" >&2; exit 1; }
	$(PY) tools/browser_check.py

check-claims: $(VENV_STAMP)
	$(PY) -m mtjbook.builder.runner --check-claims

# The runner's kernel environment (caches, character data), claims excluded: mtjbook/builder/lab.py
lab: $(VENV_STAMP) $(ASSETS_STAMP)
	$(PY) -m mtjbook.builder.lab

check-lab: $(VENV_STAMP)
	$(PY) -m mtjbook.builder.lab --check

bench: $(VENV_STAMP)
	$(NUMBA_ENV) $(PY) -m mtjbook.bench

status: $(VENV_STAMP)
	$(PY) -m mtjbook.builder.runner --status

# The claims of this commit do not depend on threads or processes: the notebooks that record
# claims, at their quick parameters, once with NUMBA_NUM_THREADS=1 on one core (sweeps in the
# kernel's process) and once with 2 threads on 2 cores (2 worker processes); claims compared field
# by field (runs in _build/determinism/; DETERMINISM_NOTEBOOKS to choose, default all that record).
DETERMINISM_NOTEBOOKS ?=
check-determinism: $(VENV_STAMP) $(ASSETS_STAMP)
	$(PY) -m mtjbook.builder.guard determinism $(DETERMINISM_NOTEBOOKS)

# Fig. 3's ablation page in full (the book runs it with 2 seeds per rung, a 2 x 2 map on 1 seed):
# the executed notebook lands in _build/ablation/ (the book's copy and claims are left alone).
ABLATION_PARAMS ?= -p n_seeds=10 -p n_map_seeds=4 -p "map_x_values=[5, 10, 20, 33]" \
                   -p "map_y_values=[1.0, 2.0, 3.0, 5.0]"
ablation: $(VENV_STAMP) $(ASSETS_STAMP)
	$(PY) -m mtjbook.builder.runner --out _build/ablation $(ABLATION_PARAMS) book/fig3_ablation.ipynb

# Fig. 3's page in full (the book runs the readings 'inside' and 'readout-whole' on the first of
# the 10 claim seeds, the robustness test on 3 trials at 4 noise levels and the gallery at 400
# MTJs, its time budget): the other readings on all 10 claim seeds, robustness on 20 trials at 7
# levels, the gallery at 800 MTJs; the executed notebook lands in _build/fig3-long/ (the book's
# copy and claims are left alone).
FIG3_LONG_PARAMS ?= -p n_reading_seeds=10 -p n_robust_trials=20 -p gallery_n_mtj=null \
                    -p "noise_levels=[0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3]"
fig3-long: $(VENV_STAMP) $(ASSETS_STAMP)
	$(PY) -m mtjbook.builder.runner --out _build/fig3-long $(FIG3_LONG_PARAMS) book/fig3_innate.ipynb

# The micromagnetic check (issue 31): its own venv from tools/micromag/requirements.txt (PyTorch
# on the CPU, magnum.np, mtjlib for the macrospin side); the book's papermill runs the notebook on
# that venv's kernel and streams its progress. It records mtjbook/micromag/record.py (commit it);
# `make book` only reads the record. Parameters: make micromag MICROMAG_PARAMS='-p workers 1'
MM_VENV  := .venv-micromag
MM_STAMP := $(MM_VENV)/.installed
MICROMAG_PARAMS ?=

$(MM_STAMP): tools/micromag/requirements.txt pyproject.toml
	@test -x $(MM_VENV)/bin/python || $(PYTHON3) -m venv $(MM_VENV)
	$(MM_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r tools/micromag/requirements.txt
	$(MM_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(MM_VENV)/bin/python -m ipykernel install --sys-prefix --name mtj-micromag \
	  --display-name "Python (mtj micromag)"
	@touch $@

micromag: $(VENV_STAMP) $(MM_STAMP)
	@mkdir -p _build/micromag
	JUPYTER_PATH=$(CURDIR)/$(MM_VENV)/share/jupyter PYTHONPATH=$(CURDIR) \
	  NUMBA_CACHE_DIR=$(CURDIR)/_build/micromag/numba \
	  $(VENV)/bin/papermill --log-output --cwd $(CURDIR) -k mtj-micromag \
	  tools/micromag/micromag.ipynb _build/micromag/micromag.ipynb $(MICROMAG_PARAMS)

clean:  # not under a running build (its lock file would go with _build/)
	$(LOCK) rm -rf _build book/executed

distclean: clean
	rm -rf $(VENV) $(MM_VENV)
