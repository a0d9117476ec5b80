"""What a claim of the paper is: :class:`ClaimSpec` (statement, rule, table rows, verdict) and
:class:`Reading` (one defensible interpretation of its words), with the checks of their fields.

The paper's claims themselves are :data:`mtjbook.claims.table.CLAIMS`; recording a computed value
is :func:`mtjbook.claims.record.record_claim`.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from dataclasses import dataclass

#: What a :class:`ClaimSpec` shows beside the paper: ``(label, key path, paper)`` or ``(label,
#: key path, paper, rule)``. The key path names a number of the claim's value, nested keys joined
#: by ``/`` (``"delta_r_ohm/0.8e10"``); ``paper`` is the paper's number, a short text (``"not
#: stated"``) or None (shown as a dash); ``rule``, how the claim's rule judges this number
#: (``"within 2 % of the paper"``, ``"at least 0.2"``, ``"not judged"``).
Shown = tuple  # (str, str, float | int | str | None[, str])

#: How many numbers of a value the table shows when a claim states no ``shown``.
DEFAULT_SHOWN = 3


def _check_text(name: str, value) -> None:
    if not isinstance(value, str) or not value.strip():
        raise TypeError(f"{name}={value!r} must be a non-empty str")


@dataclass(frozen=True)
class Reading:
    """One defensible reading of a claim whose paper text leaves a choice open.

    The paper's supplementary material was never published, so some of its statements (S1's
    "25 different sizes", S3's "fluctuation of the synaptic weights") can be computed under more
    than one honest interpretation. Each is a :class:`Reading`: a configuration of the public
    API that the claim's notebook runs, with its own value and verdict.

    Parameters
    ----------
    id : str
        Short name, unique within the claim (a key of ``claims.json``): letters, digits and
        ``-_/.``.
    assumption : str
        What this reading assumes the paper did (one sentence).
    why : str
        Why it is a defensible reading of the paper's words (one sentence).
    reproduced : bool, optional
        The verdict recorded for this reading at the paper's configuration (default True);
        :func:`mtjbook.claims.report.check_claims` fails when a build's verdict differs.
    part : str, optional
        The statement of the claim this reading reads, for a claim made of several statements
        each read in several ways (S3: ``"fluctuation"``, ``"delay"``, ``"failure"``); empty
        (the default): the whole claim.
    holds : callable, optional
        ``holds(value) -> bool`` for this reading's value; None (the default): the claim's rule.
    """

    id: str
    assumption: str
    why: str
    reproduced: bool = True
    part: str = ""
    holds: Callable[[dict], bool] | None = None

    def __post_init__(self):
        _check_text("id", self.id)
        if not all(ch.isalnum() or ch in "-_/." for ch in self.id):
            raise ValueError(f"id={self.id!r} may only hold letters, digits and -_/.")
        _check_text("assumption", self.assumption)
        _check_text("why", self.why)
        if not isinstance(self.reproduced, bool):
            raise TypeError(f"reproduced={self.reproduced!r} must be a bool")
        if not isinstance(self.part, str):
            raise TypeError(f"part={self.part!r} must be a str")
        if self.holds is not None and not callable(self.holds):
            raise TypeError(f"holds={self.holds!r} must be callable or None")


@dataclass(frozen=True)
class ClaimSpec:
    """A claim of the paper: its statement, the rule deciding "holds", and what the table shows.

    Parameters
    ----------
    paper : str
        The paper's statement (plain text).
    holds : callable
        ``holds(value) -> bool``, the rule deciding whether a computed value reproduces it.
    shown : tuple of (str, str, float or str or None[, str]), optional
        The rows "paper vs this build" of the claims table: a label (with its unit), the key path
        of the number in the value (nested keys joined by ``/``), the paper's number (or a
        short text, or None) and, optionally, how the rule judges this number (the table's
        "holds if" column). Empty (the default): the first :data:`DEFAULT_SHOWN` numbers of the
        value, labelled by their keys, with no paper number. The table adds a row for every
        number the rule reads that ``shown`` leaves out
        (:func:`mtjbook.claims.report.judged_paths`).
    reproduced : bool, optional
        The verdict this repository recorded at the paper's configuration (default True). False
        marks a claim that honestly does not reproduce; its book page says so with the numbers,
        and ``why_not`` says why. :func:`check_claims` (CI) fails whenever a build's verdict
        differs from it: a claim that stops reproducing is a regression, and one that starts
        reproducing must be re-examined (and this flag and the page's text changed) by a person.
    why_not : str, optional
        Required when ``reproduced`` is False: one sentence on why the claim does not reproduce.
    readings : tuple of Reading, optional
        The defensible readings of a claim whose paper text leaves a choice open (empty: one
        reading, the claim's value). Each is recorded with its own value and verdict.
    headline : tuple of str, optional
        Ids of the readings closest to the paper's words, one per ``part`` (chosen by an argument
        written on the claim's page, never by which holds). Required with ``readings``. The
        claim's verdict is that of its headline readings (all must hold), so ``reproduced``
        must equal the conjunction of their recorded verdicts.
    model_check : bool, optional
        True for a row that checks the book's own model (the macrospin against micromagnetics)
        rather than a claim of the paper; the table says so beside its id (default False).
    moved : str, optional
        Why this claim's numbers moved at the last change of its method (which change, what it
        did), shown under its numbers. No measured number belongs here: the numbers before and
        after are rows of ``shown``, the old method run as a control by the same build. Empty:
        nothing moved.
    """

    paper: str
    holds: Callable[[dict], bool]
    shown: tuple[Shown, ...] = ()
    reproduced: bool = True
    why_not: str = ""
    readings: tuple[Reading, ...] = ()
    headline: tuple[str, ...] = ()
    model_check: bool = False
    moved: str = ""

    def __post_init__(self):
        if not isinstance(self.paper, str) or not self.paper:
            raise TypeError(f"paper={self.paper!r} must be a non-empty str")
        if not callable(self.holds):
            raise TypeError(f"holds={self.holds!r} must be callable")
        if not isinstance(self.shown, tuple):
            raise TypeError(f"shown={self.shown!r} must be a tuple of (label, key path, paper)")
        for item in self.shown:
            if not (isinstance(item, tuple) and len(item) in (3, 4) and isinstance(item[0], str)
                    and isinstance(item[1], str) and item[1]
                    and (item[2] is None or isinstance(item[2], (str, numbers.Real)))
                    and (len(item) == 3 or (isinstance(item[3], str) and item[3].strip()))):
                raise ValueError(
                    f"shown item {item!r} must be (label: str, key path: str, "
                    "paper: number, str or None[, rule: non-empty str])"
                )
        if not isinstance(self.reproduced, bool):
            raise TypeError(f"reproduced={self.reproduced!r} must be a bool")
        if not isinstance(self.why_not, str):
            raise TypeError(f"why_not={self.why_not!r} must be a str")
        if not isinstance(self.model_check, bool):
            raise TypeError(f"model_check={self.model_check!r} must be a bool")
        if not isinstance(self.moved, str):
            raise TypeError(f"moved={self.moved!r} must be a str")
        if self.reproduced == bool(self.why_not):
            raise ValueError(
                f"why_not={self.why_not!r}: give a reason exactly when reproduced=False "
                f"(reproduced={self.reproduced!r})"
            )
        self._check_readings()

    def _check_readings(self) -> None:
        if not isinstance(self.readings, tuple) or not all(
                isinstance(r, Reading) for r in self.readings):
            raise TypeError(f"readings={self.readings!r:.80} must be a tuple of Reading")
        if not isinstance(self.headline, tuple) or not all(
                isinstance(h, str) for h in self.headline):
            raise TypeError(f"headline={self.headline!r} must be a tuple of reading ids")
        if not self.readings:
            if self.headline:
                raise ValueError(f"headline={self.headline!r} names readings, but the claim has "
                                 "none")
            return
        by_id = {r.id: r for r in self.readings}
        if len(by_id) != len(self.readings):
            raise ValueError(f"reading ids must be unique, got {[r.id for r in self.readings]}")
        unknown = [h for h in self.headline if h not in by_id]
        if unknown:
            raise ValueError(f"headline={self.headline!r}: {unknown} are not reading ids "
                             f"({sorted(by_id)})")
        parts = sorted({r.part for r in self.readings})
        heads = sorted(by_id[h].part for h in self.headline)
        if heads != parts:
            raise ValueError(f"headline={self.headline!r} must name exactly one reading per part "
                             f"{parts}; its parts are {heads}")
        recorded = all(by_id[h].reproduced for h in self.headline)
        if self.reproduced != recorded:
            raise ValueError(f"reproduced={self.reproduced!r} must be the recorded verdict of the "
                             f"headline readings {self.headline} ({recorded})")

    def reading(self, reading_id: str) -> Reading:
        """The reading called ``reading_id`` (KeyError naming the known ids)."""
        for r in self.readings:
            if r.id == reading_id:
                return r
        raise KeyError(f"reading {reading_id!r} is not one of {[r.id for r in self.readings]}")
