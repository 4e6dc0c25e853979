"""The edge of the app, fixed once for every feature: ids in URLs, text in requests, forms.

`register_boundary(app)` (called from create_app before the blueprints are registered):

- **One id converter.** `<int:…>` in any route, web or API, of any feature, is an
  `IdConverter`: 1 up to 2^31-1, what a database id column holds (Integer: int4 on
  PostgreSQL, where a bigger value fails the query's cast; SQLite overflows at 2^63).
  Anything else (0, a number of 20 digits) does not match the route, so it answers 404 like
  a missing object, never an error deep in the database driver.
- **One text cleaner** (marketplace.cleaning): query strings, form fields and path values
  reach views without NUL bytes or lone surrogates (`CleanRequest`, a URL value
  preprocessor). The JSON body reader (marketplace.api.body) uses the same cleaner, and
  `request.get_json()` itself goes through that reader, so a handler that reads JSON its own
  way gets the depth check and the cleaning too.
- **Forms**: every FlaskForm reads its data through `wrap_formdata` below. A file sent where a
  form expects text becomes a per-field validation error ("Stuur hier tekst, geen bestand.")
  instead of a TypeError; a JSON body posted to a web form is read by the JSON reader (depth
  checked, cleaned) and only its plain values count.
- A request body is at most `MAX_CONTENT_LENGTH` (4 MiB unless configured): 413 beyond it.
- What a person reads leaves in their language: pure modules that word text (match reasons)
  learn the request's locale from here.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Request, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto, _is_submitted
from werkzeug.datastructures import FileStorage, ImmutableMultiDict, MultiDict
from werkzeug.routing import IntegerConverter
from werkzeug.utils import cached_property
from wtforms.fields import FieldList, FileField, FormField

from marketplace.cleaning import clean_text

MAX_ID = 2**31 - 1  # ids are Integer columns: PostgreSQL's int4 holds no more
DEFAULT_MAX_CONTENT_LENGTH = 4 * 1024 * 1024
UPLOAD_IN_TEXT_FIELD = _l("Stuur hier tekst, geen bestand.")


class IdConverter(IntegerConverter):
    """`<int:…>`: an id from 1 to 2^31-1; a bigger or zero number does not match (404)."""

    def __init__(self, map: Any, fixed_digits: int = 0, min: int | None = 1,  # noqa: A002
                 max: int | None = MAX_ID, signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)

    def to_python(self, value: str) -> Any:
        if len(value) > 10:  # more digits than 2^31-1 has: no need to convert
            from werkzeug.routing import ValidationError

            raise ValidationError()
        return super().to_python(value)


def _clean_pairs(data: MultiDict) -> ImmutableMultiDict:
    return ImmutableMultiDict(
        [(clean_text(key), clean_text(value) if isinstance(value, str) else value)
         for key, value in data.items(multi=True)])


class CleanRequest(Request):
    """Query string and form data come out cleaned (no NUL bytes, no lone surrogates)."""

    @cached_property
    def args(self) -> ImmutableMultiDict:  # type: ignore[override]
        return _clean_pairs(Request.args.__get__(self, type(self)))  # type: ignore[attr-defined]

    def _load_form_data(self) -> None:
        if "form" in self.__dict__:
            return
        super()._load_form_data()
        self.__dict__["form"] = _clean_pairs(self.__dict__["form"])

    def get_json(self, force: bool = False, silent: bool = False,  # type: ignore[override]
                 cache: bool = True) -> Any:
        """Flask's get_json through the one JSON reader (depth checked, text cleaned), so a
        handler that calls request.get_json() itself is protected as well."""
        from marketplace.api.body import BadJSON, parse

        if not (force or self.is_json):
            return None if silent else self.on_json_loading_failed(None)
        try:
            return parse(self.get_data(cache=cache))
        except BadJSON as error:
            if silent:
                return None
            return self.on_json_loading_failed(ValueError(error.detail or "invalid JSON"))


class UploadInTextField(str):
    """Stands in for a file sent to a field that expects text (never empty, so that an
    Optional() validator does not wave it through)."""

    def __new__(cls, text: str = "bestand") -> UploadInTextField:
        return super().__new__(cls, text or "bestand")


def _refusing_uploads(field: Any) -> Any:
    """The field's own process_formdata, but a stand-in for a file is a field error."""
    original = field.process_formdata

    def process_formdata(valuelist: list[Any]) -> None:
        if any(isinstance(value, UploadInTextField | FileStorage) for value in valuelist):
            raise ValueError(str(UPLOAD_IN_TEXT_FIELD))
        original(valuelist)

    return process_formdata


def _json_formdata() -> ImmutableMultiDict | None:
    from marketplace.api.body import BadJSON, parse

    try:
        data = parse(request.get_data(cache=True))
    except BadJSON:
        return None
    if not isinstance(data, dict):
        return None
    pairs: list[tuple[str, str]] = []
    for key, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str | int | float) and not isinstance(item, bool):
                pairs.append((key, str(item)))
            elif isinstance(item, bool):
                pairs.append((key, "y" if item else ""))
            else:
                pairs.append((key, UploadInTextField()))
    return ImmutableMultiDict(pairs)


def wrap_formdata(self: Any, form: Any, formdata: Any) -> Any:
    """FlaskForm's own reading of the request, with files in text fields made harmless."""
    if formdata is not _Auto:
        return formdata
    if not _is_submitted():
        return None
    if request.files:
        file_fields = {name for name, field in form._fields.items()
                       if isinstance(field, FileField)}
        data = MultiDict(request.form)
        for name, storage in request.files.items(multi=True):
            data.add(name, storage if name in file_fields
                     else UploadInTextField(clean_text(storage.filename or "")))
        return data
    if request.form:
        return request.form
    if request.is_json:
        return _json_formdata()
    return None


def bind_field(self: Any, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
    field = unbound_field.bind(form=form, **options)
    if not isinstance(field, FormField | FieldList | FileField):
        field.process_formdata = _refusing_uploads(field)
    return field


def _clean_view_args(endpoint: str | None, values: dict[str, Any] | None) -> None:
    if values:
        for key, value in values.items():
            if isinstance(value, str):
                values[key] = clean_text(value)


def request_locale() -> str:
    """The language of the current request's reader; Dutch outside a request."""
    from flask import has_request_context
    from flask_babel import get_locale

    if not has_request_context():
        return "nl"
    locale = get_locale()
    return locale.language if locale is not None else "nl"


def gettext_translator(msgid: str, params: Any, locale: str | None) -> str:
    """marketplace.messages' translator: the catalogue of the reader (or of `locale`)."""
    from flask_babel import force_locale, gettext

    if locale:
        with force_locale(locale):
            return gettext(msgid, **params)
    return gettext(msgid, **params)


def register_boundary(app: Flask) -> None:
    """Call before the blueprints are registered (routes bind their converters then)."""
    app.url_map.converters["int"] = IdConverter
    app.url_map.converters["id"] = IdConverter
    app.request_class = CleanRequest
    app.url_value_preprocessor(_clean_view_args)
    if app.config.get("MAX_CONTENT_LENGTH") is None:
        app.config["MAX_CONTENT_LENGTH"] = DEFAULT_MAX_CONTENT_LENGTH
    FlaskForm.Meta.wrap_formdata = wrap_formdata  # type: ignore[method-assign]
    FlaskForm.Meta.bind_field = bind_field  # type: ignore[method-assign]
    from marketplace import messages
    from marketplace.matching import reasons

    reasons.set_locale_source(request_locale)
    messages.set_translator(gettext_translator)
