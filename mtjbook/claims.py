"""The paper's claims: statements, tolerances, the rules deciding "holds", merging and the table.

This module is the one place where tolerances live. A notebook computes the *value* of a claim
(a number or a dict of numbers) and calls :func:`record_claim`; whether the claim holds is
decided here, never typed in a notebook (nor in :mod:`mtjlib`, whose metrics return numbers).

When the environment variable ``MTJBOOK_CLAIMS_DIR`` is set (the book runner sets it), each
recorded claim is written atomically to ``$MTJBOOK_CLAIMS_DIR/<claim_id>.json``. Merging them,
the MyST table of the intro page and the CI check live in :mod:`mtjbook.claims_report`.
"""

from __future__ import annotations

import json
import math
import numbers
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
    # S1: 25 sizes vs identical junctions (paired seeds): largest drop of the success rate
    # (fraction) and largest median ratio of the worse free-running NRMSE.
    "s1_success_drop_max": 0.10,
    "s1_median_nrmse_ratio_max": 1.5,
    # F3: per-period 2-D RMS distance / target bounding-box diagonal, mean over test trials on
    # the figure's seed; fraction of network seeds (at least f3_min_seeds) meeting it.
    "f3_error_max": 0.05,
    "f3_seed_fraction_min": 0.8,
    "f3_min_seeds": 10,
    # S3: success rate (fraction of seeds whose two free runs hold) at 10 % weight fluctuation,
    # a one-step recurrent delay and 20 % failing readout synapses, each alone; seeds at least.
    "s3_success_min": 0.8,
    "s3_min_seeds": 20,
    # S2: seeds per (N, noise level) at least; the noisy N = 40 error's CI must lie above the
    # noise-free N = 40 error's CI, and the N = 800 error's CI below the N = 40 one's.
    "s2_min_seeds": 10,
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


def free_run_holds(nrmse: float, period_ns: float, target_period_ns: float) -> bool:
    """Whether a free-running stretch reproduces the paper's sustained sine (F2a, F2b).

    Parameters
    ----------
    nrmse : float
        Normalised RMS error of the free-running output against the target (1).
    period_ns : float
        Period of the output measured over the stretch, ns.
    target_period_ns : float
        Period of the target, ns (> 0).

    Returns
    -------
    bool
        ``nrmse < TOLERANCES["free_run_nrmse_max"]`` and the period within
        ``TOLERANCES["period_rel"]`` of the target's. A NaN error or period (an output that
        died or blew up) does not hold.
    """
    for name, v in (("nrmse", nrmse), ("period_ns", period_ns),
                    ("target_period_ns", target_period_ns)):
        if isinstance(v, bool) or not isinstance(v, numbers.Real):
            raise TypeError(f"{name}={v!r} must be a real number")
    if not (math.isfinite(target_period_ns) and target_period_ns > 0):
        raise ValueError(f"target_period_ns={target_period_ns!r} is outside the allowed range "
                         "(0, inf) ns")
    return bool(nrmse < TOLERANCES["free_run_nrmse_max"]
                and abs(period_ns - target_period_ns)
                <= TOLERANCES["period_rel"] * target_period_ns)


def _holds_free_run(v: dict) -> bool:
    return free_run_holds(v["free_run_nrmse"], v["period_ns"], v["target_period_ns"])


def _holds_f4(v: dict) -> bool:
    return (v["correct_windows"] >= TOLERANCES["f4_correct_windows"]
            and v["mean_accuracy"] >= TOLERANCES["f4_mean_accuracy_min"])


def _holds_f3(v: dict) -> bool:
    return (v["error"] <= TOLERANCES["f3_error_max"]
            and v["n_seeds"] >= TOLERANCES["f3_min_seeds"]
            and v["n_seeds_ok"] >= TOLERANCES["f3_seed_fraction_min"] * v["n_seeds"])


def _holds_s1(v: dict) -> bool:
    return (v["success_rate_sizes"]
            >= v["success_rate_identical"] - TOLERANCES["s1_success_drop_max"] - 1e-12
            and v["median_nrmse_ratio"] <= TOLERANCES["s1_median_nrmse_ratio_max"])


def _holds_s3(v: dict) -> bool:
    return (v["n_seeds"] >= TOLERANCES["s3_min_seeds"]
            and min(v["success_fluctuation"], v["success_delay"], v["success_failure"])
            >= TOLERANCES["s3_success_min"])


