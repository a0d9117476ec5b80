"""The paper's claims: statements, tolerances, the rules deciding "holds", merging and the table.

This module is the one place where tolerances live. A notebook computes the *value* of a claim
(a number or a dict of numbers) and calls :func:`record_claim`; whether the claim holds is
decided here, never typed in a notebook (nor in :mod:`mtjlib`, whose metrics return numbers).

When the environment variable ``MTJBOOK_CLAIMS_DIR`` is set (the book runner sets it), each
recorded claim is written atomically to ``$MTJBOOK_CLAIMS_DIR/<claim_id>.json``. After the
notebooks ran, :func:`write_claims` merges them into ``_build/claims.json`` and renders the MyST
table ``_build/claims_table.md`` that the intro page includes; :func:`check_claims` is the
command-line verdict (``python -m mtjbook.runner --check-claims``).
"""

from __future__ import annotations

import json
import math
import numbers
import os
import re
import sys
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
        "initial states with noise", _holds_f3),
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


# ----------------------------------------------------------------------------------------------
# Collecting the claims of the book's notebooks


def same_notebook(recorded, path: str) -> bool:
    """Whether a claim's ``notebook`` names ``path`` (the full path, or only its file name)."""
    if not isinstance(recorded, str):
        return False
    rec = Path(recorded).as_posix()
    return rec == Path(path).as_posix() or ("/" not in rec and rec == Path(path).name)


def claims_of(claims_dir: Path, notebook: str) -> dict[str, dict]:
    """The claims in ``claims_dir`` recorded by ``notebook``, by claim id (unreadable files skipped)."""
    out = {}
    for f in sorted(Path(claims_dir).glob("*.json")):
        try:
            entry = json.loads(f.read_text(encoding="utf-8"))
        except ValueError:
            continue
        if isinstance(entry, dict) and same_notebook(entry.get("notebook"), notebook):
            out[f.stem] = entry
    return out


def merge_claims(claims_dir: Path, kept: dict[str, dict[str, dict]]) -> dict[str, dict]:
    """Claims of the book's notebooks, sorted by id.

    Parameters
    ----------
    claims_dir : Path
        Where :func:`record_claim` wrote them (``_build/claims``).
    kept : dict
        Notebook path (in book order) -> the claims its last successful execution recorded (kept
        in the executed copy). They are written back to ``claims_dir`` if missing (e.g. after
        ``_build`` was deleted), so the directory and ``claims.json`` agree with the executed
        notebooks. Claims of notebooks not in ``kept`` are ignored.
    """
    claims: dict[str, dict] = {}
    for notebook, recorded in kept.items():
        for cid, c in (recorded or {}).items():
            f = Path(claims_dir) / f"{cid}.json"
            if not f.is_file():
                atomic_write_text(f, json.dumps(c, indent=2, sort_keys=True) + "\n")
        claims.update(claims_of(claims_dir, notebook))
    keys = ("paper", "value", "holds", "notebook")
    return {cid: {k: claims[cid].get(k) for k in keys} for cid in sorted(claims)}


def format_number(x, digits: int = 4) -> str:
    """A number as short text, by significance: ``digits`` significant digits, no trailing zeros.

    Parameters
    ----------
    x : bool, int, float or other
        Booleans read ``yes``/``no``; integers are exact; other non-numbers go through ``str``.
    digits : int, optional
        Significant digits of a float (>= 1); integer digits are never rounded away
        (``11050.3 -> "11050"``).

    Returns
    -------
    str
        Fixed notation for ``1e-3 <= |x| < 1e6`` (``0.87``, ``0.001``, ``114``, ``113.9``),
        exponent notation otherwise (``8.329e10``, ``3.077e-4``, ``1e-5``); ``0``, ``nan``,
        ``inf``.
    """
    if isinstance(digits, bool) or not isinstance(digits, int):
        raise TypeError(f"digits={digits!r} must be an int")
    if digits < 1:
        raise ValueError(f"digits={digits!r} is outside the allowed range [1, inf)")
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, numbers.Integral):
        return str(int(x))
    if not isinstance(x, numbers.Real):
        return str(x)
    x = float(x)
    if not math.isfinite(x):
        return str(x)
    if x == 0.0:
        return "0"
    a = abs(x)
    if 1e-3 <= a < 1e6:
        # decimals for `digits` significant digits, after rounding (9.9996 -> 10 has 2 int digits)
        decimals = max(0, digits - 1 - math.floor(math.log10(a)))
        text = f"{x:.{decimals}f}"
        if decimals and abs(float(text)) >= 10 ** (digits - decimals):
            text = f"{x:.{decimals - 1}f}"
        text = text.rstrip("0").rstrip(".") if "." in text else text
        return "0" if text in ("-0", "") else text
    mant, exp = f"{x:.{digits - 1}e}".split("e")
    if "." in mant:
        mant = mant.rstrip("0").rstrip(".")
    return f"{mant}e{int(exp)}"


