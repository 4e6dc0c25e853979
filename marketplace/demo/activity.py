"""Demo activity: volunteers, residents and requests in every state, a team, partners and a
signal, so every page of the demo shows something real. Runs once (idempotent)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from marketplace.accounts import services as accounts
from marketplace.accounts.models import User
from marketplace.areas.services import get_by_code
from marketplace.brokering import services as brokering
from marketplace.casework import referrals
from marketplace.casework.services import set_resident_pc4
from marketplace.clock import now as clock_now
from marketplace.demo.data import DEMO_DOMAIN, DEMO_PASSWORD
from marketplace.extensions import db
from marketplace.help_requests.models import HelpRequest
from marketplace.help_requests.services import RequestInput, create_request, record_status
from marketplace.residents.services import save_member
from marketplace.signals.services import report
from marketplace.teams.services import save_team, set_member
from marketplace.volunteers.services import ProfileInput, save_profile

# name, home postcode, skills, radius, VOG, availability
VOLUNTEERS = (
    ("vrijwilliger", "Joost Smits", "5531", ["shopping", "transport", "companionship"], 10, True,
     ["tue_morning", "thu_afternoon", "sat_morning"]),
    ("anja.vrijwilliger", "Anja de Wit", "5527", ["shopping", "garden", "pets"], 5, False,
     ["mon_morning", "wed_morning"]),
    ("karim.vrijwilliger", "Karim Bouzid", "5521", ["digital", "paperwork", "language"], 15, True,
     ["tue_evening", "thu_evening"]),
    ("lies.vrijwilliger", "Lies van Aken", "5571", ["companionship", "meals", "carer_respite"], 8,
     True, ["mon_afternoon", "fri_afternoon"]),
    ("tom.vrijwilliger", "Tom Verhoeven", "5502", ["odd_jobs", "garden", "transport"], 12, False,
     ["sat_morning", "sat_afternoon"]),
)
# e-mail local part, name, postcode
RESIDENTS = (
    ("gerrit.inwoner", "Gerrit Peters", "5527"),
    ("fatma.inwoner", "Fatma Yilmaz", "5504"),
    ("henk.inwoner", "Henk Jansen", "5571"),
)
PARTNERS = (
    ("Wmo-loket gemeente", 2, "Maatwerkvoorzieningen (beschikking)"),
    ("Schuldhulpverlening De Kempen", 2, "Schulden en geldzaken"),
    ("Maatschappelijk werk De Kempen", 1, "Maatschappelijk werk"),
    ("Huisartsenpraktijk (praktijkondersteuner GGZ)", 1, "Huisarts en POH-GGZ"),
)


def _user(local: str, name: str, roles: tuple[str, ...]) -> User:
    email = f"{local}@{DEMO_DOMAIN}"
    user = accounts.find_by_email(email)
    if user is None:
        user = accounts.create_user(email, name, password=DEMO_PASSWORD, roles=roles,
                                    confirmed=True)
    return user


def _ask(owner: User, category: str, text: str, postcode: str, number: str, *,
         urgency: str = "normal", actor: User | None = None, status: str = "open",
         now: datetime) -> HelpRequest:
    return create_request(actor or owner, RequestInput(
        category=category, description=text, postcode=postcode, house_number=number,
        urgency=urgency), owner=owner if actor else None, initial_status=status, now=now)


def seed_activity(now: datetime | None = None) -> int:
    """Create the demo activity once; returns the number of requests made (0 on a re-run)."""
    now = now or clock_now()
    if db.session.scalar(select(func.count()).select_from(HelpRequest)):
        return 0
    worker = accounts.find_by_email(f"welzijnswerker@{DEMO_DOMAIN}")
    resident = accounts.find_by_email(f"inwoner@{DEMO_DOMAIN}")
    if worker is None or resident is None:
        return 0
    volunteers = {}
    for local, name, postcode, skills, radius, vog, slots in VOLUNTEERS:
        volunteer = _user(local, name, ("volunteer",))
        save_profile(volunteer, ProfileInput(
            skills=skills, postcode=postcode, radius_km=radius, availability=slots, has_vog=vog,
            vog_valid_until=(now + timedelta(days=700)).date() if vog else None,
            max_commitments=2), now=now)
        volunteers[local] = volunteer
    residents = {local: _user(local, name, ("resident",)) for local, name, _pc in RESIDENTS}
    set_resident_pc4(resident, "5531")
    for local, _name, postcode in RESIDENTS:
        set_resident_pc4(residents[local], postcode)
    save_member(resident, name="Marja (dochter)", relation="family",
                can_help=["paperwork", "transport"], cannot_help="Overdag werkt ze.")
    save_member(resident, name="Buurman Piet", relation="neighbour", can_help=["odd_jobs"])

    made = [
        # open, waiting for volunteers
        _ask(resident, "shopping", "Ik zoek iemand die op vrijdag boodschappen voor mij doet. "
             "Ik loop slecht sinds mijn val.", "5531", "12", now=now),
        _ask(residents["gerrit.inwoner"], "garden", "Mijn heg is te hoog geworden. Wie helpt "
             "mij een middag met snoeien?", "5527", "4", urgency="low", now=now),
        _ask(residents["henk.inwoner"], "companionship", "Sinds mijn vrouw overleed ben ik veel "
             "alleen. Een wandeling of een kop koffie samen zou fijn zijn.", "5571", "33",
             now=now),
        # new: a worker posted it after a phone call; an intake comes first
        _ask(residents["gerrit.inwoner"], "paperwork", "Meneer belde: veel post die hij niet "
             "begrijpt. Eerst een gesprek.", "5527", "4", actor=worker, status="new", now=now),
        _ask(residents["fatma.inwoner"], "language", "Ik wil beter Nederlands leren spreken, "
             "om met de buren te praten.", "5504", "7", now=now),
    ]
    # draft: the worker wrote it down and checks it with the resident first
    made.append(_ask(residents["gerrit.inwoner"], "transport", "Vervoer naar de dagbesteding "
                     "op dinsdag, nog overleggen met meneer.", "5527", "4", actor=worker,
                     status="draft", now=now))
    # clarifying: the worker is doing an intake
    clarifying = _ask(residents["gerrit.inwoner"], "digital", "Ik wil leren videobellen met "
                      "mijn kleinkinderen.", "5527", "4", now=now)
    record_status(clarifying, "clarifying", actor=worker, reason="vraagverheldering", now=now)
    # matched: an active arrangement between the demo resident and the demo volunteer
    matched = _ask(resident, "transport", "Ik moet elke twee weken naar het ziekenhuis in "
                   "Veldhoven. Wie rijdt mee?", "5531", "12", now=now - timedelta(days=10))
    match = brokering.propose_match(worker, matched, volunteers["vrijwilliger"],
                                    now=now - timedelta(days=9))
    brokering.accept(volunteers["vrijwilliger"], match, now=now - timedelta(days=8))
    # in progress: the first visits have happened
    in_progress = _ask(residents["gerrit.inwoner"], "odd_jobs", "Een plank ophangen en de "
                       "kraan repareren.", "5527", "4", now=now - timedelta(days=6))
    match = brokering.propose_match(worker, in_progress, volunteers["vrijwilliger"],
                                    now=now - timedelta(days=5))
    brokering.accept(volunteers["vrijwilliger"], match, now=now - timedelta(days=5))
    record_status(in_progress, "in_progress", actor=volunteers["vrijwilliger"],
                  reason="eerste bezoek geweest", now=now - timedelta(days=3))
    made.append(in_progress)
    # closed: support ended, solved by a volunteer
    closed = _ask(residents["gerrit.inwoner"], "pets", "Wie laat mijn hond uit zolang ik "
                  "herstel van mijn operatie?", "5527", "4", now=now - timedelta(days=60))
    match = brokering.propose_match(worker, closed, volunteers["anja.vrijwilliger"],
                                    now=now - timedelta(days=59))
    arrangement = brokering.accept(volunteers["anja.vrijwilliger"], match,
                                   now=now - timedelta(days=58))
    brokering.end_arrangement(worker, arrangement, solved_by="volunteer",
                              now=now - timedelta(days=20))
    # withdrawn and expired
    withdrawn = _ask(resident, "odd_jobs", "Er moet een lamp worden opgehangen in de gang.",
                     "5531", "12", now=now - timedelta(days=30))
    record_status(withdrawn, "withdrawn", actor=resident, reason="buurman Piet heeft het gedaan",
                  now=now - timedelta(days=29))
    expired = _ask(residents["gerrit.inwoner"], "meals", "Af en toe een warme maaltijd samen "
                   "eten zou fijn zijn.", "5527", "4", now=now - timedelta(days=90))
    record_status(expired, "expired", actor=None, reason="verlopen", now=now - timedelta(days=30))
    # referred to the 2nd line
    partners = [referrals.save_partner(name, line=line, kind=kind) for name, line, kind in PARTNERS]
    referred = _ask(residents["gerrit.inwoner"], "paperwork", "Ik heb schulden en durf de "
                    "brieven niet meer open te maken.", "5527", "4", now=now - timedelta(days=5))
    referrals.refer(worker, residents["gerrit.inwoner"], partner_id=partners[1].id,
                    reason="Schulden lopen op; hulp van schuldhulpverlening is nodig.",
                    consent=True, request=referred, now=now - timedelta(days=4))
    made += [clarifying, matched, closed, withdrawn, expired, referred]

    team = save_team(get_by_code("GM1728"), "Wijkteam Bladel")
    set_member(team, worker, coordinator=True)
    report(volunteers["anja.vrijwilliger"], postcode="5527",
           concern="De buurvrouw op nummer 9 heb ik al twee weken niet gezien. De gordijnen "
                   "blijven dicht en de post stapelt zich op.", about="Dorpsstraat 9, Hapert",
           now=now)
    db.session.flush()
    return len(made)