def _holds_s2(v: dict) -> bool:
    return (v["n_seeds"] >= TOLERANCES["s2_min_seeds"]
            and v["nrmse_40_ci"][0] > v["nrmse_40_noise_free_ci"][1]
            and v["nrmse_800_ci"][1] < v["nrmse_40_ci"][0])


#: What a :class:`ClaimSpec` shows beside the paper: ``(label, key path, paper)``. The key path
#: names a number of the claim's value, nested keys joined by ``/`` (``"delta_r_ohm/0.8e10"``);
#: ``paper`` is the paper's number, a short text (``"not stated"``) or None (shown as a dash).
Shown = tuple[str, str, "float | int | str | None"]

#: How many numbers of a value the table shows when a claim states no ``shown``.
DEFAULT_SHOWN = 3


@dataclass(frozen=True)
class ClaimSpec:
    """A claim of the paper: its statement, the rule deciding "holds", and what the table shows.

    Parameters
    ----------
    paper : str
        The paper's statement (plain text).
    holds : callable
        ``holds(value) -> bool``, the rule deciding whether a computed value reproduces it.
    shown : tuple of (str, str, float or str or None), optional
        The rows "paper vs this build" of the claims table: a label (with its unit), the key path
        of the number in the value (nested keys joined by ``/``) and the paper's number (or a
        short text, or None). Empty (the default): the first :data:`DEFAULT_SHOWN` numbers of the
        value, labelled by their keys, with no paper number.
    reproduced : bool, optional
        The verdict this repository recorded at the paper's configuration (default True). False
        marks a claim that honestly does not reproduce; its book page says so with the numbers,
        and ``why_not`` says why. :func:`check_claims` (CI) fails whenever a build's verdict
        differs from it: a claim that stops reproducing is a regression, and one that starts
        reproducing must be re-examined (and this flag and the page's text changed) by a person.
    why_not : str, optional
        Required when ``reproduced`` is False: one sentence on why the claim does not reproduce.
    """

    paper: str
    holds: Callable[[dict], bool]
    shown: tuple[Shown, ...] = ()
    reproduced: bool = True
    why_not: str = ""

    def __post_init__(self):
        if not isinstance(self.paper, str) or not self.paper:
            raise TypeError(f"paper={self.paper!r} must be a non-empty str")
        if not callable(self.holds):
            raise TypeError(f"holds={self.holds!r} must be callable")
        if not isinstance(self.shown, tuple):
            raise TypeError(f"shown={self.shown!r} must be a tuple of (label, key path, paper)")
        for item in self.shown:
            if not (isinstance(item, tuple) and len(item) == 3 and isinstance(item[0], str)
                    and isinstance(item[1], str) and item[1]
                    and (item[2] is None or isinstance(item[2], (str, numbers.Real)))):
                raise ValueError(
                    f"shown item {item!r} must be (label: str, key path: str, "
                    "paper: number, str or None)"
                )
        if not isinstance(self.reproduced, bool):
            raise TypeError(f"reproduced={self.reproduced!r} must be a bool")
        if not isinstance(self.why_not, str):
            raise TypeError(f"why_not={self.why_not!r} must be a str")
        if self.reproduced == bool(self.why_not):
            raise ValueError(
                f"why_not={self.why_not!r}: give a reason exactly when reproduced=False "
                f"(reproduced={self.reproduced!r})"
            )