def format_value(value, depth: int = 0) -> str:
    """A claim's value (number, list or nested dict of numbers) as readable one-line text."""
    if isinstance(value, dict):
        parts = [f"{k} = {format_value(v, depth + 1)}" for k, v in value.items()]
        body = "; ".join(parts) if depth == 0 else ", ".join(parts)
        return body if depth == 0 else "(" + body + ")"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(format_value(v, depth + 1) for v in value) + "]"
    return format_number(value)


def _md_escape(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]<>|$#])", r"\\\1", text)


def value_at(value, path: str):
    """The item of a nested dict ``value`` at key path ``path`` (keys joined by ``/``).

    Raises ``KeyError`` naming the path when a key is missing.
    """
    out = value
    for key in path.split("/"):
        if not isinstance(out, dict) or key not in out:
            raise KeyError(f"key path {path!r}: no key {key!r} in the value")
        out = out[key]
    return out


def _numeric_paths(value, prefix: str = "") -> list[str]:
    """Key paths of the numbers (not booleans) of a nested dict, in insertion order."""
    paths = []
    if isinstance(value, dict):
        for k, v in value.items():
            paths += _numeric_paths(v, f"{prefix}{k}/" if isinstance(v, dict) else prefix + str(k))
    elif isinstance(value, numbers.Real) and not isinstance(value, bool):
        paths.append(prefix.rstrip("/"))
    return paths


def shown_rows(claim_id: str, value) -> list[tuple[str, str, str]]:
    """``(label, paper, this build)`` texts of the numbers the table shows for a claim.

    The rows are the :attr:`ClaimSpec.shown` of ``claim_id``; a claim without them (or not in
    :data:`CLAIMS`) shows the first :data:`DEFAULT_SHOWN` numbers of its value, labelled by their
    key paths. A key missing from the value reads "missing".
    """
    spec = CLAIMS.get(claim_id)
    shown = spec.shown if spec is not None else ()
    if not shown:
        if not isinstance(value, dict):
            return [("value", "–", format_value(value))]
        shown = tuple((p, p, None) for p in _numeric_paths(value)[:DEFAULT_SHOWN])
    rows = []
    for label, path, paper in shown:
        try:
            ours = format_value(value_at(value, path))
        except KeyError:
            ours = "missing"
        theirs = "–" if paper is None else format_value(paper)
        rows.append((label, theirs, ours))
    return rows


def _value_items(value) -> list[str]:
    """A claim's full value as Markdown bullet lines, one per top-level key."""
    if not isinstance(value, dict) or not value:
        return [f"- {_md_escape(format_value(value))}"]
    return [f"- `{k}` = {_md_escape(format_value(v, depth=1))}" for k, v in value.items()]


def _indent(lines: list[str], n: int) -> list[str]:
    return [(" " * n + line) if line else "" for line in lines]


def _claim_cell(cid: str, c: dict) -> list[str]:
    """The "paper vs this build" cell: a nested table, then the full value in a dropdown."""
    rows = shown_rows(cid, c.get("value"))
    inner = ["```{list-table}", ":header-rows: 1", ":class: claims-numbers", "",
             "* - quantity", "  - paper", "  - this build"]
    for label, theirs, ours in rows:
        inner += [f"* - {_md_escape(label)}", f"  - {_md_escape(theirs)}",
                  f"  - {_md_escape(ours)}"]
    inner += ["```", "", "```{dropdown} full value", ":class-container: claims-value", ""]
    inner += _value_items(c.get("value"))
    inner += ["```"]
    return inner


