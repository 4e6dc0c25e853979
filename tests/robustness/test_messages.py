"""Every message a service can raise goes through the translation layer and has English.

Scans the sources (tests/robustness/message_scan.py): no literal in a service error's
message position is left unmarked, and every N_() message is in the English catalogue
(messages.po plus the features' fragments) with the same placeholders. Then the marker and
translator themselves: Dutch where no reader is known, English for an English reader.
"""

from __future__ import annotations

import re
from pathlib import Path

from marketplace.errors import N_, DomainError, ValidationFailed, apply_errors
from marketplace.messages import Message, translate
from tests.robustness.conftest import merged
from tests.robustness.message_scan import error_kinds, marked, sources, unmarked

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def test_no_service_error_message_is_left_unmarked():
    paths = sources(ROOT / "marketplace")
    kinds = error_kinds(paths)
    assert {"LinkExpired", "Throttled", "ValidationFailed"} <= set(kinds)
    found = [f"{path.relative_to(ROOT)}:{node.lineno}" for path in paths
             for node in unmarked(path.read_text(encoding="utf-8"), kinds)]
    assert found == [], "mark these messages with N_() (marketplace.messages):\n" + \
        "\n".join(found)


def test_the_scan_finds_an_unmarked_message():
    """The scan is honest: each shape it knows is caught when a literal is bare."""
    source = '''
def f(errors, x):
    raise DomainError("Dit mag niet.", field="x")
    err("x", "Kies iets.")
    errors["x"] = [f"Hoogstens {x} tekens."]
    errors.setdefault("y", []).append("Vul iets in.")
    raise ValidationFailed({"z": ["Kies z."]})
    raise NotFound(N_("Gemarkeerd."))
'''
    assert sorted(node.lineno for node in unmarked(source)) == [3, 4, 5, 6, 7]


def test_every_marked_message_has_english_with_the_same_placeholders():
    catalogue = merged()
    missing, wrong = [], []
    for path in sources(ROOT / "marketplace"):
        for line, msgid in marked(path.read_text(encoding="utf-8")):
            where = f"{path.relative_to(ROOT)}:{line}"
            message = catalogue.get(msgid)
            if message is None or not message.string:
                missing.append(f"{where} {msgid!r}")
            elif sorted(PLACEHOLDER.findall(msgid)) != sorted(
                    PLACEHOLDER.findall(message.string)):
                wrong.append(f"{where} {msgid!r} -> {message.string!r}")
    assert missing == [], "no English (fragments/*.po):\n" + "\n".join(missing)
    assert wrong == [], "placeholders differ:\n" + "\n".join(wrong)


def test_a_message_with_values_is_dutch_text_that_remembers_its_msgid():
    message = N_("Kies een afstand van %(low)s tot %(high)s km.", low=1, high=25)
    assert isinstance(message, Message) and message == "Kies een afstand van 1 tot 25 km."
    assert message.msgid == "Kies een afstand van %(low)s tot %(high)s km."
    assert N_("Vul een datum in.") == "Vul een datum in." and not isinstance(
        N_("Vul een datum in."), Message)
    assert translate(message) == "Kies een afstand van 1 tot 25 km."  # no reader: Dutch


def test_errors_and_forms_show_the_readers_language(english_app):
    class Field:
        def __init__(self):
            self.errors = []

    class Form:
        def __init__(self):
            self._fields = {"radius_km": Field()}
            self.form_errors = []

    error = ValidationFailed({
        "radius_km": [N_("Kies een afstand van %(low)s tot %(high)s km.", low=1, high=25)],
        "elsewhere": [N_("Vul een datum in.")]})
    with english_app.test_request_context("/?lang=en"):
        form = Form()
        apply_errors(form, error)
        assert form._fields["radius_km"].errors == ["Choose a distance from 1 to 25 km."]
        assert form.form_errors == ["Fill in a date."]
        assert DomainError(N_("Vul een datum in.")).message == "Fill in a date."
        assert error.translated_errors()["elsewhere"] == ["Fill in a date."]
    with english_app.test_request_context("/?lang=nl"):
        assert DomainError(N_("Vul een datum in.")).message == "Vul een datum in."
