"""The claims the notebooks recorded, collected: merged into ``_build/claims.json``, rendered as
the MyST table the intro page includes (numbers formatted by significance, the paper's numbers
beside ours, the full value in a dropdown), and checked against the recorded verdicts
(:func:`check_claims`, ``python -m mtjbook.builder.runner --check-claims``, run by CI)."""

from __future__ import annotations

import json
import math
import numbers
import re
import sys
from pathlib import Path

from mtjbook.claims.record import write_if_changed
from mtjbook.claims.spec import DEFAULT_SHOWN
from mtjbook.claims.table import CLAIMS

# ----------------------------------------------------------------------------------------------
# Collecting the claims of the book's notebooks


def same_notebook(recorded, path: str) -> bool:
    """Whether a claim's ``notebook`` names ``path`` (the full path, or only its file name)."""
    if not isinstance(recorded, str):
        return False
    rec = Path(recorded).as_posix()
    return rec == Path(path).as_posix() or ("/" not in rec and rec == Path(path).name)


def claims_of(claims_dir: Path, notebook: str) -> dict[str, dict]:
    """The claims in ``claims_dir`` recorded by ``notebook``, by claim id (unreadable files
    skipped)."""
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
        in the executed copy). They are the result: each is written back to ``claims_dir`` when
        missing there (e.g. after ``_build`` was deleted) or different (left by a run that was
        interrupted or failed, whose executed copy was not kept), and a notebook's claim files
        that its record does not hold are deleted, so the directory and ``claims.json`` agree
        with the executed notebooks. Claims of notebooks not in ``kept`` are ignored.
    """
    claims: dict[str, dict] = {}
    for notebook, recorded in kept.items():
        recorded = recorded or {}
        for cid in set(claims_of(claims_dir, notebook)) - set(recorded):
            (Path(claims_dir) / f"{cid}.json").unlink(missing_ok=True)
        for cid, c in recorded.items():
            write_if_changed(Path(claims_dir) / f"{cid}.json",
                             json.dumps(c, indent=2, sort_keys=True) + "\n")
        claims.update(recorded)
    keys = ("paper", "value", "holds", "notebook")
    extra = ("headline", "readings")  # only claims with readings carry them
    return {cid: {k: claims[cid].get(k) for k in keys}
            | {k: claims[cid][k] for k in extra if k in claims[cid]} for cid in sorted(claims)}


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


class _Reads(dict):
    """A claim's value (a nested dict) that records the key paths of the numbers read from it."""

    def __init__(self, value: dict, prefix: str, seen: list[str]):
        super().__init__(value)
        self._prefix, self._seen = prefix, seen

    def __getitem__(self, key):
        out = super().__getitem__(key)
        path = f"{self._prefix}{key}"
        if isinstance(out, dict):
            return _Reads(out, path + "/", self._seen)
        self._seen.append(path)
        return out

    def get(self, key, default=None):
        if key not in self:
            return default
        return self[key]


def judged_paths(claim_id: str, value) -> list[str]:
    """Key paths of the numbers that the rule of ``claim_id`` reads to judge ``value``, in the
    order it reads them (a rule that stops at its first failed test reads no further).

    Empty for a claim not in :data:`CLAIMS`, a value that is not a dict, or a value the claim's
    own rule cannot judge (a claim with readings: each reading has its value and verdict).
    """
    spec = CLAIMS.get(claim_id)
    if spec is None or not isinstance(value, dict):
        return []
    seen: list[str] = []
    try:
        spec.holds(_Reads(value, "", seen))
    except (KeyError, TypeError, ValueError, IndexError):
        return []
    return list(dict.fromkeys(seen))


def _real(x) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool) and math.isfinite(x)


def comparison(paper, ours, rule: str | None) -> str:
    """The "how it is judged" text of a row: the rule's test of the number (``rule``, if the
    claim states it) and, when the paper and this build give two different-looking numbers,
    how far this build's is from the paper's (``"off the paper by +0.71 %"``); "–" if
    neither."""
    parts = [rule] if rule else []
    if (_real(paper) and _real(ours) and paper != 0
            and format_value(paper) != format_value(ours)):
        rel = 100.0 * (float(ours) / float(paper) - 1.0)
        sign = "+" if rel >= 0 else "-"
        parts.append(f"off the paper by {sign}{format_number(abs(rel), 2)} %")
    return "; ".join(parts) or "–"


#: The "how it is judged" text of a number the rule reads that the claim's ``shown`` leaves out.
READ_BY_RULE = "read by the claim's rule"


