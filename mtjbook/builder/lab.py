"""JupyterLab on the project's kernel, with the notebooks' ipywidgets live (``make lab``).

``python -m mtjbook.builder.lab`` starts the pinned JupyterLab of the venv on this repository, opened
at ``book/`` (as root, e.g. in a container, with ``--allow-root``; with no update check, news
feed or extension manager, so it fetches nothing), with the kernels' environment of the book's
runner (the repository on the import path, the response-curve and numba caches, the character data
of ``make assets``), so a notebook opened there runs as ``make book`` runs it, and its sliders call
the kernel. Only the claims are left out: a run in JupyterLab records no claim in the book's table.
New notebooks get the ``mtjlib`` kernel (``make venv`` registers it).

``python -m mtjbook.builder.lab --check`` is the headless check (``make check-lab``, and
``tests/mtjbook/builder/test_lab.py``): it asks ``jupyter labextension list`` for the widget manager
(``@jupyter-widgets/jupyterlab-manager``) and plotly's renderer (``jupyterlab-plotly``), starts
the server on a free port of 127.0.0.1 without opening a browser, checks that it answers with
the ``mtjlib`` kernel as its default and serves the Lab page; then, unless ``--no-browser-check``,
headless Chromium (Debian's, driven by playwright, as ``tools/browser_check.py``) opens a small
notebook in JupyterLab (``_build/lab_check/widgets.ipynb``), runs its cell, and moves its
ipywidgets slider: the kernel's callback must redraw the widget's output, with no request
leaving 127.0.0.1. The server is stopped in any case; no step waits more than ``--timeout``
seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from mtjbook.builder.manifest import KERNEL_NAME, Layout
from mtjbook.claims.record import CLAIMS_DIR_ENV

#: JupyterLab extensions the notebooks need, as ``jupyter labextension list`` names them.
EXTENSIONS = ("@jupyter-widgets/jupyterlab-manager", "jupyterlab-plotly")
#: Debian's Chromium (the browser check's).
CHROMIUM = "/usr/bin/chromium"
#: The notebook of the live-widget check: a slider whose callback prints into an Output widget.
WIDGET_CELL = """import ipywidgets as w
s = w.IntSlider(value=3, min=0, max=10, description="n")
o = w.Output()
def show(_):
    with o:
        o.clear_output()
        print(f"value {s.value} squared {s.value ** 2}")
s.observe(show, names="value")
show(None)
w.VBox([s, o])"""


def lab_env(layout: Layout) -> dict[str, str]:
    """This process's environment plus the runner's kernel variables, claims excluded."""
    env = {**os.environ, **layout.kernel_env()}
    env.pop(CLAIMS_DIR_ENV, None)
    return env


def lab_command(layout: Layout, *extra: str) -> list[str]:
    """The ``jupyter lab`` command line: this repository as the root, opened at ``book/``,
    ``mtjlib`` as the default kernel."""
    # nothing fetched at run time: no update check, no news feed, no extension installs
    offline = ["--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
               "--LabApp.news_url=None", "--LabApp.extension_manager=readonly"]
    root = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    return [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={layout.root}",
            "--ServerApp.default_url=/lab/tree/book",
            f"--MappingKernelManager.default_kernel_name={KERNEL_NAME}", *offline, *root,
            *extra]


def extensions_status() -> dict[str, bool]:
    """Whether each extension of :data:`EXTENSIONS` is installed, enabled and OK."""
    out = subprocess.run([sys.executable, "-m", "jupyter", "labextension", "list"],
                         capture_output=True, text=True, timeout=120, check=False)
    text = re.sub(r"\x1b\[[0-9;]*m", "", out.stdout + out.stderr)
    return {name: bool(re.search(rf"^\s*{re.escape(name)} v\S+ enabled\s+OK", text,
                                 re.MULTILINE))
            for name in EXTENSIONS}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, token: str, timeout: float = 5.0) -> tuple[int, bytes]:
    req = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.status, r.read()


def _probe(proc, log, base: str, token: str, timeout: float) -> list[str]:
    """Wait for the server of ``proc`` to answer, then check its kernels, Lab page and files."""
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            log.seek(0)
            return [f"jupyter lab exited with status {proc.returncode}: {log.read()[-2000:]}"]
        try:
            _get(f"{base}/api/status", token, timeout=2.0)
            break
        except OSError:
            if time.monotonic() > deadline:
                return [f"jupyter lab did not answer within {timeout:g} s"]
            time.sleep(0.5)
    problems = []
    specs = json.loads(_get(f"{base}/api/kernelspecs", token)[1])
    if specs.get("default") != KERNEL_NAME or KERNEL_NAME not in specs.get("kernelspecs", {}):
        problems.append(f"the default kernel is {specs.get('default')!r}, not "
                        f"{KERNEL_NAME!r} (kernels: {sorted(specs.get('kernelspecs', {}))})")
    status, page = _get(f"{base}/lab/tree/book", token)
    if status != 200 or b"jupyter-config-data" not in page:
        problems.append(f"/lab/tree/book answered {status} without JupyterLab's page")
    listing = json.loads(_get(f"{base}/api/contents/book", token)[1])
    if not any(c["name"].endswith(".ipynb") for c in listing.get("content", [])):
        problems.append("the server's book/ folder lists no notebook")
    return problems


def _widget_notebook(layout: Layout) -> str:
    """Write the live-widget notebook under ``_build/`` and return its server path."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": "Python (mtjlib)",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(WIDGET_CELL)]
    path = layout.build_dir / "lab_check" / "widgets.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path.relative_to(layout.root).as_posix()


