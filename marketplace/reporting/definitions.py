"""Every indicator: its code, group, how it is computed from the counts, and its definition.

The dashboard's definitions page, the CSV and docs/indicators.md follow this list (a test
checks the document names every code). Labels and definitions are Dutch (B1), translated.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

COUNT, SHARE, MEDIAN, MEAN, DISTINCT = "count", "share", "median", "mean", "distinct"


@dataclass(frozen=True)
class Indicator:
    code: str
    group: str
    kind: str  # count | share | median | mean | distinct
    label: object
    definition: object
    numerator: str | None = None  # share: the count over…
    denominator: str | None = None  # …this count (also its n)
    n_cell: str | None = None  # median/mean/share: the count of cases behind it
    # share: the count of the others (denominator minus numerator), a cell of its own: a
    # share of 12 out of 13 tells that 1 did not, a count under k like any other.
    complement: str | None = None

    @property
    def cell(self) -> str:
        return self.code


GROUPS: tuple[tuple[str, object], ...] = (
    ("movement", _l("Van 2e naar 1e naar 0e lijn")),
    ("own_strength", _l("Eigen kracht")),
    ("temporary", _l("Tijdelijke ondersteuning")),
    ("effect", _l("Effect")),
    ("reciprocity", _l("Wederkerigheid")),
    ("collective", _l("Collectief")),
    ("signals_volunteers", _l("Signalen en vrijwilligers")),
)

INDICATORS: tuple[Indicator, ...] = (
    Indicator("requests", "movement", COUNT, _l("Hulpvragen"),
              _l("Alle hulpvragen die in de periode zijn gemaakt.")),
    Indicator("closed", "movement", COUNT, _l("Afgeronde hulpvragen"),
              _l("Hulpvragen waarvan bekend is hoe ze zijn afgerond: opgelost (door wie), "
                 "doorverwezen of niet opgelost.")),
    Indicator("solved_own_network", "movement", COUNT, _l("Opgelost door eigen netwerk"),
              _l("Afgerond met 'opgelost door het eigen netwerk' (familie, buren, vrienden).")),
    Indicator("solved_volunteer", "movement", COUNT, _l("Opgelost door een vrijwilliger"),
              _l("Afgerond met 'opgelost door een vrijwilliger'.")),
    Indicator("solved_association", "movement", COUNT, _l("Opgelost door een vereniging"),
              _l("Afgerond met 'opgelost door een vereniging of bewonersgroep'.")),
    Indicator("solved_worker", "movement", COUNT, _l("Opgelost door de welzijnswerker"),
              _l("Afgerond met 'opgelost door de welzijnswerker' (1e lijn).")),
    Indicator("referred", "movement", COUNT, _l("Doorverwezen naar de 2e lijn"),
              _l("Hulpvragen die zijn afgerond met een verwijzing naar de 2e lijn.")),
    Indicator("not_solved", "movement", COUNT, _l("Niet opgelost"),
              _l("Afgerond zonder oplossing.")),
    Indicator("stepped_down", "movement", COUNT, _l("Afgeschaald naar de buurt"),
              _l("Verwijzingen naar de 2e lijn die in de periode terug naar de buurt gingen "
                 "(afgeschaald), naar het gebied van de inwoner.")),
    Indicator("share_zero_line", "movement", SHARE, _l("Aandeel opgelost in de 0e lijn"),
              _l("Opgelost door eigen netwerk, vrijwilliger, vereniging of activiteit, gedeeld "
                 "door alle afgeronde hulpvragen."),
              numerator="zero_line", denominator="closed"),
    Indicator("network_mobilised_share", "own_strength", SHARE,
              _l("Aandeel waarbij het netwerk meedeed"),
              _l("Afgeronde hulpvragen die het eigen netwerk oploste, of waarbij de evaluatie "
                 "zegt dat het netwerk de hulp voortzet, gedeeld door alle afgeronde "
                 "hulpvragen."),
              numerator="network_mobilised", denominator="closed",
              complement="closed_not_mobilised"),
    Indicator("ended_within_plan_share", "temporary", SHARE,
              _l("Aandeel op tijd beëindigd"),
              _l("Beëindigde afspraken (ondersteuning) die stopten op of vóór de geplande "
                 "einddatum, gedeeld door alle beëindigde afspraken."),
              numerator="ended_within_plan", denominator="ended",
              complement="ended_late"),
    Indicator("extended", "temporary", COUNT, _l("Verlengd"),
              _l("Afspraken die ooit zijn verlengd: bij een evaluatie koos de welzijnswerker "
                 "'verlengen', met een reden. Ook als de hulp daarna is beëindigd.")),
    Indicator("median_support_days", "temporary", MEDIAN, _l("Mediane duur in dagen"),
              _l("De middelste duur (van start tot einde, in dagen) van de beëindigde "
                 "afspraken."),
              n_cell="ended"),
    Indicator("evaluations_on_time_share", "temporary", SHARE,
              _l("Aandeel evaluaties op tijd"),
              _l("Evaluaties gedaan op of vóór de geplande einddatum van de afspraak, gedeeld "
                 "door alle evaluaties."),
              numerator="evaluations_on_time", denominator="evaluations",
              complement="evaluations_late"),
    Indicator("goals_attained_share", "effect", SHARE, _l("Aandeel doelen gehaald"),
              _l("Gehaalde doelen gedeeld door alle doelen, zoals de welzijnswerker ze bij de "
                 "evaluatie telt. n is het aantal evaluaties met doelen."),
              numerator="goals_attained", denominator="goals_total",
              complement="goals_missed", n_cell="goal_cases"),
    Indicator("life_domain_change", "effect", MEAN, _l("Verandering op de leefgebieden"),
              _l("Gemiddelde van de score bij de evaluatie min de score bij de intake (schaal "
                 "1 tot 5), per leefgebied. Positief is vooruit. n is het aantal "
                 "evaluaties."),
              n_cell="domain_cases"),
    # The code stays (the API's contract); it counts offers, not what came of them.
    Indicator("reciprocity_share", "reciprocity", SHARE,
              _l("Aandeel dat aanbood iets terug te doen"),
              _l("Geholpen inwoners (personen van wie de hulp is beëindigd) die op de "
                 "uitnodiging antwoordden dat ze iets voor een ander willen doen (of van wie "
                 "een bijdrage is vastgelegd), gedeeld door alle geholpen inwoners. Dit telt "
                 "het aanbod, niet of het ook gebeurde. Elke inwoner telt één keer."),
              numerator="residents_contributed", denominator="helped_residents",
              complement="residents_not_contributed"),
    Indicator("solved_activity", "collective", COUNT, _l("Opgelost via een activiteit"),
              _l("Hulpvragen die collectief zijn opgelost: de inwoner doet mee aan een "
                 "activiteit.")),
    Indicator("activity_attendances", "collective", COUNT, _l("Deelnames aan activiteiten"),
              _l("Hoe vaak mensen meededen aan een activiteit in het gebied: per keer het "
                 "aantal aanwezigen dat de organisator noteerde (of de namen op de "
                 "aanwezigheidslijst), opgeteld over alle keren in de periode.")),
    Indicator("activity_sessions", "collective", COUNT, _l("Activiteiten met deelnemers"),
              _l("Keren dat een activiteit in het gebied plaatsvond (niet afgelast) met "
                 "minstens één aanwezige.")),
    Indicator("activities_handed_over", "collective", COUNT,
              _l("Activiteiten overgedragen"),
              _l("Activiteiten van het welzijnswerk waarvan de overdracht aan een vereniging in "
                 "de periode afliep (en die niet gestopt zijn).")),
    Indicator("handovers_still_running", "collective", COUNT, _l("Overgedragen en loopt nog"),
              _l("Van die overgedragen activiteiten: de vereniging zei bij de laatste vraag "
                 "'loopt nog'.")),
    Indicator("signals_in_time_share", "signals_volunteers", SHARE,
              _l("Aandeel signalen op tijd opgepakt"),
              _l("Zorgsignalen uit de periode waarbij de eerste contactpoging of de uitkomst "
                 "(wat het eerst kwam) vóór of op de reactiedatum lag, gedeeld door de "
                 "signalen met een contactpoging of uitkomst, of die over hun reactiedatum "
                 "zijn."),
              numerator="signals_in_time", denominator="signals_due",
              complement="signals_late"),
    Indicator("volunteers_active", "signals_volunteers", DISTINCT, _l("Actieve vrijwilligers"),
              _l("Vrijwilligers met een afspraak die in de periode liep, in dit gebied.")),
    Indicator("volunteers_new", "signals_volunteers", COUNT, _l("Nieuwe vrijwilligers"),
              _l("Vrijwilligers die zich in de periode aanmeldden, naar hun postcode.")),
    Indicator("volunteers_retained", "signals_volunteers", DISTINCT,
              _l("Vrijwilligers die bleven"),
              _l("Actieve vrijwilligers die zich al vóór de periode hadden aangemeld.")),
)

BY_CODE = {i.code: i for i in INDICATORS}

# Counts that are protected together (the cells of the disclosure table): every published
# count, and the numerators and denominators the shares, medians and means reveal. A share
# published with its n reveals its numerator (share x n) and the others (n minus it): both
# are cells, with their identities, so they are suppressed and linked (areas, quarters)
# like every count (docs/disclosure.md, "Shares").
CELLS = (
    "requests", "not_closed", "closed", "closed_other", "zero_line", "network_mobilised",
    "network_continued", "closed_not_mobilised",
    "solved_own_network", "solved_volunteer", "solved_association", "solved_activity",
    "solved_worker", "referred", "not_solved", "stepped_down",
    "arrangements", "ended", "ended_within_plan", "ended_late", "extended", "evaluations",
    "evaluations_on_time", "evaluations_late", "goals_total", "goals_attained",
    "goals_missed", "goal_cases", "domain_cases",
    "helped_residents", "residents_contributed", "residents_not_contributed",
    "signals_due", "signals_in_time", "signals_late",
    "volunteers_new", "activity_sessions", "activity_attendances",
    "activities_handed_over", "handovers_still_running",
)
# Identities among the counts of one area and period.
EXACT = {
    "requests": ("closed", "not_closed"),
    "closed": ("solved_own_network", "solved_volunteer", "solved_association",
               "solved_activity", "solved_worker", "referred", "not_solved", "closed_other"),
    "zero_line": ("solved_own_network", "solved_volunteer", "solved_association",
                  "solved_activity"),
    # Network mobilised: solved by the own network, or the evaluation says the network
    # carries on (closed otherwise): the second part is never published on its own.
    "network_mobilised": ("solved_own_network", "network_continued"),
}
# Share numerators made of published counts: while the numerator (revealed as share x n)
# is shown, it may not equal a hidden part less the shown ones (Relation.ties).
TIED = ("zero_line", "network_mobilised")
# A share's denominator = its numerator + the others (the complement), derived from the
# two counts (indicator_table.collect). Exact identities of their own.
COMPLEMENTS = tuple((i.denominator, i.numerator, i.complement) for i in INDICATORS
                    if i.complement and i.numerator and i.denominator)
# Bounds (total >= part) that hold by construction of the queries.
BOUNDS = {
    "arrangements": ("ended",),
    "activity_attendances": ("activity_sessions",),
}
# Further bounds on a total that already has one above (each holds on its own).
MORE_BOUNDS = (("ended", "helped_residents"),)
