"""The paper's free layer in a micromagnetic solver: magnum.np (finite differences on PyTorch, on
the CPU) integrates the LLG equation with Slonczewski's torque on a staircased disk, and returns
the trace of the mean m_x that :mod:`mtjbook.micromag.analysis` turns into Delta R, frequency and
decay.

Run by ``make micromag`` in its own environment (``tools/micromag/requirements.txt``): PyTorch
and magnum.np are imported inside the functions that need them, so this module imports without
them and the book never needs them.

The physics terms are magnum.np's own: ``DemagField``, ``ExchangeField``,
``UniaxialAnisotropyField`` and ``SpinTorqueSlonczewski`` (fixed polariser m_p = +x,
``epsilon = P Lambda^2 / ((Lambda^2 + 1) + (Lambda^2 - 1) m.m_p)``, the torque written as a
field inside the Landau-Lifshitz form, i.e. the paper's Eq. (1) with the torque in Gilbert
form, as the macrospin solves it). Time integration: torchdiffeq's Dormand-Prince 5(4) through
magnum.np's ``TorchDiffEq`` solver, with dense output at the sample times.
"""

from __future__ import annotations

import math
import numbers
import os
import time
from dataclasses import dataclass

import numpy as np

from mtjlib.physics.device import DeviceParams

#: The exchange stiffness of the check, J/m: neither the paper nor a macrospin has one; 1.5e-11
#: is within the range measured for CoFeB free layers (1e-11 to 3e-11 J/m).
EXCHANGE = 1.5e-11
#: magnum.np decorates its field terms with ``torch.compile``; on a CPU, compiling costs more
#: than these short runs gain, so the workers run the same operations eagerly.
WORKER_ENV = {"TORCHDYNAMO_DISABLE": "1", "CUDA_DEVICE": "-1"}


def _real(name: str, value, lo: float, hi: float, unit: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}={value!r} must be a real number ({unit})")
    if not (math.isfinite(value) and lo <= value <= hi):
        raise ValueError(f"{name}={value!r} is outside the allowed range [{lo:g}, {hi:g}] {unit}")
    return float(value)


@dataclass(frozen=True, kw_only=True)
class DiskRun:
    """One micromagnetic run of the free layer from m = z with the current switched on at t = 0."""

    cells: int
    """Cells across the diameter (the in-plane cell is diameter / cells; one cell through the
    thickness), in [4, 256]."""
    j: float
    """Current density, A/m^2, in [-1e12, 1e12]."""
    exchange: float = EXCHANGE
    """Exchange stiffness A, J/m, in [1e-13, 1e-9]."""
    t_end: float = 1.5e-9
    """Duration, s, in (0, 1e-7]."""
    dt: float = 0.5e-12
    """Sampling interval of the mean m_x, s, in [1e-15, 1e-11]."""
    rtol: float = 1e-6
    """Relative and absolute tolerance of the Dormand-Prince step control, in [1e-12, 1e-3]."""

    def __post_init__(self):
        if isinstance(self.cells, bool) or not isinstance(self.cells, numbers.Integral):
            raise TypeError(f"cells={self.cells!r} must be an int")
        if not 4 <= self.cells <= 256:
            raise ValueError(f"cells={self.cells!r} is outside the allowed range [4, 256]")
        _real("j", self.j, -1e12, 1e12, "A/m^2")
        _real("exchange", self.exchange, 1e-13, 1e-9, "J/m")
        _real("t_end", self.t_end, 1e-15, 1e-7, "s")
        _real("dt", self.dt, 1e-15, 1e-11, "s")
        _real("rtol", self.rtol, 1e-12, 1e-3, "")
        n = self.t_end / self.dt
        if abs(n - round(n)) > 1e-6 * n:
            raise ValueError(f"t_end={self.t_end!r} s must be a whole number of dt={self.dt!r} s")

    @property
    def n_samples(self) -> int:
        """Samples of the trace, t = 0 included."""
        return round(self.t_end / self.dt) + 1

    @property
    def label(self) -> str:
        """A short name: cells, current and exchange stiffness (and the tolerance if not 1e-6)."""
        tol = "" if self.rtol == 1e-6 else f" rtol={self.rtol:g}"
        return f"{self.cells} cells, j={self.j:.3g}, A={self.exchange:.3g}{tol}"

    def cost(self) -> float:
        """Relative cost: steps (the explicit step is set by the stiffest exchange mode, so their
        number grows as A cells^2) x the cost of one step (measured: flat up to about 32 cells,
        where PyTorch's overhead dominates, then growing with the number of cells)."""
        return self.t_end * max(self.exchange, 5e-12) * self.cells**2 * (1 + self.cells**2 / 4096)