CLAIMS: dict[str, ClaimSpec] = {
    "F1c": ClaimSpec(
        "Damped resistance oscillation of one MTJ within 1.5 ns at j = 0.9e10 A/m^2; "
        "Delta R = last maximum minus last minimum within 1.5 ns", _holds_f1c,
        shown=(("j, A/m²", "j_a_per_m2", 0.9e10),
               ("resistance maxima within 1.5 ns", "n_maxima", "several (Fig. 1c)"),
               ("first swing, Ω", "first_swing_ohm", "decays"),
               ("last swing, Ω", "last_swing_ohm", "decays"),
               ("ΔR, Ω", "delta_r_ohm", "not stated"))),
    "F1d": ClaimSpec(
        "Delta R(j) monotone and nonlinear, about 114 Ohm at j = 0.8e10 and 145 Ohm at "
        "1.0e10 A/m^2; R0 = 11.05 kOhm; Delta R/R0 reaches 20 % at larger j", _holds_f1d,
        shown=(("ΔR at 0.8e10 A/m², Ω", "delta_r_ohm/0.8e10", 114.0),
               ("ΔR at 1.0e10 A/m², Ω", "delta_r_ohm/1.0e10", 145.0),
               ("R0, Ω", "r0_ohm", 11.05e3),
               ("largest ΔR/R0 (inset)", "max_delta_r_over_r0", 0.2),
               ("monotone", "monotone", "yes"))),
    "F2a": ClaimSpec(
        "40 MTJs learn 0.87 sin(2 pi t/45 ns) with FORCE; learning off at 4500 ns; "
        "the output sustains the sine", _holds_free_run,
        shown=(("MTJs", "n_mtj", 40),
               ("period, ns", "period_ns", 45.0),
               ("free-running NRMSE", "free_run_nrmse", "sustains"),
               ("success over seeds", "success_rate", "not stated"))),
    "F2b": ClaimSpec(
        "At 5700 ns the target becomes 0.65 sin(2 pi t/80 ns); relearned, off at 8700 ns; "
        "the output sustains the new sine", _holds_free_run,
        shown=(("period, ns", "period_ns", 80.0),
               ("free-running NRMSE", "free_run_nrmse", "sustains"),
               ("success over seeds", "success_rate", "not stated"))),
    "F3": ClaimSpec(
        "800 MTJs trained by innate training write the character 师 (period 170 ns) from random "
        "initial states with noise", _holds_f3,
        shown=(("MTJs", "n_mtj", 800),
               ("F3 error, first claim seed (fraction of the diagonal)", "error", "not stated"),
               ("claim seeds within 5 %", "n_seeds_ok", "not stated"),
               ("claim seeds", "n_seeds", None),
               ("readout-only error, first claim seed", "error_readout_only", None),
               ("book's network: error on seed 0", "book_network/error", None),
               ("book's network: seeds within 5 %", "book_network/n_seeds_ok", None)),
        reproduced=False,
        why_not="at the configuration fixed by principle before its seeds ran (Laje and "
                "Buonomano's values, whose trigger of 5 tau fills 29 % of the 170 ns period) "
                "the network draws well after the trigger, but the readout, untrained on the "
                "trigger's steps and reading units the trigger pins to their clip, misses them; "
                "the book's own short-trigger network reaches about 6 %, above the limit too "
                "(the paper states no error for Fig. 3; see the ablation page)"),
    "F4": ClaimSpec(
        "Square wave vs sine recognition: 100 of 100 test windows recognised", _holds_f4,
        shown=(("test windows recognised", "correct_windows", 100),
               ("test windows", "n_test", 100),
               ("input noise", "noise", 0.05),
               ("mean accuracy over seeds", "mean_accuracy", "not stated"))),
    "S1": ClaimSpec(
        "A RNN of 40 MTJs with 25 different sizes works as well as one of identical MTJs "
        "(Fig. 2 task: success within 10 points, median paired NRMSE ratio <= 1.5)", _holds_s1,
        reproduced=False,
        why_not="under one common Delta R scale (one circuit gain) the dispersed junctions learn "
                "as often, but their median free-running NRMSE is several times that of "
                "identical junctions (per-junction normalisation, the control, removes the gap)"),
    "S3": ClaimSpec(
        "The RNN still learns (Fig. 2 task, success >= 80 % over seeds) at 10 % fluctuation of "
        "the synaptic weights, a one-step recurrent delay and 20 % of the readout synapses "
        "failing to update, each alone", _holds_s3,
        reproduced=False,
        why_not="10 % cycle-to-cycle read noise and 20 % blind-failing readout synapses break "
                "FORCE on Fig. 2's task: its large, cancelling readout weights amplify both"),
    "S2": ClaimSpec(
        "Degraded by phase noise, improved by more MTJs: at a stated noise level (temperature) "
        "the Fig. 2 free-running error at N = 40 exceeds the noise-free error and decreases "
        "(within confidence intervals) from N = 40 to N = 800", _holds_s2,
        shown=(("temperature, K", "temperature_k", "not stated"),
               ("NRMSE at N = 40, noisy", "nrmse_40", "degraded"),
               ("NRMSE at N = 800, noisy", "nrmse_800", "improved"),
               ("fitted exponent of NRMSE vs N", "exponent", "not stated"),
               ("sigma_F at 300 K (F units)", "sigma_f_300k", "not stated"))),
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


def write_if_changed(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` only if different (keeps mtimes, so make does no work)."""
    path = Path(path)
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    atomic_write_text(path, text)
    return True
