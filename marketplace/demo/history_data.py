"""What the demo's history of Bladel is made of: the people, the village cores they live in,
what they ask, and how the cases tend to go. Pure data (history.py plays it through the
services)."""

from __future__ import annotations

RESIDENT_EMAIL = "historie.inwoner.{n}"
VOLUNTEER_EMAIL = "historie.vrijwilliger.{n}"

# The cores of Bladel (PC4) and how much of the history happens there: most in Hapert and
# Bladel, a little in the small villages.
CORES = (("5527", 0.34), ("5531", 0.34), ("5528", 0.11), ("5529", 0.11), ("5534", 0.10))

FIRST_NAMES = (
    "Annie", "Bert", "Cor", "Dina", "Ellie", "Frans", "Gerda", "Harrie", "Ine", "Jan",
    "Jo", "Kees", "Lenie", "Marij", "Nel", "Piet", "Riet", "Sjaak", "Tonny", "Wim",
    "Yvonne", "Hanneke", "Theo", "Mieke", "Rob", "Sandra", "Ahmet", "Zeynep", "Ilse",
    "Martien", "Truus", "Door",
)
LAST_NAMES = (
    "van de Ven", "Swinkels", "Smulders", "Verhoeven", "van Hoof", "Bullens", "Leijten",
    "Kuijpers", "van Gils", "de Bresser", "Hendriks", "Maas", "Meulendijks", "Bergmans",
    "van Dijk", "Hoogers", "van Beers", "Panken", "Lavrijsen", "Bax", "Schippers",
    "van Eijk", "Aarts", "van Rooij", "Dekkers", "Mutsaers", "Koolen", "Vermeulen",
    "Demir", "Claassen",
)

# Volunteers: home PC4, skills, radius (km), VOG, availability. The first four were already
# volunteering when the history starts; the others join one by one during it.
VOLUNTEERS = (
    ("5527", ("shopping", "transport", "odd_jobs"), 8, True, ("mon_morning", "wed_morning")),
    ("5531", ("companionship", "meals", "carer_respite"), 10, True, ("tue_afternoon",)),
    ("5531", ("paperwork", "digital", "language"), 12, True, ("thu_evening", "tue_evening")),
    ("5528", ("garden", "odd_jobs", "pets"), 10, False, ("sat_morning",)),
    ("5527", ("companionship", "shopping", "pets"), 6, True, ("fri_morning",)),
    ("5529", ("transport", "shopping", "companionship"), 15, True, ("mon_afternoon",)),
    ("5531", ("digital", "paperwork"), 8, True, ("wed_evening",)),
    ("5534", ("garden", "odd_jobs", "transport"), 12, False, ("sat_afternoon",)),
    ("5527", ("meals", "companionship", "carer_respite"), 8, True, ("thu_afternoon",)),
    ("5531", ("language", "companionship"), 10, True, ("mon_evening",)),
    ("5528", ("shopping", "pets", "transport"), 10, True, ("tue_morning",)),
    ("5527", ("odd_jobs", "digital", "garden"), 10, False, ("wed_afternoon",)),
)
ALREADY_VOLUNTEERING = 4

# What people ask: category, weight, a few ways of asking.
ASKS = (
    ("shopping", 16, ("Ik zoek iemand die een keer per week boodschappen voor mij doet.",
                      "Sinds mijn operatie kan ik niet naar de winkel. Wie helpt?")),
    ("transport", 14, ("Ik moet naar het ziekenhuis in Veldhoven. Wie rijdt mee?",
                       "Vervoer naar de fysiotherapeut, twee keer per week.")),
    ("companionship", 14, ("Ik ben veel alleen. Een kop koffie samen zou fijn zijn.",
                           "Wie wil af en toe met mij wandelen?")),
    ("odd_jobs", 10, ("Een lamp ophangen en een kastje repareren.",
                      "Mijn kraan lekt en ik kan er niet meer goed bij.")),
    ("garden", 9, ("Mijn tuin wordt me te veel. Wie helpt met snoeien?",
                   "Het gras moet gemaaid worden en ik kan het niet meer.")),
    ("paperwork", 10, ("Ik begrijp de brieven van de gemeente niet goed.",
                       "Hulp bij het invullen van formulieren.")),
    ("digital", 8, ("Ik wil leren videobellen met mijn kleinkinderen.",
                    "Mijn nieuwe telefoon doet niet wat ik wil.")),
    ("meals", 7, ("Ik kook niet meer voor mezelf alleen. Wie eet een keer mee?",
                  "Een warme maaltijd zou fijn zijn, ik kan niet lang staan.")),
    ("language", 4, ("Ik wil beter Nederlands leren spreken.",
                     "Wie oefent met mij Nederlands praten?")),
    ("carer_respite", 5, ("Ik zorg voor mijn man. Wie neemt het een middag over?",
                          "Even rust als mantelzorger, een middag per week.")),
    ("pets", 3, ("Wie laat mijn hond uit zolang ik herstel?",
                 "Hulp met de kat als ik in het ziekenhuis lig.")),
)

# How a case ends, with its weight (roughly 230 requests over fifteen months).
OUTCOMES = (
    ("own_network", 21), ("volunteer", 33), ("activity", 4), ("worker", 12),
    ("referred", 11), ("not_solved", 7), ("withdrawn", 7), ("expired", 5),
)
# Who carries on after support by a volunteer ("network" is counted as own network).
CONTINUATIONS = (("none_needed", 38), ("network", 27), ("volunteer_informal", 25),
                 ("association", 10))
# The organisations of seed_activity a worker refers to (the 2nd line mostly).
REFERRAL_PARTNERS = (("Wmo-loket gemeente", 4), ("Schuldhulpverlening De Kempen", 3),
                     ("Maatschappelijk werk De Kempen", 2),
                     ("Huisartsenpraktijk (praktijkondersteuner GGZ)", 1))
REFERRAL_REASONS = (
    "Er is huishoudelijke hulp nodig met een beschikking van de Wmo.",
    "De schulden lopen op; schuldhulpverlening is nodig.",
    "Er spelen zorgen die hulp van een professional vragen.",
)
GOALS = (
    "Twee keer per week naar buiten.", "Zelf de post bijhouden.", "Weer contact met de buren.",
    "Zelf de boodschappen bestellen.", "Een vaste dag met iemand samen eten.",
)
DOMAINS = ("social", "psychological", "physical", "financial", "housing", "daily_activities")
# Life-domain scores: a change from intake to evaluation, with its weight.
SCORE_CHANGES = ((-1, 10), (0, 25), (1, 45), (2, 20))
SIGNAL_CONCERNS = (
    "Mijn buurman komt al een week de deur niet uit. De post stapelt zich op.",
    "De buurvrouw lijkt vergeetachtig; ze stond gisteren in de war op straat.",
    "Een oudere meneer in de straat eet volgens mij niet goed meer.",
    "Sinds haar man overleed zien we onze buurvrouw bijna niet meer.",
)
SIGNAL_OUTCOMES = (("visited", 35), ("consent_for_help", 25), ("no_need", 20),
                   ("referred", 10), ("not_reached", 10))
RECIPROCITY_ANSWERS = (("help_neighbour", 35), ("share_skill", 20), ("help_activity", 15),
                       ("not_now", 30))
ACTIVITY_TITLE = "Samen wandelen in Hapert"
# How the worker closes a request without a volunteer, in a word.
CLOSING_NOTES = {
    "own_network": "De familie en de buren pakken het samen op.",
    "worker": "Samen met de inwoner opgelost in een paar gesprekken.",
    "not_solved": "Geen passende hulp gevonden; de inwoner weet waar hij terecht kan.",
}
