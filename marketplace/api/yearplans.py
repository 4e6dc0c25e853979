"""API: year plans and the annual report (CONTRACT.md "Reports").

POST /yearplans (a team coordinator of the area or above it, an administrator),
PUT /yearplans/{id}/budget/{line} (spending on one line), GET /yearplans/{id}/report
(target against actual, from the same indicators as /reports/indicators), and
GET /reports/annual.pdf?area=&year=. Who may not see the area gets 404, as for a missing
one; who may see it but not plan gets 403. Every report that leaves is recorded as an export.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Response, request
from flask_babel import gettext as _

from marketplace.api import api_bp
from marketplace.api.auth import api_user
from marketplace.api.body import json_body
from marketplace.api.openapi import PATHS
from marketplace.api.problems import problem
from marketplace.errors import NotFound
from marketplace.extensions import db
from marketplace.reporting import annual
from marketplace.reporting.access import may_report
from marketplace.reporting.exports import record_export
from marketplace.reporting.yearplan import (
    euros,
    get_plan,
    indicators_of,
    plan_report,
    record_spending,
    save_plan,
    writable_area,
    year_period,
)


def may_create_any(user) -> bool:
    return user.has_role("admin") or may_report(user)


@api_bp.post("/yearplans")
def yearplan_create():
    if not may_create_any(api_user()):  # before reading the body: others learn nothing
        raise NotFound(_("Deze pagina bestaat niet."))
    plan = save_plan(api_user(), json_body())
    db.session.commit()
    return {"id": plan.id}, 201


@api_bp.put("/yearplans/<int:plan_id>/budget/<path:line>")
def yearplan_spending(plan_id: int, line: str):
    plan = get_plan(api_user(), plan_id)
    writable_area(api_user(), plan.area)
    row = record_spending(api_user(), plan, line, json_body())
    db.session.commit()
    return {"line": row.line, "amount": euros(row.amount_cents), "spent": euros(row.spent_cents)}


@api_bp.get("/yearplans/<int:plan_id>/report")
def yearplan_report(plan_id: int):
    plan = get_plan(api_user(), plan_id)
    indicators = indicators_of(plan)
    body = plan_report(plan, indicators)
    payload = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    record_export("yearplan.json", plan.area_id, year_period(plan.year), api_user().id,
                  payload, indicators.rules)
    db.session.commit()
    return Response(payload, mimetype="application/json")


@api_bp.get("/reports/annual.pdf")
def report_annual_pdf():
    area, year = annual.parse_annual(api_user(), request.args)
    reason = annual.pdf_unavailable()
    if reason is not None:
        return problem(503, _("Pdf niet beschikbaar"), reason)
    report = annual.build(area, year)
    pdf = annual.make_pdf(annual.render_html(report, standalone=True))
    record_export("annual.pdf", area.id, year_period(year), api_user().id, pdf,
                  report.indicators.rules)
    db.session.commit()
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="jaarverslag-{area.code}-{year}.pdf"'})


_ERRORS = {"401": {"$ref": "#/components/responses/Unauthorized"},
           "404": {"$ref": "#/components/responses/Problem"},
           "422": {"$ref": "#/components/responses/Problem"}}
_ID = {"name": "plan_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_AMOUNT = {"type": "number", "minimum": 0}
_PLAN = {"type": "object", "required": ["area", "year"], "properties": {
    "area": {"type": "string"}, "year": {"type": "integer", "minimum": 2000, "maximum": 2100},
    "goals": {"type": "array", "items": {"type": "object", "required": ["indicator", "target"],
                                         "properties": {"indicator": {"type": "string"},
                                                        "target": {"type": "number"}}}},
    "budget": {"type": "array", "items": {"type": "object", "required": ["line", "amount"],
                                          "properties": {"line": {"type": "string"},
                                                         "amount": _AMOUNT,
                                                         "spent": _AMOUNT}}}}}
_LINE = {"type": "object", "properties": {"line": {"type": "string"}, "amount": _AMOUNT,
                                          "spent": _AMOUNT}}
_REPORT: dict[str, Any] = {"type": "object", "properties": {
    "area": {"type": "string"}, "year": {"type": "integer"},
    "goals": {"type": "array", "items": {"type": "object", "properties": {
        "indicator": {"type": "string"}, "target": {"type": "number"},
        "actual": {"type": ["number", "null"]}}}},
    "budget": {"type": "array", "items": _LINE}}}

PATHS.update({
    "/yearplans": {"post": {
        "summary": "Create (or replace) the year plan of an area and year: goals per indicator "
                   "and budget lines (team coordinator of the area, administrator)",
        "operationId": "createYearPlan",
        "requestBody": {"required": True,
                        "content": {"application/json": {"schema": _PLAN}}},
        "responses": {"201": {"description": "{id}", "content": {"application/json": {
            "schema": {"type": "object", "properties": {"id": {"type": "integer"}}}}}},
            "400": {"$ref": "#/components/responses/Problem"},
            "403": {"$ref": "#/components/responses/Problem"}, **_ERRORS}}},
    "/yearplans/{plan_id}/budget/{line}": {"put": {
        "summary": "Record what was spent on one budget line (and optionally its amount)",
        "operationId": "putYearPlanSpending",
        "parameters": [_ID, {"name": "line", "in": "path", "required": True,
                             "schema": {"type": "string"}}],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["spent"],
            "properties": {"spent": _AMOUNT, "amount": _AMOUNT}}}}},
        "responses": {"200": {"description": "the budget line", "content": {
            "application/json": {"schema": _LINE}}},
            "400": {"$ref": "#/components/responses/Problem"},
            "403": {"$ref": "#/components/responses/Problem"}, **_ERRORS}}},
    "/yearplans/{plan_id}/report": {"get": {
        "summary": "Target against actual (the published indicator of the area and year; null "
                   "when suppressed) and budget against spending",
        "operationId": "getYearPlanReport", "parameters": [_ID],
        "responses": {"200": {"description": "the report", "content": {
            "application/json": {"schema": _REPORT}}}, **_ERRORS}}},
    "/reports/annual.pdf": {"get": {
        "summary": "The annual report of an area as PDF, made offline (municipality, workers "
                   "of the area)",
        "operationId": "getAnnualReportPdf",
        "parameters": [
            {"name": "area", "in": "query", "required": False, "schema": {"type": "string"}},
            {"name": "year", "in": "query", "required": False, "schema": {"type": "integer"}}],
        "responses": {"200": {"description": "application/pdf", "content": {
            "application/pdf": {"schema": {"type": "string", "format": "binary"}}}},
            "503": {"$ref": "#/components/responses/Problem"}, **_ERRORS}}},
})
