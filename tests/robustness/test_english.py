"""English mode says everything in English: the page frame (flash label, "signed in as",
sign out, footer), error pages, API errors of the boundary, and match reasons.

The catalogue used here is the English one plus the features' fragments, compiled for this
test, exactly what `make translations-update` + scripts/merge_translations.py produce once
the lead has merged; so this test checks that the strings go through the translation layer
and have their English, before and after the merge.
"""

from __future__ import annotations

from bs4 import BeautifulSoup

from marketplace.extensions import db
from marketplace.matching.reasons import CODES, Reason, explain
from tests.conftest import TEST_PASSWORD

DUTCH_FRAME = ["Gelukt", "Ingelogd als", "Uitloggen", "hulp van buren", "Meer over deze",
               "Versie", "Hoofdmenu", "Pagina niet gevonden", "Deze pagina bestaat niet"]


def words(response) -> str:
    return " ".join(BeautifulSoup(response.get_data(as_text=True), "html.parser")
                    .get_text(" ").split())


def test_the_page_frame_and_error_pages_are_english(english_app, make_user):
    email = make_user("resident", name="Riet").email
    db.session.rollback()  # hold no SQLite lock while the other app serves
    client = english_app.test_client()
    assert client.get("/?lang=en").status_code == 200
    signed_in = client.post("/inloggen", data={"email": email, "password": TEST_PASSWORD},
                            follow_redirects=True)
    text = words(signed_in)
    assert "Signed in as Riet" in text and "Sign out" in text and "Done:" in text
    missing = words(client.get("/bestaat-niet"))
    for page in (text, missing):
        found = [word for word in DUTCH_FRAME if word in page]
        assert found == [], f"Dutch in English mode: {found}"


def test_api_errors_of_the_boundary_are_english(english_app, make_user, api_token):
    headers = {**api_token(make_user("resident")), "Accept-Language": "en"}
    db.session.rollback()
    client = english_app.test_client()
    deep = client.post("/api/v1/signals", data="[" * 100 + "]" * 100, headers=headers,
                       content_type="application/json")
    assert "nested too deeply" in deep.get_json()["detail"]
    wrong = client.post("/api/v1/signals", data="[1]", headers=headers,
                        content_type="application/json")
    assert wrong.get_json()["errors"]["body"] == ['Send a JSON object, like {"name": "value"}.']
    service = client.get("/api/v1/arrangements/999", headers=headers)  # NotFound in a service
    assert service.get_json()["detail"] == "This arrangement does not exist."


SAMPLES = {
    "distance": {"km": 2.5}, "has_vog": {}, "load": {"active": 1, "max": 2},
    "continuity": {}, "available": {"slots": ("tue_morning", "mon_evening")},
    "not_available": {}, "speaks": {"language": "tr"}, "does_not_speak": {"language": "ar"},
    "skill_absent": {}, "paused": {}, "at_capacity": {"active": 2, "max": 2},
    "vog_missing": {}, "outside_radius": {"km": 12.5, "radius_km": 10, "pronoun": "haar"},
    "outside_reach": {"km": 6, "reach_km": 5}, "network_can_help": {"relation": "neighbour"},
}
DUTCH_WORDS = {"binnen", "buiten", "heeft", "helpt", "hielp", "beschikbaar", "spreekt",
               "niet", "pauze", "geen", "verder", "kan", "hierbij", "ochtend", "avond",
               "Turks", "Arabisch", "mensen", "persoon", "straal", "bewoner"}


def test_every_match_reason_has_english_without_dutch_words(english_app):
    """One module words the reasons (marketplace.matching.reasons); the English comes from
    the catalogue, like every other string."""
    assert set(SAMPLES) == CODES
    with english_app.app_context():
        for code, params in SAMPLES.items():
            english = explain(Reason.of(code, **params), "en")
            dutch = explain(Reason.of(code, **params), "nl")
            assert english != dutch, code
            assert not set(english.replace(",", " ").split()) & DUTCH_WORDS, english
        assert explain(Reason.of("available", slots=("tue_morning", "mon_evening")), "en") == \
            "available Mon evening, Tue morning"
        assert explain(Reason.of("outside_radius", km=12.5, radius_km=10, pronoun="haar"),
                       "en") == "12.5 km, outside her radius of 10 km"
        assert explain(Reason.of("load", active=2, max=3), "en") == \
            "already helps 2 people (max 3)"


def test_there_is_one_wording_module():
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "marketplace" / "matching"
    assert not (folder / "reasons_en.py").exists()


def test_reasons_follow_the_readers_language(english_app):
    reason = Reason.of("distance", km=2.5)
    with english_app.test_request_context("/?lang=en"):
        assert explain(reason) == "2.5 km, within their radius"
    with english_app.test_request_context("/?lang=nl"):
        assert explain(reason) == "2,5 km, binnen de straal"
    assert explain(reason) == "2,5 km, binnen de straal"  # no request: Dutch (mail, CLI)
