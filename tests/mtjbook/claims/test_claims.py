"""The claims table: number formatting by significance, "paper vs this build" rows, the table."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mtjbook.claims import record as C
from mtjbook.claims import report as R
from mtjbook.claims import spec as S
from mtjbook.claims import table as T


@pytest.mark.parametrize(
    ("x", "text"),
    [
        (0.001, "0.001"),  # not 0.001000
        (0.87, "0.87"),  # not 0.8700
        (0.123456789, "0.1235"),
        (113.97, "114"),  # four significant digits, trailing zero dropped
        (113.94, "113.9"),
        (9.99996, "10"),  # rounding carries into a new digit: still 4 significant digits
        (-0.5, "-0.5"),
        (11050.3, "11050"),  # integer digits are never rounded away
        (123456.7, "123457"),
        (0.0003076932, "3.077e-4"),  # below 1e-3: exponent form
        (8.3292e10, "8.329e10"),
        (1e10, "1e10"),
        (-1.5e-5, "-1.5e-5"),
        (0.0, "0"),
        (-0.0, "0"),
        (3, "3"),
        (np.int64(40), "40"),
        (np.float64(0.25), "0.25"),
        (True, "yes"),
        (False, "no"),
        ("lookup", "lookup"),
        (math.inf, "inf"),
    ],
)
def test_format_number(x, text):
    assert R.format_number(x) == text


def test_format_number_nan_and_digits():
    assert R.format_number(math.nan) == "nan"
    assert R.format_number(math.pi, digits=2) == "3.1"
    assert R.format_number(math.pi, digits=1) == "3"
    assert R.format_number(2.0 / 3.0e-7, digits=3) == "6.67e6"
    with pytest.raises(ValueError, match=r"digits=0 .*\[1, inf\)"):
        R.format_number(1.0, digits=0)
    with pytest.raises(TypeError, match="digits=2.5"):
        R.format_number(1.0, digits=2.5)


def test_format_value_nested():
    assert R.format_value({"a": [1.0, 2.5], "b": {"c": 1e10}}) == "a = [1, 2.5]; b = (c = 1e10)"


def test_value_at():
    v = {"delta_r_ohm": {"0.8e10": 114.04}, "n": 3}
    assert R.value_at(v, "delta_r_ohm/0.8e10") == 114.04  # keys may contain dots
    assert R.value_at(v, "n") == 3
    with pytest.raises(KeyError, match="'delta_r_ohm/1.0e10'"):
        R.value_at(v, "delta_r_ohm/1.0e10")


def test_shown_rows_of_a_spec_put_the_paper_beside_ours():
    v = {"delta_r_ohm": {"0.8e10": 113.97, "1.0e10": 145.02}, "r0_ohm": 11050.0,
         "monotone": True, "max_delta_r_over_r0": 0.2131}
    rows = R.shown_rows("F1d", v)
    assert rows[0] == ("ΔR at 0.8e10 A/m², Ω", "114", "114", "within 2 % of the paper")
    assert rows[1] == ("ΔR at 1.0e10 A/m², Ω", "145", "145", "within 2 % of the paper")
    assert ("R0, Ω", "11050", "11050", "within 0.1 % of the paper") in rows
    assert ("monotone", "yes", "yes", "yes") in rows


def test_f1d_shows_every_quantity_its_rule_judges_and_how():
    """Issue 33: the F1d row showed "largest ΔR/R0: paper 0.2, this build 0.40" under "holds"
    with nothing saying that the rule asks for at least 0.2 (the paper's "can be increased up to
    20 %"); and it left out "nonlinear", which the rule judges."""
    v = {"delta_r_ohm": {"0.8e10": 114.1, "1.0e10": 144.9}, "r0_ohm": 11050.0,
         "monotone": True, "nonlinear": True, "f_at_half": 0.49,
         "max_delta_r_over_r0": 0.40, "j_first_20pct_a_per_m2": 1.6e10}
    rows = {label: (paper, ours, judged) for label, paper, ours, judged in R.shown_rows("F1d", v)}
    ratio = rows["largest ΔR/R0 over the inset's currents"]
    assert ratio[0] == "can reach 0.2" and ratio[1] == "0.4"
    assert ratio[2].startswith("at least 0.2")
    assert rows["nonlinear"] == ("yes", "yes", "yes")
    # every number the rule reads is a row of the table, none added as an unlabelled extra
    judged = R.judged_paths("F1d", v)
    assert set(judged) == {"delta_r_ohm/0.8e10", "delta_r_ohm/1.0e10", "r0_ohm", "monotone",
                           "nonlinear", "max_delta_r_over_r0"}
    assert {item[1] for item in C.CLAIMS["F1d"].shown} >= set(judged)
    assert all(how != R.READ_BY_RULE for _, _, how in rows.values())
    # the tolerance in the text is the one the rule uses
    tol = T.TOLERANCES["delta_r_rel"]
    assert C.CLAIMS["F1d"].shown[0][3] == f"within {100 * tol:g} % of the paper"


def test_a_number_the_rule_reads_but_shown_leaves_out_gets_a_row(monkeypatch):
    def rule(v):
        return v["a"] > 0 and v["b"]["c"] < 1 and v["d"] > 0

    monkeypatch.setitem(C.CLAIMS, "X9", C.ClaimSpec("p", rule, (("A", "a", 1.0, "positive"),)))
    rows = R.shown_rows("X9", {"a": 2.0, "b": {"c": 0.5}, "d": 3, "e": 9})
    assert rows[0] == ("A", "1", "2", "positive; off the paper by +100 %")
    assert rows[1:] == [("b/c", "–", "0.5", R.READ_BY_RULE), ("d", "–", "3", R.READ_BY_RULE)]
    # a rule that stops at its first failed test read only what decided the verdict
    assert R.judged_paths("X9", {"a": -1.0, "b": {"c": 0.5}, "d": 3}) == ["a"]
    # a value the claim's own rule cannot judge (a claim with readings) adds nothing
    assert R.judged_paths("X9", {"x": 1}) == []
    assert R.judged_paths("unknown", {"a": 1}) == []


def test_comparison_says_how_two_different_numbers_compare():
    assert R.comparison(45.0, 45.3, None) == "off the paper by +0.67 %"
    assert R.comparison(0.2, 0.4, "at least 0.2") == "at least 0.2; off the paper by +100 %"
    assert R.comparison(114.0, 113.97, "within 2 %") == "within 2 %"  # they look the same
    assert R.comparison(100, 97, None) == "off the paper by -3 %"
    assert R.comparison("sustains", 0.05, None) == "–"
    assert R.comparison(None, 0.05, "not judged") == "not judged"
    assert R.comparison(1.0, math.nan, None) == "–"


def test_shown_rows_default_first_numbers(monkeypatch):
    """A claim without ``shown`` (others add them) shows its first numbers, no paper number."""
    monkeypatch.setitem(C.CLAIMS, "X9", C.ClaimSpec("a new claim", lambda v: True))
    v = {"method": "lookup", "ok": True, "a": 0.5, "b": {"c": 2, "d": 1e-5}, "e": 7.0}
    assert R.shown_rows("X9", v) == [("a", "–", "0.5", "–"), ("b/c", "–", "2", "–"),
                                     ("b/d", "–", "1e-5", "–")]
    assert R.shown_rows("unknown", 0.25) == [("value", "–", "0.25", "–")]


def test_shown_rows_missing_key_is_visible(monkeypatch):
    monkeypatch.setitem(C.CLAIMS, "X9", C.ClaimSpec("p", lambda v: True, (("z", "nope", 1.0),)))
    assert R.shown_rows("X9", {"a": 1}) == [("z", "1", "missing", "–")]


def test_claim_spec_validates_shown():
    C.ClaimSpec("p", lambda v: True)  # positional (paper, holds) still works
    C.ClaimSpec("p", lambda v: True, (("label", "key", 1.0, "at least 1"),))
    with pytest.raises(ValueError, match="shown item"):
        C.ClaimSpec("p", lambda v: True, (("label", "key"),))
    with pytest.raises(ValueError, match="rule: non-empty str"):
        C.ClaimSpec("p", lambda v: True, (("label", "key", 1.0, " "),))
    with pytest.raises(TypeError, match="shown="):
        C.ClaimSpec("p", lambda v: True, [("label", "key", 1.0)])
    with pytest.raises(TypeError, match="holds="):
        C.ClaimSpec("p", None)


def test_every_spec_shows_keys_its_rule_reads():
    """Each ``shown`` key path of a spec names a number the notebooks record (known keys)."""
    recorded = {
        "F1c": {"j_a_per_m2", "delta_r_ohm", "n_maxima", "precession_ghz", "first_swing_ohm",
                "last_swing_ohm"},
        "F1d": {"delta_r_ohm", "r0_ohm", "monotone", "nonlinear", "f_at_half",
                "max_delta_r_over_r0", "j_first_20pct_a_per_m2"},
        "F2a": {"free_run_nrmse", "period_ns", "target_period_ns", "n_mtj", "success_rate",
                "success_rate_phase_free", "success_rate_exponential"},
        "F2b": {"free_run_nrmse", "period_ns", "target_period_ns", "n_mtj", "success_rate",
                "success_rate_phase_free", "success_rate_exponential"},
        "F4": {"correct_windows", "n_test", "noise", "mean_accuracy", "accuracy"},
        "S1": {"success_rate_identical", "success_rate_sizes", "median_nrmse_ratio", "spread",
               "llg_max_df", "n_mtj", "k_sizes", "kind", "fixed_ra", "n_seeds", "seeds",
               "success_rate_identical_exponential", "success_rate_sizes_exponential",
               "median_nrmse_ratio_exponential"},
        "S3": {"success_fluctuation", "success_delay", "success_failure", "n_seeds", "seeds",
               "ideal_success", "claim_sigma", "claim_delay_steps", "claim_fail",
               "regularisation"},
    }
    for cid, keys in recorded.items():
        assert C.CLAIMS[cid].shown, cid
        for item in C.CLAIMS[cid].shown:
            assert item[1].split("/")[0] in keys, (cid, item[1])


def test_table_one_row_per_claim_with_dropdown():
    claims = {
        "F1d": {"paper": "a | claim", "value": {"delta_r_ohm": {"0.8e10": 114.04}, "n": 3},
                "holds": True, "notebook": "book/fig1_neuron.ipynb"},
        "F4": {"paper": "b", "value": {"correct_windows": 97, "n_test": 100},
               "holds": False, "notebook": "book/fig4_recognition.ipynb"},
    }
    table = R.render_claims_table(claims)
    assert table.startswith("`````{list-table}") and table.endswith("`````\n")
    rows = [line for line in table.splitlines() if line.startswith("* - ")]
    assert len(rows) == 1 + len(claims)  # the header and one row per claim
    assert table.count("{dropdown} full value") == 2
    assert "a \\| claim" in table  # a pipe in a statement does not split the cell
    assert "</book/executed/fig1_neuron>" in table
    # the verdict sits in the first column, under the claim's id
    assert "* - **F4**\n\n    {bdg-danger}`does NOT hold`\n" in table
    assert "{bdg-success}`holds`\n" in table
    assert "- `delta_r_ohm` = (0.8e10 = 114)" in table and "- `n` = 3" in table  # full value
    assert "      - 97\n" in table  # F4's "this build" column
    assert "  - how it is judged" in table
    assert "0.8700" not in table and "0.001000" not in table


def test_a_claim_whose_method_changed_says_what_moved():
    """A spec's ``moved`` text is shown under its numbers (F2a's: the trainer of issue 29), the
    old method's rows are among its numbers, and a claim without it shows none."""
    value = {"free_run_nrmse": 0.01, "period_ns": 45.0, "target_period_ns": 45.0, "n_mtj": 40,
             "success_rate": 0.9, "success_rate_phase_free": 1.0,
             "success_rate_exponential": 1.0}
    table = R.render_claims_table({
        "F2a": {"paper": "p", "value": value, "holds": True,
                "notebook": "book/fig2_force.ipynb"},
        "F4": {"paper": "b", "value": {"correct_windows": 100, "n_test": 100},
               "holds": True, "notebook": "book/fig4_recognition.ipynb"}})
    assert table.count("**What moved.**") == 1
    assert "issue 29 replaced the book" in table
    assert "old trainer (exponential forgetting)" in table
    with pytest.raises(TypeError, match="moved="):
        S.ClaimSpec("p", lambda v: True, moved=None)


def test_empty_claims_table():
    assert "No claim" in R.render_claims_table({})


def _claims_json(tmp_path, verdicts):
    """A claims.json with one entry per claim of ``verdicts`` ({id: holds})."""
    import json

    data = {cid: {"paper": C.CLAIMS[cid].paper, "value": {"x": 1.0}, "holds": holds,
                  "notebook": "book/x.ipynb"} for cid, holds in verdicts.items()}
    for cid, entry in data.items():  # a claim with readings: each as recorded
        spec = C.CLAIMS.get(cid)
        if spec is not None and spec.readings:
            entry["headline"] = list(spec.headline)
            entry["readings"] = {r.id: {"holds": r.reproduced, "value": {"x": 1.0}}
                                 for r in spec.readings}
    path = tmp_path / "claims.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_check_claims_passes_when_verdicts_are_as_recorded(tmp_path, capsys):
    path = _claims_json(tmp_path, {cid: s.reproduced for cid, s in C.CLAIMS.items()})
    assert R.check_claims(path) == 0
    out = capsys.readouterr().out
    for cid, spec in C.CLAIMS.items():
        if not spec.reproduced:
            assert f"{cid}: DOES NOT HOLD" in out and spec.why_not in out


def test_check_claims_fails_on_a_regression(tmp_path, capsys):
    held = [cid for cid, s in C.CLAIMS.items() if s.reproduced]
    verdicts = {cid: s.reproduced for cid, s in C.CLAIMS.items()}
    verdicts[held[0]] = False
    assert R.check_claims(_claims_json(tmp_path, verdicts)) == 1
    assert f"{held[0]} stopped reproducing" in capsys.readouterr().err


def test_check_claims_fails_when_a_known_non_reproduction_holds(tmp_path, capsys, monkeypatch):
    spec = C.ClaimSpec("a statement", lambda v: True, reproduced=False, why_not="a reason")
    monkeypatch.setitem(C.CLAIMS, "F1c", spec)
    verdicts = {cid: s.reproduced for cid, s in C.CLAIMS.items()}
    verdicts["F1c"] = True
    assert R.check_claims(_claims_json(tmp_path, verdicts)) == 1
    assert "F1c now holds" in capsys.readouterr().err


def test_check_claims_fails_on_a_missing_claim_or_file(tmp_path, capsys):
    verdicts = {cid: s.reproduced for cid, s in C.CLAIMS.items()}
    missing = min(verdicts)
    del verdicts[missing]
    assert R.check_claims(_claims_json(tmp_path, verdicts)) == 1
    assert f"{missing} was not recorded" in capsys.readouterr().err
    assert R.check_claims(tmp_path / "absent.json") == 1


def test_claim_spec_needs_a_reason_exactly_when_not_reproduced():
    with pytest.raises(ValueError, match="why_not"):
        C.ClaimSpec("s", lambda v: True, reproduced=False)
    with pytest.raises(ValueError, match="why_not"):
        C.ClaimSpec("s", lambda v: True, why_not="a reason")
    with pytest.raises(TypeError, match="reproduced"):
        C.ClaimSpec("s", lambda v: True, reproduced=1, why_not="x")


# Readings: a claim computed under several defensible readings of the paper's words -----------

def _spec_with_readings(reproduced=(False, True), headline=("a",), **kw):
    readings = (S.Reading("a", "assumes A", "A is defensible", reproduced=reproduced[0]),
                S.Reading("b", "assumes B", "B is defensible", reproduced=reproduced[1]))
    recorded = all(r.reproduced for r in readings if r.id in headline)
    return C.ClaimSpec("a statement", lambda v: v["x"] > 0, readings=readings, headline=headline,
                       reproduced=recorded, why_not="" if recorded else "A fails", **kw)


def test_reading_and_spec_validate():
    with pytest.raises(TypeError, match="assumption"):
        S.Reading("a", "", "why")
    with pytest.raises(ValueError, match="id="):
        S.Reading("a b", "x", "y")
    with pytest.raises(TypeError, match="reproduced"):
        S.Reading("a", "x", "y", reproduced="no")
    r = (S.Reading("a", "x", "y"), S.Reading("b", "x", "y"))
    with pytest.raises(ValueError, match="headline"):
        C.ClaimSpec("p", lambda v: True, readings=r, headline=("c",))
    with pytest.raises(ValueError, match="one reading per part"):
        C.ClaimSpec("p", lambda v: True, readings=r, headline=())
    with pytest.raises(ValueError, match="one reading per part"):
        C.ClaimSpec("p", lambda v: True, readings=r, headline=("a", "b"))
    with pytest.raises(ValueError, match="unique"):
        C.ClaimSpec("p", lambda v: True, readings=(r[0], r[0]), headline=("a",))
    with pytest.raises(ValueError, match="names readings"):
        C.ClaimSpec("p", lambda v: True, headline=("a",))
    # the claim's record must be its headline's
    bad = (S.Reading("a", "x", "y", reproduced=False), r[1])
    with pytest.raises(ValueError, match="headline readings"):
        C.ClaimSpec("p", lambda v: True, readings=bad, headline=("a",))
    # parts: one headline per part
    parts = (S.Reading("f1", "x", "y", part="f"), S.Reading("f2", "x", "y", part="f"),
             S.Reading("d1", "x", "y", part="d"))
    C.ClaimSpec("p", lambda v: True, readings=parts, headline=("f2", "d1"))
    with pytest.raises(ValueError, match="one reading per part"):
        C.ClaimSpec("p", lambda v: True, readings=parts, headline=("f1", "f2"))
    assert _spec_with_readings().reading("b").why == "B is defensible"
    with pytest.raises(KeyError, match="'c'"):
        _spec_with_readings().reading("c")


def test_record_claim_with_readings(tmp_path, monkeypatch):
    """Each reading is decided by its rule; the claim's verdict is its headline's, whichever
    reading holds; values per reading are required exactly for a claim with readings."""
    monkeypatch.setenv(C.CLAIMS_DIR_ENV, str(tmp_path))
    monkeypatch.setitem(C.CLAIMS, "X9", _spec_with_readings())
    entry = C.record_claim("X9", {"shared": 1}, "book/x.ipynb",
                           readings={"a": {"x": -1.0}, "b": {"x": 2.0}})
    assert entry["holds"] is False  # the headline "a" does not hold, although "b" does
    assert entry["headline"] == ["a"]
    assert entry["readings"]["a"]["holds"] is False and entry["readings"]["b"]["holds"] is True
    assert entry["readings"]["b"]["why"] == "B is defensible"
    assert entry["readings"]["a"]["value"] == {"x": -1.0}
    import json

    assert json.loads((tmp_path / "X9.json").read_text()) == entry
    with pytest.raises(ValueError, match="missing \\['b'\\]"):
        C.record_claim("X9", {}, "nb", readings={"a": {"x": 1.0}})
    with pytest.raises(TypeError, match="readings="):
        C.record_claim("X9", {"x": 1.0}, "nb")
    with pytest.raises(ValueError, match="has no readings"):
        C.record_claim("F1c", {"x": 1.0}, "nb", readings={"a": {}})
    # a reading's own rule
    own = (S.Reading("a", "x", "y", holds=lambda v: v["y"] == 3), S.Reading("b", "x", "y"))
    monkeypatch.setitem(C.CLAIMS, "X9", C.ClaimSpec("p", lambda v: v["x"] > 0, readings=own,
                                                    headline=("a",)))
    e = C.record_claim("X9", {}, "nb", readings={"a": {"y": 3}, "b": {"x": 1.0}})
    assert e["holds"] is True and e["readings"]["b"]["holds"] is True


def test_claim_without_readings_records_as_before(tmp_path, monkeypatch):
    monkeypatch.setenv(C.CLAIMS_DIR_ENV, str(tmp_path))
    value = {"n_maxima": 3, "first_swing_ohm": 300.0, "last_swing_ohm": 130.0}
    entry = C.record_claim("F1c", value, "book/fig1_neuron.ipynb")
    assert set(entry) == {"paper", "value", "holds", "notebook"}


def test_merge_table_and_check_with_readings(tmp_path, capsys, monkeypatch):
    """claims.json keeps every reading; the table shows the headline and lists the readings;
    check_claims fails when any reading's verdict differs from its record."""
    monkeypatch.setenv(C.CLAIMS_DIR_ENV, str(tmp_path / "claims"))
    monkeypatch.setitem(C.CLAIMS, "X9", _spec_with_readings())
    entry = C.record_claim("X9", {"shared": 1}, "book/x.ipynb",
                           readings={"a": {"x": -1.0}, "b": {"x": 2.0}})
    # the record the runner keeps in the executed copy is what the kernel wrote (claims_of)
    recorded = R.claims_of(tmp_path / "claims", "book/x.ipynb")
    merged = R.merge_claims(tmp_path / "claims", {"book/x.ipynb": recorded})
    assert merged["X9"]["readings"] == entry["readings"]
    assert merged["X9"]["headline"] == ["a"]
    table = R.render_claims_table(merged)
    assert "(headline: a)" in table
    assert "**a** (headline) {bdg-danger}`does NOT hold`: assumes assumes A" in table
    assert "A is defensible" in table and "B is defensible" in table
    assert "{dropdown} the other reading (1 holds)" in table
    assert table.index("**a** (headline)") < table.index("- **b** {bdg-success}`holds`")
    assert "{dropdown} each reading's value" in table
    # as recorded: passes, and lists the readings
    verdicts = {cid: s.reproduced for cid, s in C.CLAIMS.items() if cid != "X9"}
    path = _claims_json(tmp_path, verdicts)
    import json

    data = json.loads(path.read_text())
    data["X9"] = merged["X9"]
    path.write_text(json.dumps(data))
    assert R.check_claims(path) == 0
    out = capsys.readouterr().out
    assert "reading a (headline): DOES NOT HOLD" in out and "reading b: holds" in out
    # a reading whose verdict changed fails CI, though the headline verdict did not change
    data["X9"]["readings"]["b"]["holds"] = False
    path.write_text(json.dumps(data))
    assert R.check_claims(path) == 1
    assert "X9 reading 'b' stopped holding" in capsys.readouterr().err
    data["X9"]["readings"]["b"]["holds"] = True
    data["X9"]["readings"]["a"]["holds"] = True
    path.write_text(json.dumps(data))
    assert R.check_claims(path) == 1
    assert "X9 reading 'a' now holds" in capsys.readouterr().err
    del data["X9"]["readings"]["a"]
    path.write_text(json.dumps(data))
    assert R.check_claims(path) == 1
    assert "X9 reading 'a' was not recorded" in capsys.readouterr().err


def test_readings_in_the_table_keep_the_spec_order(monkeypatch):
    """claims.json sorts its keys; the table lists the headline, then the spec's order."""
    readings = tuple(S.Reading(x, f"assumes {x}", f"why {x}") for x in ("z", "b", "m"))
    monkeypatch.setitem(C.CLAIMS, "X9", C.ClaimSpec("p", lambda v: True, readings=readings,
                                                    headline=("m",)))
    entry = {"paper": "p", "value": {}, "holds": True, "notebook": "book/x.ipynb",
             "headline": ["m"],
             "readings": {x: {"assumption": f"assumes {x}", "why": f"why {x}", "part": "",
                              "value": {}, "holds": True} for x in ("b", "m", "z")}}
    table = R.render_claims_table({"X9": entry})
    assert table.index("**m** (headline)") < table.index("**z**") < table.index("**b**")


def test_f3_readings_are_the_librarys_and_its_rule_counts_seeds():
    """Claim F3's readings are mtjlib.studies.fig3_readings' (same ids), its headline is the
    trigger before each drawn period, and its rule judges a reading's value on at least
    f3_min_seeds seeds: the Fig. 3 page marks a reading run on fewer as not judged."""
    from mtjlib.studies.fig3_readings import READING_FIELDS

    spec = T.CLAIMS["F3"]
    assert spec.readings == T.F3_READINGS
    assert {r.id for r in spec.readings} == set(READING_FIELDS)
    assert spec.headline == ("before",)
    head = next(r for r in spec.readings if r.id == "before")
    assert spec.reproduced == head.reproduced
    lim, n_min = T.TOLERANCES["f3_error_max"], T.TOLERANCES["f3_min_seeds"]
    need = math.ceil(T.TOLERANCES["f3_seed_fraction_min"] * n_min)
    ok = {"error": lim, "n_seeds": n_min, "n_seeds_ok": need}
    assert spec.holds(ok)
    assert not spec.holds(ok | {"error": lim * 1.001})  # the first seed above the limit
    assert not spec.holds(ok | {"n_seeds_ok": need - 1})
    # every seed of a short run within the limit: still not enough seeds to judge
    assert not spec.holds({"error": 0.5 * lim, "n_seeds": n_min - 1, "n_seeds_ok": n_min - 1})
