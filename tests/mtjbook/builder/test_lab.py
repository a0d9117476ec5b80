"""`make lab` (mtjbook.builder.lab): JupyterLab starts headless on the project's kernel with the widget
manager and plotly's renderer registered, and its kernels get the book's environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtjbook.builder import lab
from mtjbook.builder.manifest import KERNEL_NAME, Layout
from mtjbook.claims.record import CLAIMS_DIR_ENV

ROOT = Path(__file__).resolve().parents[3]


def test_lab_environment_is_the_runners_without_claims(monkeypatch):
    monkeypatch.setenv(CLAIMS_DIR_ENV, "/somewhere")
    layout = Layout(root=ROOT)
    env = lab.lab_env(layout)
    assert CLAIMS_DIR_ENV not in env  # a reader's run records no claim in the book's table
    for k, v in layout.kernel_env().items():
        if k != CLAIMS_DIR_ENV:
            assert env[k] == v
    cmd = lab.lab_command(layout, "--no-browser")
    assert f"--MappingKernelManager.default_kernel_name={KERNEL_NAME}" in cmd
    assert "--LabApp.news_url=None" in cmd and cmd[-1] == "--no-browser"


def test_widget_and_plotly_extensions_are_registered():
    assert lab.extensions_status() == dict.fromkeys(lab.EXTENSIONS, True)


@pytest.mark.slow
def test_lab_starts_headless_and_a_widget_slider_is_live():
    # the server, its default kernel, and in Chromium a slider whose kernel callback redraws
    assert lab.check(Layout(root=ROOT), timeout=120.0) == []
