"""Templates translate with the catalogue bound once per render (marketplace/rendering.py):
the same text, escaping and plural forms as Flask-Babel's own callables."""

from __future__ import annotations

from flask import render_template_string
from flask_babel import force_locale, ngettext
from flask_babel import gettext as babel_gettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from marketplace.rendering import bound_translations

PAGE = ("{{ _('Werklijst') }}|{{ _('%(name)s wil helpen', name=who) }}|"
        "{{ ngettext('%(num)d gebruiker gevonden', '%(num)d gebruikers gevonden', n) }}")


def test_english_page_same_as_flask_babel(app):
    with app.test_request_context("/?lang=en"):
        html = render_template_string(PAGE, who="<b>Bea</b>", n=3).split("|")
        assert html[0] == "Worklist"
        # Escaped like Jinja's own new-style gettext: the variable, not the message.
        assert html[1] == Markup(babel_gettext("%(name)s wil helpen")) % {"name": "<b>Bea</b>"}
        assert "&lt;b&gt;Bea&lt;/b&gt;" in html[1]
        assert html[2] == "3 users found" == ngettext(
            "%(num)d gebruiker gevonden", "%(num)d gebruikers gevonden", 3)


def test_dutch_and_forced_locale(app):
    with app.test_request_context("/?lang=nl"):
        assert render_template_string(PAGE, who="Bea", n=1).split("|")[::2] == [
            "Werklijst", "1 gebruiker gevonden"]
        with force_locale("en"):  # a mail in the reader's language inside a request
            assert render_template_string("{{ _('Werklijst') }}") == "Worklist"


def test_outside_a_request_flask_babel_translates(app):
    assert bound_translations() == {}
    assert render_template_string("{{ _('Werklijst') }}") == "Werklijst"


LABELS = {"yes": _l("Ja"), "no": _l("Nee")}


def test_label_tables_are_translated_once_per_locale(app):
    from marketplace.i18n import translated

    with app.test_request_context("/?lang=nl"):
        app.preprocess_request()
        dutch = translated(LABELS)
        assert dutch == {"yes": "Ja", "no": "Nee"}
        assert translated(LABELS) is dutch  # remembered, not translated again
        with force_locale("en"):
            english = translated(LABELS)
        assert english == {"yes": "Yes", "no": "No"} and english is not dutch
        assert all(type(v) is str for v in english.values())
        assert translated(LABELS) is dutch


def test_dateformat_is_flask_babels_and_remembers_the_day(app):
    from datetime import UTC, date, datetime

    from flask_babel import format_date

    from marketplace import rendering

    late = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)  # 1 April in Amsterdam
    with app.test_request_context("/?lang=nl"):
        app.preprocess_request()
        for value in (late, late.replace(tzinfo=None), date(2026, 12, 5)):
            for pattern in ("d MMMM yyyy", None, "short"):
                assert rendering.dateformat(value, pattern) == format_date(value, pattern)
        assert render_template_string("{{ d | dateformat('d MMMM yyyy') }}", d=late) \
            == format_date(late, "d MMMM yyyy")
        assert (date(2026, 4, 1), "d MMMM yyyy", "nl") in rendering._DAYS
        with force_locale("en"):
            assert rendering.dateformat(late, "d MMMM yyyy") == "1 April 2026"
