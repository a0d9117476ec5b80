"""The kernel side of the book's runner: which kernel executes a notebook, how long a cell may
run, how the runner talks to its kernels, and papermill's execution of one notebook with the
kernels' environment.

The seam with :mod:`mtjbook.builder.runner`: the runner decides *which* notebooks run (staleness), where
their executed copies go and what is recorded in them; this module only *runs* one notebook,
``src`` into ``out``, with given parameters and environment variables. The environment itself
(the repository root on ``PYTHONPATH``, the claims directory, numba's cache keyed by the
library's source, the character data) is :meth:`mtjbook.builder.manifest.Layout.kernel_env`, shared with
``make lab`` (:mod:`mtjbook.builder.lab`).

Tests that shorten the cell timeout patch :data:`CELL_TIMEOUT_S` here, where
:func:`papermill_execute` reads it.
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

from mtjbook.builder.manifest import KERNEL_NAME

__all__ = [
    "CELL_TIMEOUT_S", "FULL_RUN_CELL_TIMEOUT_S", "KERNEL_NAME", "KERNEL_TRANSPORT", "POLL_SLICE_S",
    "ensure_kernel", "error_summary", "papermill_execute", "polling_classes",
]


def ensure_kernel(name: str = KERNEL_NAME) -> str:
    """Make sure kernelspec ``name`` runs *this* interpreter; install it into sys.prefix if not.

    papermill started from the venv then executes notebooks with the venv's Python even when the
    user has other kernels called ``python3``.
    """
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    ksm = KernelSpecManager()
    try:
        spec = ksm.get_kernel_spec(name)
        argv0 = spec.argv[0] if spec.argv else ""
        if Path(argv0).absolute() == Path(sys.executable).absolute():
            return name
        if not Path(spec.resource_dir).is_relative_to(sys.prefix):
            raise RuntimeError(
                f"kernelspec {name!r} at {spec.resource_dir} runs {argv0}, not {sys.executable}; "
                f"remove it (jupyter kernelspec remove {name}) so the runner can install its own"
            )
    except NoSuchKernel:
        pass
    from ipykernel.kernelspec import install

    install(kernel_name=name, display_name=f"Python ({name})", prefix=sys.prefix)
    return name


#: No cell of a book notebook may run longer than this (s): a hung kernel fails the build with the
#: notebook's name instead of stalling CI (the slowest paper-scale cell takes well under a minute).
CELL_TIMEOUT_S = 900


#: The cell timeout (s) of a full run outside the book (:func:`execute_to`, ``make ablation``),
#: whose sweeps run many times the book's seeds in one cell.
FULL_RUN_CELL_TIMEOUT_S = 6 * 3600


#: Longest single wait (s) of the notebook client on one kernel channel. nbclient waits for a
#: cell's reply in one poll as long as the cell's timeout, and for its outputs without any; a
#: wake-up that the event loop misses (seen as a rare, unreproduced hang of cells that display
#: widgets, nbclient issue #312) then stalls until the timeout. Polling in slices of this length
#: finds a message that is already there within this time; it changes nothing else.
POLL_SLICE_S = 1.0


#: How the runner talks to its kernels: ZeroMQ over Unix domain sockets ("ipc") in the kernel's
#: runtime folder (mode 0700), not TCP on 127.0.0.1. A kernel on TCP without CurveZMQ keys logs
#: "Kernel is running over TCP without encryption" (ipykernel >= 7.2) to the build's stderr
#: once per notebook: a warning the reader cannot act on, about a channel that never leaves the
#: machine. IPC sockets are local by construction, need no port and no keys, and the kernel
#: logs nothing; where libzmq has no IPC transport (``zmq.has("ipc")`` false) the runner keeps
#: jupyter_client's TCP default.
KERNEL_TRANSPORT = "ipc"


def polling_classes():
    """A kernel manager whose clients wait on the shell and IOPub channels in slices of
    :data:`POLL_SLICE_S`, and whose kernels listen on :data:`KERNEL_TRANSPORT` (built on first
    use: jupyter_client is a book-only dependency)."""
    global _POLLING
    if _POLLING is None:
        from queue import Empty

        import zmq
        from jupyter_client.asynchronous.client import AsyncKernelClient
        from jupyter_client.channels import AsyncZMQSocketChannel
        from jupyter_client.manager import AsyncKernelManager
        from traitlets import default

        class SlicedChannel(AsyncZMQSocketChannel):
            async def get_msg(self, timeout=None):
                deadline = None if timeout is None else time.monotonic() + timeout
                while True:
                    left = POLL_SLICE_S if deadline is None else deadline - time.monotonic()
                    try:
                        return await super().get_msg(timeout=max(0.0, min(POLL_SLICE_S, left)))
                    except Empty:
                        if deadline is not None and time.monotonic() >= deadline:
                            raise

        class SlicedClient(AsyncKernelClient):
            shell_channel_class = SlicedChannel
            iopub_channel_class = SlicedChannel

        class SlicedKernelManager(AsyncKernelManager):
            @default("client_factory")
            def _client_factory_default(self):
                return SlicedClient

            @default("transport")
            def _transport_default(self):
                return KERNEL_TRANSPORT if zmq.has(KERNEL_TRANSPORT) else "tcp"

            # jupyter_client interrupts a kernel (SIGINT to its process group) before asking it
            # to shut down; when a run is over the kernel is idle, and a message it happens to
            # be handling then logs "[IPKernelApp] ERROR | KeyboardInterrupt caught in kernel."
            # into the build's log, an error that is none. The shutdown request alone ends an
            # idle kernel (one that does not exit is still killed); a cell that times out is
            # interrupted by nbclient itself, not here.
            async def shutdown_kernel(self, now=False, restart=False):
                self._quiet_shutdown = True
                try:
                    await AsyncKernelManager._async_shutdown_kernel(self, now=now,
                                                                    restart=restart)
                finally:
                    self._quiet_shutdown = False

            async def _async_interrupt_kernel(self):
                if not getattr(self, "_quiet_shutdown", False):
                    await super()._async_interrupt_kernel()

        _POLLING = SlicedKernelManager
    return _POLLING


_POLLING = None


def papermill_execute(
    src: Path, out: Path, params: dict, cwd: Path, env: dict[str, str], kernel: str | None = None,
    *, timeout: float | None = None,
) -> None:
    """Execute ``src`` into ``out`` with papermill; the kernel inherits ``env``; a cell running
    longer than ``timeout`` seconds (default :data:`CELL_TIMEOUT_S`) fails the run.

    Raises ``papermill.PapermillExecutionError`` when a cell fails (``out`` then holds the
    failed notebook).
    """
    import papermill as pm

    kernel = kernel or ensure_kernel()
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        pm.execute_notebook(
            str(src),
            str(out),
            parameters=params,
            kernel_name=kernel,
            cwd=str(cwd),
            progress_bar=False,
            log_output=False,
            execution_timeout=CELL_TIMEOUT_S if timeout is None else timeout,
            kernel_manager_class=polling_classes(),
        )
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def error_summary(exc: BaseException) -> str:
    """A papermill error as plain text (traceback without ANSI colours)."""
    text = str(exc)
    return re.sub(r"\x1b\[[0-9;]*m", "", text)
