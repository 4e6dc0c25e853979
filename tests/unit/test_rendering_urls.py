"""Templates build URLs from a pattern per request (marketplace/rendering.url_for): every
URL must be the one Flask's own url_for builds, for every endpoint of the app."""

from __future__ import annotations

import pytest
from flask import render_template_string
from flask import url_for as flask_url_for
from werkzeug.routing import BuildError, IntegerConverter

from marketplace.rendering import url_for


def _arguments(rule) -> dict[str, object]:
    """Numbers for every number in the rule, a word for the rest."""
    values: dict[str, object] = {}
    for name, converter in rule._converters.items():
        values[name] = 7 if isinstance(converter, IntegerConverter) else "abc"
    return values


def test_every_endpoint_same_url_as_flask(app):
    checked = 0
    with app.test_request_context("/"):
        for rule in app.url_map.iter_rules():
            if rule.endpoint == "static":
                continue
            args = _arguments(rule)
            try:
                expected = flask_url_for(rule.endpoint, **args)
            except BuildError:
                continue
            for number in (1, 42, 2**31 - 1):  # several ids through one pattern
                ints = {k: (number if v == 7 else v) for k, v in args.items()}
                assert url_for(rule.endpoint, **ints) == flask_url_for(rule.endpoint, **ints)
            assert url_for(rule.endpoint, **args) == expected
            checked += 1
    assert checked > 50  # the app's endpoints, not a handful


def test_query_arguments_anchors_and_odd_values(app):
    with app.test_request_context("/"):
        cases = [
            ("worker.transfer", {"request_id": 5, "terug": "werklijst"}),
            ("worker.transfer", {"request_id": 6, "terug": "mijn-zaken"}),
            ("worker.worklist", {"nieuw_na": 12, "_anchor": "nieuw"}),
            ("worker.worklist", {"nieuw_na": 13, "_anchor": "nieuw"}),
            ("worker.worklist", {"nieuw_na": 12, "lang_open_na": 120}),  # two numbers
            ("worker.worklist", {"nieuw_na": 120, "lang_open_na": 12}),
            ("worker.worklist", {"nieuw_na": -3}),  # not a stand-in: Flask builds it
            ("worker.worklist", {"vlag": True}),  # a bool is not a number here
            ("worker.worklist", {"soort": ["a", "b"]}),  # a list: unhashable, Flask builds it
            ("help_requests.detail", {"request_id": 9, "_external": True}),
        ]
        for endpoint, values in cases:
            assert url_for(endpoint, **values) == flask_url_for(endpoint, **values), values


def test_errors_are_flasks(app):
    with app.test_request_context("/"):
        with pytest.raises(BuildError):
            url_for("help_requests.detail")  # a missing argument
        with pytest.raises(BuildError):
            url_for("no.such.endpoint", request_id=1)


def test_templates_use_it_and_a_script_root_counts(app):
    page = "{{ url_for('help_requests.detail', request_id=n) }}"
    with app.test_request_context("/", base_url="http://localhost/buurt"):
        assert render_template_string(page, n=3) == "/buurt/hulpvragen/3"
        assert render_template_string(page, n=4) == "/buurt/hulpvragen/4"
    with app.test_request_context("/"):  # another request: its own patterns
        assert render_template_string(page, n=3) == "/hulpvragen/3"
    assert app.jinja_env.globals["url_for"] is url_for


def test_urls_without_numbers_are_kept_per_app_and_script_root(app):
    """The menu's and header's URLs are built once per app; a script root, a query text,
    `_external` and a blueprint-relative endpoint still give what Flask gives."""
    kept = app.extensions["buurtmakelaar.fixed_urls"]
    kept.clear()
    with app.test_request_context("/", base_url="http://localhost/buurt"):
        assert url_for("worker.worklist") == "/buurt/werk/"
        assert url_for("static", filename="css/app.css") == flask_url_for(
            "static", filename="css/app.css")
        assert url_for("help_requests.new", categorie="garden") == flask_url_for(
            "help_requests.new", categorie="garden")
    assert len(kept) == 3
    with app.test_request_context("/"):  # another script root: its own entries
        assert url_for("worker.worklist") == "/werk/"
    with app.test_request_context("/", base_url="https://elders.example/"):
        assert url_for("worker.worklist", _external=True) == "https://elders.example/werk/"
    with app.test_request_context("/", base_url="http://hier.example/"):
        assert url_for("worker.worklist", _external=True) == "http://hier.example/werk/"
    assert len(kept) == 4  # _external is not kept: it depends on the request's host
    with app.test_request_context("/werk/"):
        assert url_for(".caseload") == flask_url_for(".caseload")


def test_kept_urls_are_bounded(app, monkeypatch):
    from marketplace import rendering

    monkeypatch.setattr(rendering, "_FIXED_MAX", 10)
    kept = app.extensions["buurtmakelaar.fixed_urls"]
    kept.clear()
    with app.test_request_context("/"):
        for i in range(25):  # text from a request, such as a search, differs every time
            word = f"zoek{i}"
            assert url_for("worker.worklist", q=word) == flask_url_for("worker.worklist", q=word)
            assert len(kept) <= 10
