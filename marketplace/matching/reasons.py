"""Reasons as data, ``(code, params)``, and their wording through the translation layer.

The engine only produces codes and parameters; wording is this module's job: every
sentence is a Dutch msgid marked with ``N_`` (extracted by pybabel, English in the
catalogue) and translated by ``marketplace.messages`` in the reader's language:
``explain(reason, locale)``. Without a locale the one the app registered with
``set_locale_source`` is used (the web request's), else Dutch. Without the app (pure use,
tests of the engine) the Dutch msgids are the text. Distances in params are already rounded
to 0.5 km (see ``marketplace.geo.round_half_km``): others never see an exact distance.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from marketplace.messages import N_, text

from .profiles import DAY_PART_ORDER


class Reason(NamedTuple):
    """One explanation: a stable code and its parameters (read-only)."""

    code: str
    params: Mapping[str, Any]

    @classmethod
    def of(cls, code: str, **params: Any) -> Reason:
        return cls(code, MappingProxyType(params))

    def text(self) -> str:
        return explain(self)


DAY_PARTS = {
    "mon_morning": N_("ma-ochtend"), "mon_afternoon": N_("ma-middag"),
    "mon_evening": N_("ma-avond"), "tue_morning": N_("di-ochtend"),
    "tue_afternoon": N_("di-middag"), "tue_evening": N_("di-avond"),
    "wed_morning": N_("wo-ochtend"), "wed_afternoon": N_("wo-middag"),
    "wed_evening": N_("wo-avond"), "thu_morning": N_("do-ochtend"),
    "thu_afternoon": N_("do-middag"), "thu_evening": N_("do-avond"),
    "fri_morning": N_("vr-ochtend"), "fri_afternoon": N_("vr-middag"),
    "fri_evening": N_("vr-avond"), "sat_morning": N_("za-ochtend"),
    "sat_afternoon": N_("za-middag"), "sat_evening": N_("za-avond"),
    "sun_morning": N_("zo-ochtend"), "sun_afternoon": N_("zo-middag"),
    "sun_evening": N_("zo-avond"),
}
LANGUAGES = {
    "ar": N_("Arabisch"), "ber": N_("Berbers"), "bg": N_("Bulgaars"), "de": N_("Duits"),
    "en": N_("Engels"), "es": N_("Spaans"), "fa": N_("Perzisch"), "fr": N_("Frans"),
    "fy": N_("Fries"), "it": N_("Italiaans"), "nl": N_("Nederlands"),
    "pap": N_("Papiaments"), "pl": N_("Pools"), "pt": N_("Portugees"),
    "ro": N_("Roemeens"), "ru": N_("Russisch"), "so": N_("Somalisch"),
    "srn": N_("Sranantongo"), "ti": N_("Tigrinya"), "tr": N_("Turks"),
    "uk": N_("Oekraïens"), "zh": N_("Chinees"),
}
# Whose radius: "de" (the volunteer's, unnamed), "haar", "zijn"; one sentence each.
WITHIN = {"de": N_("%(km)s km, binnen de straal"), "haar": N_("%(km)s km, binnen haar straal"),
          "zijn": N_("%(km)s km, binnen zijn straal")}
OUTSIDE = {"de": N_("%(km)s km, buiten de straal van %(radius)s km"),
           "haar": N_("%(km)s km, buiten haar straal van %(radius)s km"),
           "zijn": N_("%(km)s km, buiten zijn straal van %(radius)s km")}


def format_km(km: float, locale: str = "nl") -> str:
    """2.5 -> "2,5" (Dutch decimal comma; "2.5" in English); 3.0 -> "3"."""
    if float(km).is_integer():
        return str(int(km))
    written = f"{km:.1f}"
    return written if locale == "en" else written.replace(".", ",")


def day_part_nl(code: str) -> str:
    """"tue_morning" -> "di-ochtend" (the msgid)."""
    return DAY_PARTS[code]


def _day_parts(codes: object, loc: str) -> str:
    ordered = sorted(codes, key=DAY_PART_ORDER.__getitem__)  # type: ignore[call-overload]
    return ", ".join(text(DAY_PARTS[code], loc) for code in ordered)


def _language(code: str, loc: str) -> str:
    return text(LANGUAGES[code], loc) if code in LANGUAGES else code


def _people(n: int, loc: str) -> str:
    return text(N_("1 persoon"), loc) if n == 1 else text(N_("%(n)s mensen"), loc, n=n)


def _helps(p: Mapping[str, Any], loc: str) -> str:
    return text(N_("helpt al %(people)s (max %(max)s)"), loc,
                people=_people(p["active"], loc), max=p["max"])


def _load(p: Mapping[str, Any], loc: str) -> str:
    if p["active"] == 0:
        return text(N_("helpt nu niemand (max %(max)s)"), loc, max=p["max"])
    return _helps(p, loc)


def _within(p: Mapping[str, Any], loc: str) -> str:
    return text(WITHIN.get(p.get("pronoun") or "de", WITHIN["de"]), loc,
                km=format_km(p["km"], loc))


def _outside(p: Mapping[str, Any], loc: str) -> str:
    return text(OUTSIDE.get(p.get("pronoun") or "de", OUTSIDE["de"]), loc,
                km=format_km(p["km"], loc), radius=format_km(p["radius_km"], loc))


Wording = Callable[[Mapping[str, Any], str], str]
_WORDING: dict[str, Wording] = {
    # Soft factors (why this candidate ranks where it does).
    "distance": _within,
    "has_vog": lambda p, loc: text(N_("heeft VOG"), loc),
    "load": _load,
    "continuity": lambda p, loc: text(N_("hielp deze bewoner eerder"), loc),
    "available": lambda p, loc: text(N_("beschikbaar %(slots)s"), loc,
                                     slots=_day_parts(p["slots"], loc)),
    "not_available": lambda p, loc: text(N_("niet beschikbaar op de gevraagde dagdelen"), loc),
    "speaks": lambda p, loc: text(N_("spreekt %(language)s"), loc,
                                  language=_language(p["language"], loc)),
    "does_not_speak": lambda p, loc: text(N_("spreekt geen %(language)s"), loc,
                                          language=_language(p["language"], loc)),
    # Hard rules (why a volunteer is not a candidate at all).
    "skill_absent": lambda p, loc: text(N_("helpt niet met deze soort hulp"), loc),
    "paused": lambda p, loc: text(N_("heeft pauze"), loc),
    "at_capacity": _helps,
    "vog_missing": lambda p, loc: text(N_("geen geldige VOG, en die is hier nodig"), loc),
    "outside_radius": _outside,
    "outside_reach": lambda p, loc: text(
        N_("%(km)s km, verder dan de gevraagde %(reach)s km"), loc,
        km=format_km(p["km"], loc), reach=format_km(p["reach_km"], loc)),
    # The resident's own network.
    "network_can_help": lambda p, loc: text(N_("%(relation)s, kan hierbij helpen"), loc,
                                            relation=p["relation"]),
}

CODES = frozenset(_WORDING)
_locale_source: Callable[[], str] = lambda: "nl"  # noqa: E731


def set_locale_source(source: Callable[[], str]) -> None:
    """Where explain() learns the reader's language when no locale is given (the app sets
    this at start-up; matching itself stays free of Flask)."""
    global _locale_source
    _locale_source = source


def explain(reason: Reason, locale: str | None = None) -> str:
    """The plain sentence for a reason in the reader's language (Dutch if unknown); unknown
    codes raise KeyError (a bug, not input)."""
    loc = (locale or _locale_source() or "nl")[:2]
    return _WORDING[reason.code](reason.params, loc)