def render_claims_table(claims: dict[str, dict], book_dir: str = "book") -> str:
    """MyST table of the claims, included by the intro page.

    One row per claim: its id and notebook, the paper's statement, the paper's numbers beside
    this build's (:func:`shown_rows`) with the full value in a dropdown, and the verdict.
    """
    if not claims:
        return (
            "```{note}\nNo claim has been computed yet: no notebook of the book has "
            "recorded one.\n```\n"
        )
    lines = [
        "`````{list-table}",
        ":header-rows: 1",
        ":widths: 10 34 46 10",
        ":class: claims-table",
        "",
        "* - claim",
        "  - the paper says",
        "  - paper vs this build",
        "  - verdict",
    ]
    for cid, c in claims.items():
        nb = str(c.get("notebook") or "")
        doc = Path(nb).with_suffix("")
        try:
            doc = Path(book_dir) / "executed" / doc.relative_to(book_dir)
            link = f"{{doc}}`{doc.name} </{doc.as_posix()}>`"
        except ValueError:
            link = _md_escape(nb)
        verdict = "{bdg-success}`holds`" if c.get("holds") else "{bdg-danger}`does NOT hold`"
        lines += [f"* - **{_md_escape(cid)}**", "", f"    {link}",
                  f"  - {_md_escape(str(c.get('paper', '')))}"]
        cell = _claim_cell(cid, c)
        lines += ["  - " + cell[0]] + _indent(cell[1:], 4)
        lines += [f"  - {verdict}"]
    return "\n".join(lines) + "\n`````\n"


def write_if_changed(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` only if different (keeps mtimes, so make does no work)."""
    path = Path(path)
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    atomic_write_text(path, text)
    return True


def write_claims(
    build_dir: Path, kept: dict[str, dict[str, dict]], book_dir: str = "book"
) -> dict[str, dict]:
    """Merge the claims (:func:`merge_claims` of ``build_dir/claims``) and write
    ``build_dir/claims.json`` and ``build_dir/claims_table.md``, each only if changed."""
    build_dir = Path(build_dir)
    claims = merge_claims(build_dir / "claims", kept)
    write_if_changed(
        build_dir / "claims.json",
        json.dumps(claims, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
    )
    write_if_changed(build_dir / "claims_table.md", render_claims_table(claims, book_dir))
    return claims


def check_claims(path: Path) -> int:
    """Print each claim of ``path`` (``_build/claims.json``) and compare it with the record.

    Returns 1 (CI fails) when a claim of :data:`CLAIMS` is missing, or when a verdict differs from
    its :attr:`ClaimSpec.reproduced`: a claim that stopped reproducing, or a known
    non-reproduction that now holds (a person must re-examine it and update the record and the
    book's text). Claims that honestly do not reproduce, as recorded, are listed, not failed.
    """
    path = Path(path)
    if not path.is_file():
        print(f"ERROR: {path} does not exist: build the book first", file=sys.stderr)
        return 1
    claims = json.loads(path.read_text(encoding="utf-8"))
    problems = []
    for cid in sorted(set(CLAIMS) | set(claims)):
        spec, c = CLAIMS.get(cid), claims.get(cid)
        if c is None:
            problems.append(f"{cid} was not recorded (its notebook did not run at the paper's "
                            "configuration)")
            continue
        verdict = "holds" if c["holds"] else "DOES NOT HOLD"
        print(f"{cid}: {verdict}  ({c['notebook']}) {format_value(c['value'])}")
        if spec is None:
            problems.append(f"{cid} is not a claim of mtjbook.claims.CLAIMS")
        elif bool(c["holds"]) and not spec.reproduced:
            problems.append(f"{cid} now holds although it is recorded as not reproducing "
                            f"({spec.why_not}): re-examine it, then set reproduced=True in "
                            "mtjbook/claims.py and update its page")
        elif not c["holds"] and spec.reproduced:
            problems.append(f"{cid} stopped reproducing")
        elif not c["holds"]:
            print(f"    known non-reproduction: {spec.why_not}")
    if problems:
        for p in problems:
            print(f"ERROR: {p}", file=sys.stderr)
        return 1
    n_hold = sum(bool(c["holds"]) for c in claims.values())
    print(f"all {len(claims)} claims as recorded: {n_hold} hold, "
          f"{len(claims) - n_hold} honestly do not reproduce")
    return 0
