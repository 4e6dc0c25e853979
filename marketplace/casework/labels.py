"""What the codes of a resident's file are called on screen (plain Dutch, B1)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

DOMAIN_LABELS = {
    "social": _l("Sociaal: contact met anderen"),
    "psychological": _l("Psychisch: hoe iemand zich voelt"),
    "physical": _l("Lichamelijk: gezondheid en bewegen"),
    "financial": _l("Financieel: geld en rekeningen"),
    "housing": _l("Wonen: het huis en de buurt"),
    "daily_activities": _l("Dagelijkse bezigheden: werk, hobby, dagritme"),
}
# The 1-5 scale of every life domain: 1 is the most worry, 5 goes well on its own.
SCALE_LABELS = {
    1: _l("1 – grote zorgen"),
    2: _l("2 – zorgen"),
    3: _l("3 – gaat wisselend"),
    4: _l("4 – gaat redelijk"),
    5: _l("5 – gaat goed"),
}
TERM_LABELS = {"short": _l("Korte termijn"), "long": _l("Lange termijn")}
GOAL_STATUS_LABELS = {
    "open": _l("Nog bezig"),
    "achieved": _l("Gehaald"),
    "partly": _l("Deels gehaald"),
    "not_achieved": _l("Niet gehaald"),
}
ACTOR_LABELS = {
    "resident": _l("De inwoner zelf"),
    "network": _l("Het netwerk (familie, buren, vrienden)"),
    "volunteer": _l("Een vrijwilliger"),
    "association": _l("Een vereniging of activiteit"),
    "partner": _l("Een partnerorganisatie"),
    "worker": _l("De welzijnswerker"),
}
# Who does what, as the resident reads it in their own plan (own_plan.py): said to them.
OWN_ACTOR_LABELS = {
    "resident": _l("U zelf"),
    "network": _l("Uw familie, buren of vrienden"),
    "volunteer": _l("Een vrijwilliger"),
    "association": _l("Een club of vereniging"),
    "partner": _l("Een andere organisatie"),
    "worker": _l("De welzijnswerker"),
}
REFERRAL_STATUS_LABELS = {
    "proposed": _l("Voorgesteld"),
    "sent": _l("Verstuurd"),
    "accepted": _l("Aangenomen door de organisatie"),
    "in_care": _l("In zorg"),
    "completed": _l("Klaar bij de organisatie"),
    "declined": _l("Niet aangenomen"),
    "stepped_down": _l("Terug naar de buurt (afgeschaald)"),
}
# The button that moves a referral to this status.
REFERRAL_STEP_LABELS = {
    "sent": _l("Verstuurd"),
    "accepted": _l("Organisatie neemt het aan"),
    "in_care": _l("Inwoner is in zorg"),
    "completed": _l("Organisatie is klaar"),
    "declined": _l("Organisatie neemt het niet aan"),
    "stepped_down": _l("Terug naar de buurt"),
}
NOTE_KIND_LABELS = {
    "note": _l("Aantekening"),
    "visit": _l("Huisbezoek"),
    "call": _l("Gebeld"),
    "no_answer": _l("Geen gehoor"),
    "follow_up": _l("Opvolgen"),
}
LINE_LABELS = {1: _l("Eerste lijn (zonder verwijzing)"), 2: _l("Tweede lijn (met beschikking)")}
CONTINUATION_LABELS = {
    "network": _l("Het eigen netwerk gaat verder"),
    "association": _l("Een club of vereniging gaat verder"),
    "volunteer_informal": _l("De vrijwilliger helpt informeel verder"),
    "extension": _l("De afspraak duurt langer (verlengen)"),
    "referral": _l("Doorverwezen naar andere hulp"),
    "none_needed": _l("Er is geen hulp meer nodig"),
}
SOLVED_BY_LABELS = {
    "own_network": _l("Door het eigen netwerk"),
    "volunteer": _l("Door een vrijwilliger"),
    "association": _l("Door een vereniging of activiteit"),
    "activity": _l("Samen met anderen, met een activiteit"),
    "worker": _l("Door de welzijnswerker"),
    "referred": _l("Doorverwezen naar de tweede lijn"),
    "not_solved": _l("Niet opgelost"),
}
# How the request was solved, read from who carries on (the worker may choose otherwise).
SOLVED_BY_FOR_CONTINUATION = {
    "network": "own_network",
    "association": "association",
    "volunteer_informal": "volunteer",
    "referral": "referred",
    "none_needed": "volunteer",
}
CHECKIN_LABELS = {
    "first_week": _l("Na de eerste week"),
    "did_it_help": _l("Heeft het geholpen?"),
    "midway": _l("Halverwege"),
    "before_end": _l("Twee weken voor het einde"),
}
ANSWER_LABELS = {"going_well": _l("gaat goed"), "needs_attention": _l("aandacht nodig")}
MATCH_STATUS_LABELS = {
    "proposed": _l("Voorgesteld, wacht op antwoord"),
    "accepted": _l("Aangenomen"),
    "declined": _l("Nee gezegd"),
    "cancelled": _l("Vervallen"),
}
