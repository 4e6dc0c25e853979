"""The dashboard's filter: which area and which period (a GET form, no CSRF needed)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField

from marketplace.errors import apply_errors as apply_errors  # one helper for all forms


class ReportFilterForm(FlaskForm):
    class Meta:
        csrf = False

    area = SelectField(_l("Gebied"), choices=[], validate_choice=False)
    to = StringField(_l("Tot en met"), render_kw={"type": "date"},
                     description=_l("Bijvoorbeeld 31-12-2026. Kies een heel jaar of een "
                                    "kwartaal."))


# "from" and "to" are the query parameters of the API too; "from" is a Python keyword.
setattr(ReportFilterForm, "from", StringField(
    _l("Van"), render_kw={"type": "date"}, description=_l("Bijvoorbeeld 1-1-2026.")))


def filter_form(args, areas: list[tuple[object, int]]) -> ReportFilterForm:
    """The form filled from the query string; `areas` as (area, depth) for the choices."""
    form = ReportFilterForm(args)
    form.area.choices = [(a.code, "\u00a0\u00a0" * depth + a.name) for a, depth in areas]
    return form
