"""Recording the paper's claims: a notebook's computed value, its verdict, and the file the runner
collects.

A notebook computes the *value* of a claim (a number or a dict of numbers) and calls
:func:`record_claim`; whether the claim holds is decided by the rules of
:mod:`mtjbook.claims.table` (the one place where tolerances live), never typed in a notebook (nor
in :mod:`mtjlib`, whose metrics return numbers). What a claim is (:class:`ClaimSpec`,
:class:`Reading`) is :mod:`mtjbook.claims.spec`; both stay importable from here.

When the environment variable ``MTJBOOK_CLAIMS_DIR`` is set (the book runner sets it), each
recorded claim is written atomically to ``$MTJBOOK_CLAIMS_DIR/<claim_id>.json``. Merging them,
the MyST table of the intro page and the CI check live in :mod:`mtjbook.claims.report`.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from mtjbook.claims.spec import ClaimSpec
from mtjbook.claims.table import CLAIMS

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
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.filename is None:  # a full disk names no file
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise
    return path



def _reading_entries(claim_id: str, spec: ClaimSpec, readings) -> dict:
    """Each reading's recorded entry: its value, verdict and texts."""
    if not spec.readings:
        if readings is not None:
            raise ValueError(f"claim {claim_id!r} has no readings; got readings for "
                             f"{sorted(readings)!r}")
        return {}
    if not isinstance(readings, dict):
        raise TypeError(f"claim {claim_id!r} has readings {[r.id for r in spec.readings]}: pass "
                        f"readings={{id: value}}, got {readings!r:.80}")
    want = {r.id for r in spec.readings}
    if set(readings) != want:
        raise ValueError(f"readings of claim {claim_id!r}: missing {sorted(want - set(readings))}, "
                         f"unknown {sorted(set(readings) - want)}")
    out = {}
    for r in spec.readings:
        rule = spec.holds if r.holds is None else r.holds
        out[r.id] = {"assumption": r.assumption, "why": r.why, "part": r.part,
                     "value": readings[r.id], "holds": bool(rule(readings[r.id]))}
    return out


def reading_verdicts(claim_id: str, readings: dict) -> dict[str, bool]:
    """Whether each reading of ``claim_id`` holds for its value (``{reading id: value}``, every
    reading of the claim), decided as :func:`record_claim` does, without recording anything."""
    if claim_id not in CLAIMS:
        raise ValueError(f"claim_id={claim_id!r} is not a known claim; known: {sorted(CLAIMS)}")
    entries = _reading_entries(claim_id, CLAIMS[claim_id], readings)
    return {rid: e["holds"] for rid, e in entries.items()}


def record_claim(claim_id: str, value: dict, notebook: str, readings: dict | None = None) -> dict:
    """Decide whether ``claim_id`` holds for ``value`` and write it where the runner collects it.

    Parameters
    ----------
    claim_id : str
        A key of :data:`CLAIMS` (the ids of MISSION.md's table).
    value : dict
        What the run computed; the keys the claim's rule reads must be present (for a claim
        with readings: the numbers shared by its readings, shown in the table's full value).
    notebook : str
        The source notebook's path relative to the repository root.
    readings : dict, optional
        Required exactly for a claim with :attr:`ClaimSpec.readings`: ``{reading id: value}``,
        one value per reading, each decided by the reading's rule (or the claim's).

    Returns
    -------
    dict
        ``{"paper", "value", "holds", "notebook"}``, as written to the claims directory; a claim
        with readings adds ``"headline"`` (the headline reading ids) and ``"readings"`` (``{id:
        {"assumption", "why", "part", "value", "holds"}}``), and its ``holds`` is the conjunction
        of its headline readings' verdicts.
    """
    if claim_id not in CLAIMS:
        raise ValueError(f"claim_id={claim_id!r} is not a known claim; known: {sorted(CLAIMS)}")
    spec = CLAIMS[claim_id]
    per_reading = _reading_entries(claim_id, spec, readings)
    if per_reading:
        holds = all(per_reading[h]["holds"] for h in spec.headline)
    else:
        holds = bool(spec.holds(value))
    entry = {"paper": spec.paper, "value": value, "holds": holds, "notebook": notebook}
    if per_reading:
        entry["headline"] = list(spec.headline)
        entry["readings"] = per_reading
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