def live_widget_check(layout: Layout, base: str, token: str, chromium: str = CHROMIUM,
                      timeout: float = 90.0) -> list[str]:
    """In headless Chromium, run the widget notebook in JupyterLab and move its slider: the
    kernel must redraw the output. Problems found (empty: all good)."""
    from urllib.parse import urlparse

    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    nb_path = _widget_notebook(layout)
    ms = timeout * 1000
    problems: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True,
                                     args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})

        def route(r):
            if urlparse(r.request.url).hostname == "127.0.0.1":
                r.continue_()
            else:
                problems.append(f"request outside the machine: {r.request.url}")
                r.abort("blockedbyclient")

        page.route("**/*", route)
        step = "open the notebook"
        try:
            page.goto(f"{base}/lab/tree/{nb_path}?token={token}", timeout=ms)
            page.wait_for_selector(".jp-Notebook .jp-Cell .jp-InputArea-editor", timeout=ms)
            page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                                   timeout=ms)
            step = "draw the slider's output"
            _until(page, lambda: _run_first_cell(page),
                   "() => document.body.innerText.includes('value 3 squared 9')", ms, 10.0)
            step = "redraw the output when the slider moved"
            _until(page, lambda: _click_track(page, ms),
                   "() => /value ([0-24-9]|10) squared/.test(document.body.innerText)", ms, 5.0)
        except PlaywrightTimeout as exc:
            problems.append(f"the ipywidgets check in JupyterLab did not {step}: "
                            f"{str(exc).splitlines()[0]}")
        finally:
            browser.close()
    return problems


def _until(page, act, done_js: str, ms: float, every: float) -> None:
    """Do ``act()`` and wait for ``done_js``; repeat every ``every`` s until it holds or ``ms``
    pass (then Playwright's TimeoutError). A keystroke or click can be lost while JupyterLab is
    still settling (focus moving to the new cell, the output being laid out); repeating it is
    harmless here: the cell draws the same output again, the click sets the same value."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    deadline = time.monotonic() + ms / 1000
    while True:
        act()
        left = deadline - time.monotonic()
        try:
            page.wait_for_function(done_js, timeout=max(1.0, min(every, left)) * 1000)
            return
        except PlaywrightTimeout:
            if time.monotonic() >= deadline:
                raise


def _run_first_cell(page) -> None:
    page.click(".jp-Notebook .jp-Cell:first-child .jp-InputArea-editor")
    page.keyboard.press("Shift+Enter")


def _click_track(page, ms: float) -> None:
    """Click at 80 % of the slider's track, once its box holds still (two reads 100 ms apart)."""
    box = None
    for _ in range(20):
        new = page.wait_for_selector(".widget-slider .noUi-base", timeout=ms).bounding_box()
        if new == box:
            break
        box = new
        page.wait_for_timeout(100)
    page.mouse.click(box["x"] + 0.8 * box["width"], box["y"] + box["height"] / 2)


def check(layout: Layout, timeout: float = 90.0, chromium: str | None = CHROMIUM) -> list[str]:
    """Start the server headless, check it (and, with ``chromium``, a live widget in it), stop
    it; the problems found (empty: all good)."""
    problems = [f"JupyterLab extension {name} is not installed, enabled and OK "
                "(`jupyter labextension list`)" for name, ok in extensions_status().items()
                if not ok]
    port, token = _free_port(), secrets.token_hex(16)
    base = f"http://127.0.0.1:{port}"
    cmd = lab_command(layout, "--no-browser", "--ServerApp.ip=127.0.0.1",
                      f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
                      f"--IdentityProvider.token={token}")
    # the server's log goes to a file, not a pipe: a full pipe would block the server
    with tempfile.TemporaryFile(mode="w+") as log:
        proc = subprocess.Popen(cmd, env=lab_env(layout), cwd=layout.root,
                                stdout=subprocess.DEVNULL, stderr=log, text=True)
        try:
            problems += _probe(proc, log, base, token, timeout)
            if chromium and not problems:
                problems += live_widget_check(layout, base, token, chromium, timeout)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m mtjbook.builder.lab", description=__doc__.split("\n")[0])
    ap.add_argument("--root", type=Path, default=Path.cwd(), help="repository root (default: cwd)")
    ap.add_argument("--check", action="store_true",
                    help="start headless, check the server and its extensions, stop")
    ap.add_argument("--timeout", type=float, default=90.0, help="seconds (--check)")
    ap.add_argument("--no-browser-check", action="store_true",
                    help="--check without moving a widget in Chromium")
    args, extra = ap.parse_known_args(argv)
    layout = Layout(root=args.root.resolve())
    if args.check:
        problems = check(layout, args.timeout, None if args.no_browser_check else CHROMIUM)
        for p in problems:
            print(f"lab check: {p}", file=sys.stderr)
        if not problems:
            print(f"lab check passed: JupyterLab starts on the {KERNEL_NAME} kernel; "
                  f"extensions {', '.join(EXTENSIONS)} enabled"
                  + ("" if args.no_browser_check else "; an ipywidgets slider moved in Chromium "
                     "redrew its output through the kernel, no request left 127.0.0.1"))
        return 1 if problems else 0
    os.chdir(layout.root)
    os.execvpe(sys.executable, lab_command(layout, *extra), lab_env(layout))
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
