"""Matrix rows for the municipality's reports: the dashboard, its definitions and CSV, and
the reports API. Municipality users and workers of the World's area see them; every other
role gets 404, as for a missing page. Other areas' workers: tests/functional/
test_reporting_pages.py and tests/integration/test_reporting_api.py."""

from __future__ import annotations

from typing import Any

from tests.security.matrix_rules import Expectation, api_rows, rows

MATRIX: dict[tuple[str, str], Expectation] = {
    ("reporting.dashboard", "GET"): rows(404, worker=200, municipality=200),
    ("reporting.definitions", "GET"): rows(404, worker=200, municipality=200),
    ("reporting.indicators_download", "GET"): rows(404, worker=200, municipality=200),
    ("api.report_indicators", "GET"): api_rows(404, worker=200, municipality=200),
    ("api.report_indicators_csv", "GET"): api_rows(404, worker=200, municipality=200),
    ("api.report_gaps", "GET"): api_rows(404, worker=200, municipality=200),
}

URL_ARGS: dict[str, Any] = {}
FORM_DATA: dict[str, dict[str, Any]] = {}
