"""The home page per role: a few cards, each with a number and the next thing to do.

A card says what the number means, links to the page behind it and, when the number is 0,
what to do next instead (an empty state, not a blank). Counts are single COUNT queries or
reuse the service of the page the card links to, so the home costs a handful of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.extensions import db


@dataclass(frozen=True)
class Card:
    title: str
    url: str
    text: str  # what the number means, or (number None) what the page is for
    number: int | None = None
    empty: str | None = None  # shown instead of `text` when the number is 0
    action: str | None = None  # the next step: label of the button
    action_url: str | None = None


@dataclass(frozen=True)
class Section:
    title: str
    cards: list[Card]


def _count(stmt: Any) -> int:
    return int(db.session.scalar(stmt) or 0)


def resident_section(user: User) -> Section:
    from marketplace.help_requests.models import ACTIVE, HelpRequest

    open_count = _count(select(func.count()).select_from(HelpRequest).where(
        HelpRequest.owner_id == user.id, HelpRequest.status.in_(ACTIVE),
        HelpRequest.status != "draft"))
    return Section(_("Hulp vragen"), [
        Card(_("Mijn hulpvragen"), url_for("help_requests.mine"),
             ngettext("hulpvraag loopt nu. Kijk hoe het ermee staat.",
                      "hulpvragen lopen nu. Kijk hoe het ermee staat.", open_count), open_count,
             empty=_("U heeft nu geen lopende hulpvraag. Heeft u hulp nodig? Vraag het hier."),
             action=_("Hulp vragen"), action_url=url_for("help_requests.new")),
        Card(_("Mijn netwerk"), url_for("residents.index"),
             _("Familie, vrienden en buren die u kunnen helpen. Zet ze in uw netwerk, dan "
               "vragen we hen eerst.")),
    ])


def volunteer_section(user: User) -> Section:
    from marketplace.brokering.services import matches_for_volunteer
    from marketplace.volunteers import services as volunteers

    profile = volunteers.get_profile(user)
    if profile is None:
        near = Card(_("Hulpvragen in de buurt"), url_for("volunteers.profile"),
                    _("Maak eerst uw profiel. Dan zien wij welke hulpvragen bij u passen."),
                    action=_("Maak uw profiel"), action_url=url_for("volunteers.profile"))
    else:
        found = [n for n in volunteers.nearby_requests(profile)
                 if n.request.owner_id != user.id]
        near = Card(_("Hulpvragen in de buurt"), url_for("volunteers.nearby"),
                    ngettext("open hulpvraag bij u in de buurt past bij wat u wilt doen.",
                             "open hulpvragen bij u in de buurt passen bij wat u wilt doen.",
                             len(found)), len(found),
                    empty=_("Er is nu geen hulpvraag bij u in de buurt die bij u past. Kies "
                            "in uw profiel een grotere afstand of meer soorten hulp."),
                    action=_("Profiel aanpassen"), action_url=url_for("volunteers.profile"))
    matches = matches_for_volunteer(user)
    current = sum(1 for m in matches if m.status == "accepted"
                  or (m.status == "proposed" and m.awaiting == "volunteer"))
    return Section(_("Helpen als vrijwilliger"), [
        near,
        Card(_("Mijn afspraken"), url_for("volunteers.commitments"),
             ngettext("afspraak of voorstel voor u.", "afspraken en voorstellen voor u.",
                      current), current,
             empty=_("U heeft nog geen afspraken. Bekijk de hulpvragen in de buurt en bied "
                     "uw hulp aan.")),
    ])


def worker_section(user: User) -> Section:
    from marketplace.brokering.worklist import caseload
    from marketplace.signals.services import open_signals

    mine = caseload([user.id]).get(user.id, 0)
    signals = len(open_signals(user))
    return Section(_("Uw werk"), [
        Card(_("Werklijst"), url_for("worker.worklist"),
             ngettext("zaak staat op uw naam. De werklijst laat zien wat vandaag aandacht vraagt.",
                      "zaken staan op uw naam. De werklijst laat zien wat vandaag aandacht "
                      "vraagt.", mine), mine,
             empty=_("Er staat niets op uw naam. Kijk op de werklijst wat er nieuw is."),
             action=_("Naar de werklijst"), action_url=url_for("worker.worklist")),
        Card(_("Zorgsignalen"), url_for("signals.index"),
             ngettext("zorgsignaal in uw gebieden wacht op een bezoek.",
                      "zorgsignalen in uw gebieden wachten op een bezoek.", signals), signals,
             empty=_("Er zijn geen open zorgsignalen in uw gebieden.")),
    ] + _coordinator_cards(user))


def _coordinator_cards(user: User) -> list[Card]:
    """A worker who coordinates a team plans the year and writes the team's evaluations."""
    from marketplace.reporting.yearplan import may_plan_somewhere

    if not may_plan_somewhere(user):
        return []
    return [
        Card(_("Jaarplannen"), url_for("yearplans.plans"),
             _("De afspraken voor dit jaar en hoe het ermee staat."),
             action=_("Jaarplan invoeren"), action_url=url_for("yearplans.new_plan")),
        Card(_("Evaluaties van de wijkteams"), url_for("yearplans.evaluation_list"),
             _("Per wijk of kern en periode: wat ging goed, wat minder, welke afspraken. Met "
               "de cijfers van die periode zoals ze toen waren."),
             action=_("Evaluatie schrijven"), action_url=url_for("yearplans.evaluation_new")),
    ]


