"""API: the municipality's indicators and gaps (CONTRACT.md "Reports"), aggregates only.

Municipality users and workers of the area (or above it); anyone else gets 404, as for a
missing area. Every answer is recorded as an export (rule set, k, method, version, hash).
"""

from __future__ import annotations

import json
from typing import Any

from flask import Response, request

from marketplace.api import api_bp
from marketplace.api.auth import api_user
from marketplace.api.openapi import PATHS
from marketplace.extensions import db
from marketplace.reporting.exports import indicators_csv, record_export
from marketplace.reporting.gaps import compute_gaps
from marketplace.reporting.indicators import compute
from marketplace.reporting.params import parse


def _json(body: Any) -> tuple[str, Response]:
    payload = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return payload, Response(payload, mimetype="application/json")


@api_bp.get("/reports/indicators")
def report_indicators():
    query = parse(api_user(), request.args)
    report = compute(query.area, query.period)
    payload, response = _json({**report.to_json(), **query.asked_json()})
    record_export("indicators.json", query.area.id, query.period, api_user().id, payload,
                  report.rules)
    db.session.commit()
    return response


@api_bp.get("/reports/indicators.csv")
def report_indicators_csv():
    query = parse(api_user(), request.args)
    report = compute(query.area, query.period)
    text = indicators_csv(report)
    record_export("indicators.csv", query.area.id, query.period, api_user().id, text,
                  report.rules)
    db.session.commit()
    filename = f"indicatoren-{query.area.code}-{query.period.start}-{query.period.end}.csv"
    return Response(text, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})


@api_bp.get("/reports/gaps")
def report_gaps():
    query = parse(api_user(), request.args)
    report = compute_gaps(query.area, query.period)
    payload, response = _json(report.to_json())
    record_export("gaps.json", query.area.id, query.period, api_user().id, payload,
                  report.rules)
    db.session.commit()
    return response


_QUERY = [
    {"name": "area", "in": "query", "required": False, "schema": {"type": "string"},
     "description": "Area code; default: the caller's highest area"},
    {"name": "from", "in": "query", "required": False,
     "schema": {"type": "string", "format": "date"}, "description": "Default: 1 January"},
    {"name": "to", "in": "query", "required": False,
     "schema": {"type": "string", "format": "date"},
     "description": "Default: 31 December. Figures are published per calendar year or "
                    "quarter (overlapping periods could be subtracted): another period is "
                    "widened to its quarter, else its year, and the answer's from/to say "
                    "what was counted (the indicators add \"asked\": {from, to}); a period "
                    "across two calendar years is 422"},
]
_CELL = {"type": "object", "properties": {
    "value": {"type": ["number", "null"]}, "n": {"type": ["integer", "null"]},
    "suppressed": {"type": "boolean"}}}
_ERRORS = {"401": {"$ref": "#/components/responses/Unauthorized"},
           "404": {"$ref": "#/components/responses/Problem"},
           "422": {"$ref": "#/components/responses/Problem"}}

PATHS.update({
    "/reports/indicators": {"get": {
        "summary": "Indicators of an area and everything below it, requests created in the "
                   "period; small cells suppressed (municipality, workers of the area)",
        "operationId": "getReportIndicators", "parameters": _QUERY,
        "responses": {"200": {"description": "{area, from, to, indicators: {name: cell}, "
                                             "asked?: {from, to}}",
                              "content": {"application/json": {"schema": {
                                  "type": "object", "properties": {
                                      "area": {"type": "string"},
                                      "from": {"type": "string", "format": "date"},
                                      "to": {"type": "string", "format": "date"},
                                      "indicators": {"type": "object",
                                                     "additionalProperties": _CELL},
                                      "asked": {"type": "object", "properties": {
                                          "from": {"type": "string", "format": "date"},
                                          "to": {"type": "string", "format": "date"}}}}}}}},
                      **_ERRORS}}},
    "/reports/indicators.csv": {"get": {
        "summary": "The same indicators as CSV: indicator,value,n,suppressed (formula-safe)",
        "operationId": "getReportIndicatorsCsv", "parameters": _QUERY,
        "responses": {"200": {"description": "text/csv",
                              "content": {"text/csv": {"schema": {"type": "string"}}}},
                      **_ERRORS}}},
    "/reports/gaps": {"get": {
        "summary": "Unmet demand per category and area (the area and the areas directly "
                   "below it), suppressed like the indicators",
        "operationId": "getReportGaps", "parameters": _QUERY,
        "responses": {"200": {"description": "[{category, area, open_too_long, "
                                             "without_candidates, median_wait_days, "
                                             "suppressed: [field names]}]",
                              "content": {"application/json": {"schema": {
                                  "type": "array", "items": {"type": "object"}}}}},
                      **_ERRORS}}},
})
