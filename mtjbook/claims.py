"""The paper's claims, the tolerances that decide whether our run reproduces them, and a writer.

This module is the one place where tolerances live. A notebook computes the *value* of a claim
(a number or a dict of numbers) and calls :func:`record_claim`; whether the claim holds is
decided here, never typed in a notebook.

When the environment variable ``MTJBOOK_CLAIMS_DIR`` is set (the book runner sets it), each
recorded claim is written atomically to ``$MTJBOOK_CLAIMS_DIR/<claim_id>.json``; the runner merges
them into ``_build/claims.json``.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

#: The environment variable naming the directory claims are written to (the runner sets it).
CLAIMS_DIR_ENV = "MTJBOOK_CLAIMS_DIR"


def atomic_write_text(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` so that readers see either the old file or the whole new one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


#: Tolerances, one place. Relative tolerances are fractions.
TOLERANCES = {
    # F1d: Delta R at the ends of the input range, relative to the paper's 114 and 145 Ohm.
    "delta_r_rel": 0.02,
    # F1d: R0 relative to the paper's 11.05 kOhm.
    "r0_rel": 1e-3,
    # F1d inset: Delta R / R0 must reach this within the inset's current range.
    "delta_r_over_r0_min": 0.20,
    # F1c: the oscillation must show at least this many resistance maxima within 1.5 ns and decay.
    "f1c_min_maxima": 2,
    # F2a/F2b: free-running normalised RMS error and relative period error.
    "free_run_nrmse_max": 0.1,
    "period_rel": 0.02,
    # F4: correct windows on the figure's seed and mean accuracy over seeds.
    "f4_correct_windows": 100,
    "f4_mean_accuracy_min": 0.99,
}

PAPER = {
    "delta_r_ohm": {0.8: 114.0, 1.0: 145.0},
    "r0_ohm": 11.05e3,
}


def _rel_close(value: float, ref: float, rel: float) -> bool:
    return math.isfinite(value) and abs(value - ref) <= rel * abs(ref)


def _holds_f1c(v: dict) -> bool:
    return (v["n_maxima"] >= TOLERANCES["f1c_min_maxima"]
            and v["first_swing_ohm"] > v["last_swing_ohm"] > 0.0)


def _holds_f1d(v: dict) -> bool:
    tol = TOLERANCES["delta_r_rel"]
    return (_rel_close(v["delta_r_ohm"]["0.8e10"], PAPER["delta_r_ohm"][0.8], tol)
            and _rel_close(v["delta_r_ohm"]["1.0e10"], PAPER["delta_r_ohm"][1.0], tol)
            and _rel_close(v["r0_ohm"], PAPER["r0_ohm"], TOLERANCES["r0_rel"])
            and bool(v["monotone"]) and bool(v["nonlinear"])
            and v["max_delta_r_over_r0"] >= TOLERANCES["delta_r_over_r0_min"])


def _holds_free_run(v: dict) -> bool:
    return (v["free_run_nrmse"] < TOLERANCES["free_run_nrmse_max"]
            and abs(v["period_ns"] - v["target_period_ns"]) <= TOLERANCES["period_rel"]
            * v["target_period_ns"])


def _holds_f4(v: dict) -> bool:
    return (v["correct_windows"] >= TOLERANCES["f4_correct_windows"]
            and v["mean_accuracy"] >= TOLERANCES["f4_mean_accuracy_min"])


@dataclass(frozen=True)
class ClaimSpec:
    """A claim of the paper: its statement and the rule deciding whether a value reproduces it."""

    paper: str
    holds: Callable[[dict], bool]


CLAIMS: dict[str, ClaimSpec] = {
    "F1c": ClaimSpec(
        "Damped resistance oscillation of one MTJ within 1.5 ns at j = 0.9e10 A/m^2; "
        "Delta R = last maximum minus last minimum within 1.5 ns", _holds_f1c),
    "F1d": ClaimSpec(
        "Delta R(j) monotone and nonlinear, about 114 Ohm at j = 0.8e10 and 145 Ohm at "
        "1.0e10 A/m^2; R0 = 11.05 kOhm; Delta R/R0 reaches 20 % at larger j", _holds_f1d),
    "F2a": ClaimSpec(
        "40 MTJs learn 0.87 sin(2 pi t/45 ns) with FORCE; learning off at 4500 ns; "
        "the output sustains the sine", _holds_free_run),
    "F2b": ClaimSpec(
        "At 5700 ns the target becomes 0.65 sin(2 pi t/80 ns); relearned, off at 8700 ns; "
        "the output sustains the new sine", _holds_free_run),
    "F4": ClaimSpec(
        "Square wave vs sine recognition: 100 of 100 test windows recognised", _holds_f4),
}


def record_claim(claim_id: str, value: dict, notebook: str) -> dict:
    """Decide whether ``claim_id`` holds for ``value`` and write it where the runner collects it.

    Parameters
    ----------
    claim_id : str
        A key of :data:`CLAIMS` (the ids of MISSION.md's table).
    value : dict
        What the run computed; the keys the claim's rule reads must be present.
    notebook : str
        The source notebook's path relative to the repository root.

    Returns
    -------
    dict
        ``{"paper", "value", "holds", "notebook"}``, as written to the claims directory.
    """
    if claim_id not in CLAIMS:
        raise ValueError(f"claim_id={claim_id!r} is not a known claim; known: {sorted(CLAIMS)}")
    spec = CLAIMS[claim_id]
    entry = {"paper": spec.paper, "value": value, "holds": bool(spec.holds(value)),
             "notebook": notebook}
    out = os.environ.get(CLAIMS_DIR_ENV)
    if out:
        atomic_write_text(Path(out) / f"{claim_id}.json",
                          json.dumps(entry, indent=2, sort_keys=True) + "\n")
    return entry