def check_device(device: DeviceParams) -> None:
    """Raise ValueError unless the device is a disk without field-like torque (the check's
    scope: the paper's junction)."""
    if not isinstance(device, DeviceParams):
        raise TypeError(f"device={device!r} must be a DeviceParams")
    if device.diameter_x != device.diameter_y:
        raise ValueError(f"device: diameter_x={device.diameter_x!r} != diameter_y="
                         f"{device.diameter_y!r} m; the micromagnetic check models a disk")
    if device.beta != 0.0:
        raise ValueError(f"device: beta={device.beta!r}; the check compares the paper's "
                         "torque, beta = 0")


def simulate_disk(device: DeviceParams, run: DiskRun, threads: int = 1) -> np.ndarray:
    """Mean m_x over the free layer, sampled every ``run.dt`` from t = 0 to ``run.t_end``.

    Needs PyTorch and magnum.np (``make micromag``'s environment); runs on the CPU with
    ``threads`` PyTorch threads.
    """
    check_device(device)
    if not isinstance(run, DiskRun):
        raise TypeError(f"run={run!r} must be a DiskRun")
    for k, v in WORKER_ENV.items():
        os.environ.setdefault(k, v)
    import torch

    torch.set_num_threads(int(threads))
    import magnumnp as mnp

    mnp.set_log_level(30)  # warnings only: it logs every solver call at INFO
    n, d, t = run.cells, device.diameter_x, device.thickness
    mesh = mnp.Mesh((n, n, 1), (d / n, d / n, t))
    state = mnp.State(mesh)
    x, y, _ = mesh.SpatialCoordinate()
    disk = (x - d / 2) ** 2 + (y - d / 2) ** 2 < (d / 2) ** 2  # cell centres inside the disk

    def inside(v):
        f = state.Constant(0.0)
        f[disk] = v
        return f

    # outside the disk Ms = A = Ku = 0: no moment, no exchange across the edge
    state.material = {
        "Ms": inside(device.ms), "A": inside(run.exchange), "Ku": inside(device.ku),
        "Ku_axis": state.Constant([0.0, 0.0, 1.0]), "alpha": state.Constant(device.alpha),
        "P": state.Constant(device.polarization), "Lambda": state.Constant(device.slonczewski_lambda),
        "epsilon_prime": state.Constant(0.0), "mp": state.Constant([1.0, 0.0, 0.0]),
        "d": state.Constant(t), "J": state.Constant(run.j),
    }
    m = state.Constant([0.0, 0.0, 0.0])
    m[disk] = torch.tensor([0.0, 0.0, 1.0])
    state.m = m
    terms = [mnp.DemagField(), mnp.ExchangeField(), mnp.UniaxialAnisotropyField(),
             mnp.SpinTorqueSlonczewski()]
    llg = mnp.LLGSolver(terms, solver=mnp.TorchDiffEq, rtol=run.rtol, atol=run.rtol)
    out = np.empty(run.n_samples)
    out[0] = 0.0
    chunk, k = 100, 0  # samples per solve; |m| is renormalised between chunks
    while k < run.n_samples - 1:
        kk = min(chunk, run.n_samples - 1 - k)
        tt = torch.linspace(k * run.dt, (k + kk) * run.dt, kk + 1)
        res = llg.solve(state, tt)  # (kk + 1, n, n, 1, 3)
        out[k + 1:k + kk + 1] = res[1:][:, disk][:, :, 0].mean(dim=1).cpu().numpy()
        state.m = torch.nan_to_num(state.m / torch.linalg.norm(state.m, dim=-1, keepdim=True))
        k += kk
    return out


