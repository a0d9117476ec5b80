"""Benchmark of the LLG kernels: mtjlib against cmtj and against the machine's arithmetic limit.

``python -m mtjbook.bench [--quick] [--thermal-only] [--no-force]`` (``make bench``) prints, from
one run on this machine:

* single-junction RK4 steps/s of :func:`mtjlib.physics.llg.simulate_trace` and of cmtj 1.15's
  ``Junction.runSimulation`` (same device, j = 0.9e10 A/m^2, dt = 0.5 ps, same number of steps,
  compilation and warm-up excluded, best of a few repeats). cmtj is timed twice, logging once
  (pure stepping) and logging every step (a full trace, as ``simulate_trace`` returns); the
  ratio uses the faster of the two;
* batched junction-steps/s of :func:`mtjlib.physics.llg.simulate_batch`: 800 junctions over 1000 ns
  at dt = 0.5 ps, deterministic (RK4), on all threads and on one;
* the thermal row (:func:`run_thermal_benchmark`): our thermal Heun batch of 800 junctions at
  300 K (random numbers drawn inside the kernel by the counter generator) against cmtj's own
  stochastic solver, ``runSimulation(..., solverMode=SolverMode.Heun)`` with a constant
  temperature driver on the same device (:func:`mtjbook.bench.cmtj_map.cmtj_junction`), in M
  junction-steps/s and as a ratio, same run; cmtj integrates one junction per call, so its rate
  per junction-step is its single-junction rate (logging once). Beside them, what numpy's
  generator alone (the path the kernel replaced) would need for the same Gaussian numbers, as a
  fraction of our batch's time;
* the ratios against the targets (single >= 2x cmtj, batch >= 30x cmtj's single rate);
* the arithmetic limit: floating-point operations per RK4 step (counted by running the kernel's
  Python source with an operation-counting float) times the batch rate, against the peak of a
  simple mul+add kernel measured on the same machine, same run (:mod:`mtjbook.bench.machine`);
* the FORCE benchmark of :mod:`mtjbook.bench.force` (mtjlib against reservoirpy), unless
  ``--no-force``.

Timings depend on the machine and on what else runs on it: compare ratios of one run, not
numbers of different runs. :func:`run_llg_benchmarks` returns every number as a dict.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import sys

import numba
import numpy as np

from mtjbook.bench.cmtj_map import cmtj_junction
from mtjbook.bench.machine import best_time, flops_per_step, machine_info, measured_peak
from mtjlib.physics import llg
from mtjlib.physics.device import default_device

DT = 0.5e-12
J = 0.9e10
N_BATCH = 800
TARGET_SINGLE = 2.0
TARGET_BATCH = 30.0

#: Problem sizes: (single steps, cmtj steps, batch ns, 1-thread batch ns, Heun batch ns, repeats).
SIZES = {False: (1_000_000, 1_000_000, 1000.0, 100.0, 100.0, 3),
         True: (100_000, 100_000, 5.0, 2.0, 2.0, 2)}
#: Temperature of the thermal row, K.
T_THERMAL = 300.0
#: cmtj stochastic Heun steps per timed run (one junction): (full, quick).
CMTJ_HEUN_STEPS = {False: 400_000, True: 40_000}


# cmtj ----------------------------------------------------------------------------------------

def _cmtj_rate(device, n_steps: int, repeats: int, log_every_step: bool) -> float:
    total = (n_steps + 0.5) * DT  # cmtj runs int(total / dt) steps

    def run():
        junction = cmtj_junction(device, J)
        junction.runSimulation(total, DT, DT if log_every_step else total)

    run()  # warm-up
    t, _ = best_time(run, repeats)
    return n_steps / t


def _cmtj_heun_rate(device, temperature: float, n_steps: int, repeats: int) -> float:
    """cmtj's stochastic Heun (``SolverMode.Heun``, constant temperature driver), one junction,
    ``n_steps`` steps of :data:`DT` logging once: junction-steps/s (best of ``repeats``)."""
    from cmtj import SolverMode, constantDriver

    total = (n_steps + 0.5) * DT

    def run():
        junction = cmtj_junction(device, J)
        junction.setLayerTemperatureDriver("free", constantDriver(temperature))
        junction.runSimulation(total, DT, total, solverMode=SolverMode.Heun)

    run()  # warm-up
    t, _ = best_time(run, repeats)
    return n_steps / t


def cmtj_heun_is_stochastic(device=None, temperature: float = T_THERMAL,
                            n_steps: int = 2000) -> bool:
    """Whether cmtj's ``SolverMode.Heun`` run with a temperature driver is stochastic here: two
    runs of the same junction with different layer seeds end in different states, and the run
    at 0 K with the same solver ends elsewhere than both (so the benchmark times a thermal
    integration, not a deterministic one that ignores the driver)."""
    from cmtj import SolverMode, constantDriver

    device = default_device() if device is None else device
    total = (n_steps + 0.5) * DT
    ends = []
    for seed, temp in ((1, temperature), (2, temperature), (1, 0.0)):
        junction = cmtj_junction(device, J)
        if temp > 0:
            junction.setLayerTemperatureDriver("free", constantDriver(temp))
            junction.setLayerSeed("free", seed)
        junction.runSimulation(total, DT, total, solverMode=SolverMode.Heun)
        m = junction.getLayerMagnetisation("free")
        ends.append(np.array([m.x, m.y, m.z]))
    return bool(np.abs(ends[0] - ends[1]).max() > 1e-6 and np.abs(ends[0] - ends[2]).max() > 1e-6
                and np.abs(ends[1] - ends[2]).max() > 1e-6)


def run_thermal_benchmark(quick: bool = False, device=None) -> dict:
    """The thermal row: junction-steps/s of our thermal Heun batch (:data:`N_BATCH` junctions at
    :data:`T_THERMAL`, counter generator inside the kernel, all threads) and of cmtj's stochastic
    Heun on the same device (one junction, logging once), their ratio, and what numpy's
    Gaussian generator alone would take for the batch's 3 numbers per junction-step (one
    thread), as a fraction of the batch's time. cmtj missing: its entries are NaN."""
    _, _, _, _, heun_ns, repeats = SIZES[bool(quick)]
    dev = default_device() if device is None else device
    temp = T_THERMAL
    ct = llg.coefficients(dev, np.linspace(0.8e10, 1.0e10, N_BATCH), temp, DT)
    llg.simulate_batch(ct, (0, 0, 1), 10 * DT, DT, temperature=temp, window=4 * DT)
    nh = round(heun_ns * 1e-9 / DT)
    th, util = best_time(lambda: llg.simulate_batch(ct, (0, 0, 1), nh * DT, DT, temperature=temp,
                                                    seed=1, window=0.4e-9), 1)
    rng = np.random.default_rng(1)
    n_sample = max(1, nh // 10)
    tr, _ = best_time(lambda: rng.standard_normal((n_sample, 3, N_BATCH)), 2)
    rng_ratio = tr * nh / n_sample / th
    out = {"heun_ns": heun_ns, "heun_temperature": temp, "heun_seconds": th,
           "heun_mtjlib": N_BATCH * nh / th, "heun_cpu_utilisation": util,
           "heun_rng_ratio": rng_ratio, "heun_rng_fraction": min(1.0, rng_ratio)}
    if importlib.util.find_spec("cmtj") is not None:
        n_c = CMTJ_HEUN_STEPS[bool(quick)]
        out["heun_cmtj_steps"] = n_c
        out["heun_cmtj"] = _cmtj_heun_rate(dev, temp, n_c, repeats)
        out["heun_cmtj_stochastic"] = cmtj_heun_is_stochastic(dev, temp)
    else:
        out["heun_cmtj_steps"] = 0
        out["heun_cmtj"] = float("nan")
        out["heun_cmtj_stochastic"] = None
    out["heun_ratio"] = out["heun_mtjlib"] / out["heun_cmtj"]
    return out


def format_thermal(r: dict) -> str:
    """The thermal row (:func:`run_thermal_benchmark`) as plain text."""
    temp = r.get("heun_temperature", T_THERMAL)
    stoch = r.get("heun_cmtj_stochastic")
    check = {True: "stochastic: two seeds and 0 K end in three different states",
             False: "NOT stochastic here: its runs did not differ (rate not comparable)",
             None: "not installed"}[stoch]
    ratio = r["heun_ratio"]
    return "\n".join([
        f"thermal Heun at {temp:g} K, dt = {DT * 1e12:g} ps (M junction-steps/s, same run):",
        (f"  mtjlib batch, {r.get('n_batch', N_BATCH)} junctions x {r['heun_ns']:g} ns, "
         f"all threads: {_fmt_rate(r['heun_mtjlib'])}"),
        (f"  cmtj SolverMode.Heun + constant temperature driver, one junction, "
         f"{r['heun_cmtj_steps']:,} steps: {_fmt_rate(r['heun_cmtj'])} ({check})"),
        "  ratio mtjlib / cmtj: " + ("n/a" if not math.isfinite(ratio) else f"{ratio:.1f}x"),
        (f"  numpy's generator alone would take {r['heun_rng_ratio']:.2f} times the batch's "
         "whole time for its 3 Gaussian numbers per junction-step (one thread; the kernel draws "
         "them itself)"),
    ])


# The benchmark ------------------------------------------------------------------------------

def run_llg_benchmarks(quick: bool = False) -> dict:
    """Run every LLG measurement once; return the numbers (rates in steps/s unless stated)."""
    n_single, n_cmtj, batch_ns, batch1_ns, _, repeats = SIZES[bool(quick)]
    dev = default_device()
    res: dict = {"quick": bool(quick), "dt": DT, "j": J, "n_batch": N_BATCH,
                 "machine": machine_info()}

    # single junction, mtjlib
    llg.simulate_trace(dev, J, 100 * DT, DT)  # compile / load from cache
    t, _ = best_time(lambda: llg.simulate_trace(dev, J, n_single * DT, DT), repeats)
    res["single_steps"] = n_single
    res["single_mtjlib"] = n_single / t

    # single junction, cmtj
    if importlib.util.find_spec("cmtj") is not None:
        res["single_cmtj_steps"] = n_cmtj
        res["single_cmtj"] = _cmtj_rate(dev, n_cmtj, repeats, log_every_step=False)
        res["single_cmtj_logged"] = _cmtj_rate(dev, n_cmtj, repeats, log_every_step=True)
    else:
        res["single_cmtj"] = res["single_cmtj_logged"] = float("nan")
    cmtj_best = max(res["single_cmtj"], res["single_cmtj_logged"])

    # batch, deterministic RK4
    coeffs = llg.coefficients(dev, np.linspace(0.8e10, 1.0e10, N_BATCH))
    llg.simulate_batch(coeffs, (0, 0, 1), 10 * DT, DT, window=4 * DT)
    n_steps = round(batch_ns * 1e-9 / DT)
    t, util = best_time(lambda: llg.simulate_batch(coeffs, (0, 0, 1), n_steps * DT, DT,
                                                   window=0.4e-9), 1)
    res["batch_ns"], res["batch_seconds"] = batch_ns, t
    res["batch_mtjlib"] = N_BATCH * n_steps / t
    res["batch_cpu_utilisation"] = util  # process CPU time / wall time (ideal: thread count)
    threads = numba.get_num_threads()
    n1 = round(batch1_ns * 1e-9 / DT)
    try:
        numba.set_num_threads(1)
        t1, _ = best_time(lambda: llg.simulate_batch(coeffs, (0, 0, 1), n1 * DT, DT,
                                                     window=0.4e-9), 1)
    finally:
        numba.set_num_threads(threads)
    res["batch_mtjlib_1thread"] = N_BATCH * n1 / t1
    res["thread_speedup"] = res["batch_mtjlib"] / res["batch_mtjlib_1thread"]

    # the thermal row: our Heun batch against cmtj's stochastic Heun
    res.update(run_thermal_benchmark(quick, dev))

    # ratios
    res["single_ratio"] = res["single_mtjlib"] / cmtj_best
    res["batch_ratio"] = res["batch_mtjlib"] / cmtj_best
    res["single_target_met"] = bool(res["single_ratio"] >= TARGET_SINGLE)
    res["batch_target_met"] = bool(res["batch_ratio"] >= TARGET_BATCH)

    # arithmetic limit
    flops = flops_per_step()
    peak = measured_peak(quick)
    res["flops"], res["peak"] = flops, peak
    per_step = flops["rk4"] + flops["extrema"]
    res["batch_gflops"] = per_step * res["batch_mtjlib"] / 1e9
    res["batch_gflops_1thread"] = per_step * res["batch_mtjlib_1thread"] / 1e9
    res["peak_fraction"] = res["batch_gflops"] / peak["peak_gflops_all"]
    res["peak_fraction_1thread"] = res["batch_gflops_1thread"] / peak["peak_gflops_1thread"]
    res["single_cycles_per_step"] = peak["clock_ghz_est"] * 1e9 / res["single_mtjlib"]
    res["dominant"] = _dominant(res)
    return res


def _dominant(r: dict) -> list[str]:
    """Plain statements of what limits each measurement, derived from the numbers."""
    out = [
        (f"single junction: latency of the dependent RK4 chain, about "
         f"{r['single_cycles_per_step']:.0f} cycles per step (4 right-hand sides in sequence, "
         "each with a division, then a sqrt and a division); SIMD and threads cannot help one "
         "junction, many junctions side by side can"),
        (f"batch RK4: arithmetic, {r['batch_gflops_1thread']:.1f} GFLOP/s on one thread = "
         f"{100 * r['peak_fraction_1thread']:.0f} % of the measured mul+add peak; the gap is the "
         "7 divisions and the sqrt per step (a slower, unpipelined unit) and the 9 coefficient "
         "loads per junction-step"
         if r["peak_fraction_1thread"] <= 1.0 else
         f"batch RK4: arithmetic, {r['batch_gflops_1thread']:.1f} GFLOP/s on one thread, above "
         "the measured mul+add peak: the peak was mis-measured (a busy machine), so no fraction "
         "is given; run `python -m mtjbook.bench` again on a quiet machine"),
        (f"threads: {r['thread_speedup']:.2f}x from {r['machine']['numba_threads']} threads "
         f"(CPU time / wall time {r['batch_cpu_utilisation']:.2f})"
         + ("; the vCPUs do not deliver two cores' worth of arithmetic here"
            if r["thread_speedup"] < 1.5 else "")),
        (f"thermal Heun batch: the kernel draws its 3 Gaussian numbers per junction-step itself "
         f"(counter generator); numpy's generator alone would need "
         f"{r['heun_rng_ratio']:.2f} times the batch's whole time for them (one thread)"
         + (", so drawing them outside the kernel would dominate" if r["heun_rng_ratio"] >= 0.5
            else "")),
    ]
    return out


# Output -------------------------------------------------------------------------------------

def _fmt_rate(v: float) -> str:
    return "n/a" if not math.isfinite(v) else f"{v / 1e6:,.1f} M"


def format_table(r: dict) -> str:
    """The benchmark as a plain-text table."""
    m = r["machine"]
    lines = [
        (f"LLG benchmark{' (quick)' if r['quick'] else ''}: default device, j = {r['j']:.2g} A/m^2,"
        f" dt = {r['dt'] * 1e12:g} ps"),
        (f"machine: {m['cpu_model']}, {m['cpu_count']} CPUs, numba {m['numba']} "
        f"({m['numba_threads']} threads), numpy {m['numpy']}, cmtj {m['cmtj']}, "
        f"load {m['load_average_1min']:.2f}"),
        "",
        f"{'measurement':<50} {'rate (steps/s)':>16} {'vs cmtj':>9}",
        f"{'-' * 50} {'-' * 16} {'-' * 9}",
    ]
    cm = max(r["single_cmtj"], r["single_cmtj_logged"])

    def row(name, v, ratio=True):
        rel = f"{v / cm:>8.1f}x" if ratio and math.isfinite(cm) else ""
        lines.append(f"{name:<50} {_fmt_rate(v):>16} {rel:>9}")

    row(f"single junction, mtjlib ({r['single_steps']:,} steps)", r["single_mtjlib"])
    row("single junction, cmtj (log once)", r["single_cmtj"])
    row("single junction, cmtj (log every step)", r["single_cmtj_logged"])
    row(f"batch RK4, mtjlib, {r['n_batch']} x {r['batch_ns']:g} ns, all threads",
        r["batch_mtjlib"])
    row(f"batch RK4, mtjlib, {r['n_batch']} junctions, 1 thread", r["batch_mtjlib_1thread"])
    row(f"batch Heun 300 K, mtjlib, {r['n_batch']} x {r['heun_ns']:g} ns", r["heun_mtjlib"])
    row("single junction, cmtj SolverMode.Heun 300 K", r["heun_cmtj"])
    fl, pk = r["flops"], r["peak"]
    lines += [
        "",
        (f"single ratio mtjlib / cmtj: {r['single_ratio']:.1f}x (target >= {TARGET_SINGLE:g}x: "
        f"{'met' if r['single_target_met'] else 'NOT met'})"),
        (f"batch ratio mtjlib batch / cmtj single: {r['batch_ratio']:.1f}x (target >= "
        f"{TARGET_BATCH:g}x: {'met' if r['batch_target_met'] else 'NOT met'})"),
        "",
        format_thermal(r),
        "",
        (f"arithmetic: {fl['rk4']} flops per RK4 step ({fl['rhs']} per right-hand side) + "
        f"{fl['extrema']} for the extrema = {fl['rk4'] + fl['extrema']} per junction-step"),
        (f"  batch: {r['batch_gflops']:.1f} GFLOP/s all threads, {r['batch_gflops_1thread']:.1f} "
        "on one"),
        (f"  measured mul+add peak: {pk['peak_gflops_1thread']:.1f} GFLOP/s one thread, "
        f"{pk['peak_gflops_all']:.1f} all threads -> batch at "
        f"{100 * r['peak_fraction_1thread']:.0f} % (one thread), "
        f"{100 * r['peak_fraction']:.0f} % (all)"),
        (f"  clock about {pk['clock_ghz_est']:.2f} GHz (dependent-add chain, 3-cycle latency "
        f"assumed): nominal {pk['nominal_gflops_per_core']:.0f} GFLOP/s per core without FMA"),
        "",
        "what dominates:",
    ]
    lines += [f"  - {s}" for s in r["dominant"]]
    return "\n".join(lines)


def format_force(result: dict) -> str:
    """The FORCE benchmark's rows (:func:`mtjbook.bench.force.run`) as a plain-text table."""
    cols = result.get("columns") or list(result["rows"][0])
    lines = [result.get("title", "FORCE benchmark"),
             " ".join(f"{c:>14}" for c in cols)]
    for row in result["rows"]:
        lines.append(" ".join(
            f"{row[c]:>14.4g}" if isinstance(row[c], float) else f"{row[c]!s:>14}"
            for c in cols))
    lines += [f"  - {n}" for n in result.get("notes", []) if n]
    if "target_met" in result:
        lines.append(f"  target: {'met' if result['target_met'] else 'NOT met'}")
    return "\n".join(lines)


def run_force(quick: bool = False) -> dict | None:
    """The FORCE benchmark, :func:`mtjbook.bench.force.run`; None if reservoirpy is missing."""
    if importlib.util.find_spec("reservoirpy") is None:
        return None
    import mtjbook.bench.force as bench_force

    return bench_force.run(quick)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line of ``python -m mtjbook.bench``; an unknown option is an error (exit 2)."""
    ap = argparse.ArgumentParser(
        prog="python -m mtjbook.bench",
        description="Benchmark mtjlib's LLG kernels against cmtj and the machine's arithmetic "
        "limit, and FORCE training against reservoirpy (one run, ratios on the same machine).",
        epilog="Timings vary with the machine and its load; compare ratios within one run.",
    )
    ap.add_argument("--quick", action="store_true",
                    help="smoke-test sizes (seconds instead of minutes; numbers not meaningful)")
    ap.add_argument("--no-force", action="store_true",
                    help="skip the FORCE benchmark against reservoirpy")
    ap.add_argument("--thermal-only", action="store_true",
                    help="run only the thermal row: mtjlib's thermal Heun batch of 800 junctions "
                    "against cmtj's SolverMode.Heun with a temperature driver (implies "
                    "--no-force)")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.thermal_only:
        res = run_thermal_benchmark(args.quick)
        m = machine_info()
        print(f"machine: {m['cpu_model']}, {m['cpu_count']} CPUs, numba {m['numba']} "
              f"({m['numba_threads']} threads), cmtj {m['cmtj']}, load "
              f"{m['load_average_1min']:.2f}")
        print(format_thermal(res))
        print("\nTimings vary with the machine and its load; compare ratios within one run.")
        return 0
    res = run_llg_benchmarks(args.quick)
    print(format_table(res))
    force = None if args.no_force else run_force(args.quick)
    if force is not None:
        print()
        print(format_force(force))
    elif not args.no_force:
        print("\nFORCE benchmark skipped: reservoirpy is not installed")
    print("\nTimings vary with the machine and its load; compare ratios within one run.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