def association_section(user: User) -> Section:
    from marketplace.associations.models import Activity, AssociationMember

    activities = _count(select(func.count()).select_from(Activity).where(
        Activity.status == "active", Activity.association_id.in_(
            select(AssociationMember.association_id).where(AssociationMember.user_id == user.id))))
    return Section(_("Uw vereniging"), [
        Card(_("Mijn vereniging"), url_for("associations.home"),
             ngettext("activiteit van uw vereniging staat open voor aanmelding.",
                      "activiteiten van uw vereniging staan open voor aanmelding.", activities),
             activities,
             empty=_("Uw vereniging heeft nog geen activiteit. Zet er een op de site, dan "
                     "vinden buren u."),
             action=_("Naar mijn vereniging"), action_url=url_for("associations.home")),
        Card(_("Activiteiten in de buurt"), url_for("associations.nearby"),
             _("Wat andere verenigingen in de buurt doen: samen organiseren kan ook.")),
    ])


def municipality_section(user: User) -> Section:
    return Section(_("Uw gemeente"), [
        Card(_("Resultaten"), url_for("reporting.dashboard"),
             _("De cijfers per kwartaal en per gebied: hulpvragen, vrijwilligers, "
               "zorgsignalen."),
             action=_("Naar de resultaten"), action_url=url_for("reporting.dashboard")),
        Card(_("Jaarplannen"), url_for("yearplans.plans"),
             _("De afspraken voor dit jaar en hoe het ermee staat.")),
    ])


def admin_section(user: User) -> Section:
    from marketplace.areas.models import Area

    users = _count(select(func.count()).select_from(User))
    areas = _count(select(func.count()).select_from(Area))
    return Section(_("Beheer"), [
        Card(_("Gebruikers"), url_for("admin.users"),
             ngettext("account op deze site.", "accounts op deze site.", users), users,
             action=_("Gebruiker toevoegen"), action_url=url_for("admin.user_new")),
        Card(_("Gebieden"), url_for("admin.areas_list"),
             ngettext("gebied met zijn postcodes.",
                      "gemeenten, wijken en kernen met hun postcodes.", areas), areas,
             empty=_("Er is nog geen gebied. Voeg eerst een gemeente toe."),
             action=_("Gebied toevoegen"), action_url=url_for("admin.area_new")),
        Card(_("Logboek"), url_for("admin.audit_log"),
             _("Wie welke gegevens bekeek of veranderde, en wanneer.")),
    ])


def partner_section(user: User) -> Section:
    from marketplace.partners import referrals, services

    waiting = services.waiting_count(user)  # plan actions
    referred = referrals.waiting_count(user)
    return Section(_("Uw organisatie"), [
        Card(_("Verwijzingen"), url_for("partners.referrals_list"),
             ngettext("verwijzing naar uw organisatie wacht op uw antwoord.",
                      "verwijzingen naar uw organisatie wachten op uw antwoord.", referred),
             referred,
             empty=_("Er wacht nu geen verwijzing op u. Hier ziet u wie de welzijnswerker naar "
                     "uw organisatie doorverwees."),
             action=_("Naar de verwijzingen"), action_url=url_for("partners.referrals_list")),
        Card(_("Acties in plannen"), url_for("partners.actions"),
             ngettext("actie in het plan van een inwoner wacht op uw antwoord: gedaan, of "
                      "niet mogelijk.",
                      "acties in plannen van inwoners wachten op uw antwoord: gedaan, of "
                      "niet mogelijk.", waiting), waiting,
             empty=_("Er wacht nu geen actie op u. Hier ziet u wat uw organisatie in de "
                     "plannen van inwoners doet."),
             action=_("Naar de acties"), action_url=url_for("partners.actions")),
    ])


SECTIONS = (
    ("worker", worker_section),
    ("resident", resident_section),
    ("volunteer", volunteer_section),
    ("association", association_section),
    ("municipality", municipality_section),
    ("admin", admin_section),
    ("partner", partner_section),
)


# Where a person lands after signing in: the page of the first role here they hold (a
# worker who also manages an association starts at the worklist; the municipality at the
# results of its areas); everyone else at their account, from where the menu leads on.
LANDING = (
    ("worker", "worker.worklist"),
    ("association", "associations.home"),
    ("municipality", "reporting.dashboard"),
)


def landing_url(user: User) -> str:
    """The page a person lands on after signing in."""
    for role, endpoint in LANDING:
        if user.has_role(role):
            if role == "municipality" and not user.areas:
                break  # no area yet: no figures to show; the account page says who sets it
            return url_for(endpoint)
    return url_for("account.index")


def sections_for(user: User) -> list[Section]:
    """One section per role the user holds, in a fixed order."""
    return [build(user) for role, build in SECTIONS if user.has_role(role)]