def _worker(args):
    i, device, run = args
    t0 = time.perf_counter()
    mx = simulate_disk(device, run, threads=1)
    return i, mx, time.perf_counter() - t0


def run_all(device: DeviceParams, runs: list[DiskRun], workers: int = 2, log=print) -> list:
    """Every run on ``workers`` processes (one PyTorch thread each), the costliest first.

    Prints a line per finished run (its wall time, the elapsed time and an estimate of what is
    left). Returns ``[(run, mean m_x trace, wall seconds)]`` in the order of ``runs``.
    """
    check_device(device)
    if isinstance(workers, bool) or not isinstance(workers, numbers.Integral) or not (
            1 <= workers <= 64):
        raise ValueError(f"workers={workers!r} is outside the allowed range [1, 64]")
    if not runs or not all(isinstance(r, DiskRun) for r in runs):
        raise TypeError("runs must be a non-empty list of DiskRun")
    order = sorted(range(len(runs)), key=lambda i: -runs[i].cost())
    total, done_cost, t0 = sum(r.cost() for r in runs), 0.0, time.perf_counter()
    log(f"{len(runs)} runs on {workers} worker(s)", flush=True)
    results = {}
    if workers == 1:
        it = map(_worker, [(i, device, runs[i]) for i in order])
        pool = None
    else:
        import multiprocessing as mp

        for k, v in WORKER_ENV.items():  # inherited by the spawned workers
            os.environ.setdefault(k, v)
        pool = mp.get_context("spawn").Pool(workers)
        it = pool.imap_unordered(_worker, [(i, device, runs[i]) for i in order])
    try:
        for i, mx, sec in it:
            run = runs[i]
            results[i] = (run, mx, sec)
            done_cost += run.cost()
            el = time.perf_counter() - t0
            left = el * (total - done_cost) / done_cost
            log(f"[{len(results)}/{len(runs)}] {run.label}: {sec:.0f} s; elapsed {el:.0f} s, "
                f"about {left:.0f} s left", flush=True)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    return [results[i] for i in range(len(runs))]


def _version(pkg: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(pkg)
    except PackageNotFoundError:
        return "not installed"


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    import platform

    return platform.processor() or "unknown"


def provenance(root: str = ".") -> dict:
    """Where and with what a record is computed: commit (and whether the tree had uncommitted
    changes), package versions, machine, date (UTC), load average."""
    import datetime
    import platform
    import subprocess

    def git(*args):
        try:
            return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True,
                                  timeout=30, check=True).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return "unknown"

    return {
        "commit": git("rev-parse", "HEAD"),
        "uncommitted_changes": bool(git("status", "--porcelain", "--untracked-files=no")),
        "date_utc": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "versions": {p: _version(p) for p in ("torch", "magnumnp", "torchdiffeq", "numpy",
                                             "scipy", "numba")},
        "python": platform.python_version(),
        "machine": f"{_cpu_model()}, {os.cpu_count()} logical CPUs, {platform.system()} "
                   f"{platform.machine()}",
        "load_average_1min": os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan"),
    }


def write_record(path, record: dict, traces: dict) -> None:
    """Write ``record`` and ``traces`` (label -> list of numbers) atomically as the Python data
    module that :func:`mtjbook.micromag.analysis.load_record` reads."""
    import pprint

    from mtjbook.claims.record import atomic_write_text

    lines = ['"""What ``make micromag`` recorded (tools/micromag/micromag.ipynb): the micromagnetic',
             "check of the macrospin, with its provenance. Generated; do not edit by hand.", '"""',
             "", "RECORD = " + pprint.pformat(record, width=99, sort_dicts=False), "",
             "#: Mean m_x of each run, by run label, sampled every RECORD['trace_dt'] s.",
             "TRACES = {"]
    lines += [f"    {label!r}: [{', '.join(f'{v:.9g}' for v in ys)}]," for label, ys in traces.items()]
    lines += ["}", ""]
    atomic_write_text(path, "\n".join(lines))