def shown_rows(claim_id: str, value) -> list[tuple[str, str, str, str]]:
    """``(label, paper, this build, how it is judged)`` texts of the numbers the table shows for
    a claim.

    The rows are the :attr:`ClaimSpec.shown` of ``claim_id``, then one row for each number its
    rule reads (:func:`judged_paths`) that they leave out, so the table shows every quantity the
    verdict rests on. A claim without ``shown`` (or not in :data:`CLAIMS`) shows the first
    :data:`DEFAULT_SHOWN` numbers of its value, labelled by their key paths. A key missing from
    the value reads "missing". The last text is :func:`comparison`.
    """
    spec = CLAIMS.get(claim_id)
    shown = spec.shown if spec is not None else ()
    if not shown:
        if not isinstance(value, dict):
            return [("value", "–", format_value(value), "–")]
        shown = tuple((p, p, None) for p in _numeric_paths(value)[:DEFAULT_SHOWN])
    rows = []
    for label, path, paper, *rule in shown:
        try:
            ours = value_at(value, path)
            ours_text = format_value(ours)
        except KeyError:
            ours, ours_text = None, "missing"
        theirs = "–" if paper is None else format_value(paper)
        rows.append((label, theirs, ours_text, comparison(paper, ours, rule[0] if rule else None)))
    listed = {item[1] for item in shown}
    for path in judged_paths(claim_id, value):
        if path not in listed:
            rows.append((path, "–", format_value(value_at(value, path)), READ_BY_RULE))
    return rows


def _value_items(value) -> list[str]:
    """A claim's full value as Markdown bullet lines, one per top-level key."""
    if not isinstance(value, dict) or not value:
        return [f"- {_md_escape(format_value(value))}"]
    return [f"- `{k}` = {_md_escape(format_value(v, depth=1))}" for k, v in value.items()]


def _indent(lines: list[str], n: int) -> list[str]:
    return [(" " * n + line) if line else "" for line in lines]


def _badge(holds) -> str:
    return "{bdg-success}`holds`" if holds else "{bdg-danger}`does NOT hold`"


def _reading_line(rid: str, r: dict, headline: bool) -> str:
    part = f" ({_md_escape(r['part'])})" if r.get("part") else ""
    name = f"**{_md_escape(rid)}**{part}" + (" (headline)" if headline else "")
    return (f"- {name} {_badge(r.get('holds'))}: assumes "
            f"{_md_escape(str(r.get('assumption', '')))}; defensible because "
            f"{_md_escape(str(r.get('why', '')))}")


def _readings_list(cid: str, c: dict) -> list[str]:
    """The readings of a claim: its headline readings (the closest to the paper's words) as
    bullets, each with its verdict, what it assumes and why it is defensible; the other readings
    the same way in a dropdown; then each reading's value in a dropdown. Readings keep the order
    of :attr:`ClaimSpec.readings` (the recorded order for a claim the spec does not know)."""
    readings = c.get("readings") or {}
    if not readings:
        return []
    spec = CLAIMS.get(cid)
    order = [r.id for r in spec.readings if r.id in readings] if spec is not None else []
    order += [rid for rid in readings if rid not in order]
    head = [h for h in c.get("headline") or [] if h in readings]
    rest = [rid for rid in order if rid not in head]
    lines = ["", "Readings (headline: the closest to the paper's words):", ""]
    lines += [_reading_line(rid, readings[rid], True) for rid in head]
    if rest:
        n_hold = sum(bool(readings[rid].get("holds")) for rid in rest)
        what = ("the other reading" if len(rest) == 1 else f"the other {len(rest)} readings")
        lines += ["", f"```{{dropdown}} {what} ({n_hold} {'holds' if n_hold == 1 else 'hold'})",
                  ":class-container: claims-value", ""]
        lines += [_reading_line(rid, readings[rid], False) for rid in rest]
        lines += ["```"]
    lines += ["", "```{dropdown} each reading's value", ":class-container: claims-value", ""]
    lines += [f"- `{rid}` = {_md_escape(format_value(readings[rid].get('value'), depth=1))}"
              for rid in head + rest]
    lines += ["```"]
    return lines


def _claim_cell(cid: str, c: dict) -> list[str]:
    """The "paper vs this build" cell: a nested table, the readings if any, then the full value
    in a dropdown."""
    rows = shown_rows(cid, c.get("value"))
    inner = ["```{list-table}", ":header-rows: 1", ":class: claims-numbers", "",
             "* - quantity", "  - paper", "  - this build", "  - how it is judged"]
    for label, theirs, ours, judged in rows:
        inner += [f"* - {_md_escape(label)}", f"  - {_md_escape(theirs)}",
                  f"  - {_md_escape(ours)}", f"  - {_md_escape(judged)}"]
    inner += ["```"]
    spec = CLAIMS.get(cid)
    if spec is not None and spec.moved:
        inner += ["", f"**What moved.** {_md_escape(spec.moved)}"]
    inner += _readings_list(cid, c)
    inner += ["", "```{dropdown} full value", ":class-container: claims-value", ""]
    inner += _value_items(c.get("value"))
    inner += ["```"]
    return inner


