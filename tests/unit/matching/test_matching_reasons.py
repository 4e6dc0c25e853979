"""The Dutch formatter: every code has a sentence, distances use a decimal comma."""

import pytest

from marketplace.matching.reasons import CODES, Reason, day_part_nl, explain, format_km


@pytest.mark.parametrize(("km", "text"), [(0.5, "0,5"), (2.5, "2,5"), (3.0, "3"), (12.0, "12")])
def test_format_km(km, text):
    assert format_km(km) == text


def test_day_parts():
    assert day_part_nl("tue_morning") == "di-ochtend"
    assert day_part_nl("sun_evening") == "zo-avond"
    assert explain(Reason.of("available", slots=("fri_afternoon", "mon_morning"))) == (
        "beschikbaar ma-ochtend, vr-middag")


@pytest.mark.parametrize(("reason", "text"), [
    (Reason.of("distance", km=2.5, pronoun="haar"), "2,5 km, binnen haar straal"),
    (Reason.of("distance", km=1.0, pronoun="zijn"), "1 km, binnen zijn straal"),
    (Reason.of("distance", km=1.0, pronoun=None), "1 km, binnen de straal"),
    (Reason.of("has_vog"), "heeft VOG"),
    (Reason.of("load", active=2, max=3), "helpt al 2 mensen (max 3)"),
    (Reason.of("load", active=1, max=3), "helpt al 1 persoon (max 3)"),
    (Reason.of("load", active=0, max=1), "helpt nu niemand (max 1)"),
    (Reason.of("continuity"), "hielp deze bewoner eerder"),
    (Reason.of("speaks", language="tr"), "spreekt Turks"),
    (Reason.of("does_not_speak", language="xx"), "spreekt geen xx"),
    (Reason.of("outside_reach", km=6.5, reach_km=5.0), "6,5 km, verder dan de gevraagde 5 km"),
    (Reason.of("vog_missing"), "geen geldige VOG, en die is hier nodig"),
])
def test_sentences(reason, text):
    assert explain(reason) == text
    assert reason.text() == text


def test_reasons_are_code_param_pairs_and_read_only():
    reason = Reason.of("load", active=1, max=2)
    code, params = reason
    assert code == "load" and dict(params) == {"active": 1, "max": 2}
    with pytest.raises(TypeError):
        params["active"] = 5  # type: ignore[index]


def test_unknown_code_is_a_bug():
    assert "distance" in CODES
    with pytest.raises(KeyError):
        explain(Reason.of("charm"))
