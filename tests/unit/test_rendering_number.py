"""Numbers in pages and mails are written the way the reader's language writes them (the
`number` filter): 16,5 and 1.234 in Dutch, 16.5 and 1,234 in English."""

from __future__ import annotations

from flask import render_template_string
from flask_babel import refresh


def test_numbers_follow_the_language(app):
    template = "{{ 16.5 | number }} {{ 1234 | number }} {{ 6 | number }}"
    with app.test_request_context("/?lang=nl"):
        assert render_template_string(template) == "16,5 1.234 6"
    with app.test_request_context("/?lang=en"):
        refresh()  # the locale is kept per app context, which the test's outlives one request
        assert render_template_string(template) == "16.5 1,234 6"
    refresh()  # leave no English behind for the next test