def render_claims_table(claims: dict[str, dict], book_dir: str = "book") -> str:
    """MyST table of the claims, included by the intro page.

    One row per claim: its id, verdict and notebook (first, so the verdict reads at a glance on
    a narrow screen), the paper's statement, and the paper's numbers beside this build's
    (:func:`shown_rows`) with the full value in a dropdown.
    """
    if not claims:
        return (
            "```{note}\nNo claim has been computed yet: no notebook of the book has "
            "recorded one.\n```\n"
        )
    lines = [
        "`````{list-table}",
        ":header-rows: 1",
        ":widths: 12 24 64",
        ":class: claims-table",
        "",
        "* - claim",
        "  - the paper says",
        "  - paper vs this build",
    ]
    for cid, c in claims.items():
        nb = str(c.get("notebook") or "")
        doc = Path(nb).with_suffix("")
        try:
            doc = Path(book_dir) / "executed" / doc.relative_to(book_dir)
            link = f"{{doc}}`{doc.name} </{doc.as_posix()}>`"
        except ValueError:
            link = _md_escape(nb)
        verdict = _badge(c.get("holds"))
        if cid in CLAIMS and CLAIMS[cid].model_check:
            verdict += " (a check of the model, not a claim of the paper)"
        if c.get("headline"):
            verdict += f" (headline: {_md_escape(', '.join(c['headline']))})"
        lines += [f"* - **{_md_escape(cid)}**", "", f"    {verdict}", "", f"    {link}",
                  f"  - {_md_escape(str(c.get('paper', '')))}"]
        cell = _claim_cell(cid, c)
        lines += ["  - " + cell[0]] + _indent(cell[1:], 4)
    return "\n".join(lines) + "\n`````\n"


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


def _reading_problems(cid: str, spec, c: dict) -> list[str]:
    """Print each reading of claim ``cid`` and list where it differs from the record."""
    problems = []
    got = c.get("readings") or {}
    for r in spec.readings:
        entry = got.get(r.id)
        if entry is None:
            problems.append(f"{cid} reading {r.id!r} was not recorded")
            continue
        head = " (headline)" if r.id in spec.headline else ""
        print(f"    reading {r.id}{head}: {'holds' if entry['holds'] else 'DOES NOT HOLD'}  "
              f"{format_value(entry.get('value'))}")
        if bool(entry["holds"]) != r.reproduced:
            now = "now holds" if entry["holds"] else "stopped holding"
            problems.append(f"{cid} reading {r.id!r} {now}, recorded as "
                            f"reproduced={r.reproduced}: re-examine it, then update its record "
                            "in mtjbook/claims/table.py and its page")
    extra = sorted(set(got) - {r.id for r in spec.readings})
    if extra:
        problems.append(f"{cid} recorded readings {extra} that mtjbook.claims.table.CLAIMS does not "
                        "know")
    return problems


def check_claims(path: Path) -> int:
    """Print each claim of ``path`` (``_build/claims.json``) and compare it with the record.

    Returns 1 (CI fails) when a claim of :data:`CLAIMS` is missing, or when a verdict differs from
    its :attr:`ClaimSpec.reproduced`: a claim that stopped reproducing, or a known
    non-reproduction that now holds (a person must re-examine it and update the record and the
    book's text). For a claim with readings the same holds for every reading's verdict against
    its :attr:`Reading.reproduced`. Claims that honestly do not reproduce, as recorded, are
    listed, not failed.
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
            problems.append(f"{cid} is not a claim of mtjbook.claims.table.CLAIMS")
        elif bool(c["holds"]) and not spec.reproduced:
            problems.append(f"{cid} now holds although it is recorded as not reproducing "
                            f"({spec.why_not}): re-examine it, then set reproduced=True in "
                            "mtjbook/claims/table.py and update its page")
        elif not c["holds"] and spec.reproduced:
            problems.append(f"{cid} stopped reproducing")
        elif not c["holds"]:
            print(f"    known non-reproduction: {spec.why_not}")
        if spec is not None:
            problems += _reading_problems(cid, spec, c)
    if problems:
        for p in problems:
            print(f"ERROR: {p}", file=sys.stderr)
        return 1
    n_hold = sum(bool(c["holds"]) for c in claims.values())
    readings = [r for c in claims.values() for r in (c.get("readings") or {}).values()]
    also = (f"; {len(readings)} readings as recorded, {sum(bool(r['holds']) for r in readings)} "
            "hold" if readings else "")
    print(f"all {len(claims)} claims as recorded: {n_hold} hold, "
          f"{len(claims) - n_hold} honestly do not reproduce{also}")
    return 0
