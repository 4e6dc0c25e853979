"""An outside attacker of the published reports, written from the definitions in
docs/indicators.md (not from reporting/definitions.py), for the share-disclosure tests.

The attacker reads every answer of a linked set (an area tree, a year and its quarters):
the published counts, and for every published share its numerator (value x n) and the
others (n less it), and the n behind medians and means. They know the identities between
the counts and how areas and quarters add up. `problems` says what they could work out:
a share that reveals a count under k, a hidden count that a share's numerator less the
published counts in it equals, and any hidden or small count
narrowed to fewer than k + 1 values by sums and differences of everything they know (the
project's audit, `disclosure.audit`, over the attacker's table).
"""

from __future__ import annotations

from collections.abc import Hashable

from marketplace.reporting.disclosure import Relation, Rules, audit, is_protected

SOLVED = ("solved_own_network", "solved_volunteer", "solved_association", "solved_activity",
          "solved_worker", "referred", "not_solved", "closed_other")
ZERO_LINE = SOLVED[:4]
# share → (numerator, denominator = its n), as docs/indicators.md defines them.
SHARES = {
    "share_zero_line": ("zero_line", "closed"),
    "network_mobilised_share": ("network_mobilised", "closed"),
    "ended_within_plan_share": ("ended_within_plan", "ended"),
    "evaluations_on_time_share": ("evaluations_on_time", "evaluations"),
    "reciprocity_share": ("residents_contributed", "helped_residents"),
    "signals_in_time_share": ("signals_in_time", "signals_due"),
}
# Published counts a share's numerator holds by definition.
CONTAINED = {"zero_line": ZERO_LINE, "network_mobilised": ("solved_own_network",)}
# The n of a median, a mean, and the goals share (its value x n is not a count).
N_OF = {"median_support_days": "ended", "life_domain_change": "domain_cases",
        "goals_attained_share": "goal_cases"}
COUNTS = ("requests", "closed", *SOLVED, "stepped_down", "extended", "volunteers_new",
          "activity_sessions", "activity_attendances", "activities_handed_over",
          "handovers_still_running")
KNOWN_METRICS = {*COUNTS, "not_closed", "zero_line", "network_mobilised", "arrangements",
                 "ended", "ended_within_plan", "evaluations", "evaluations_on_time",
                 "goal_cases", "domain_cases", "helped_residents", "residents_contributed",
                 "signals_due", "signals_in_time"}


def problems(facts, answers: dict[tuple[int, str], dict[str, dict]], rules: Rules) -> list[str]:
    """`facts`: the protected year table (true values); `answers`: (area id, part) → the
    indicators as the API answers them."""
    found: list[str] = []
    truth = {key: v for key, v in facts.cells.items() if key[2] in KNOWN_METRICS}
    known: dict[Hashable, int] = {}
    for (area, part), cells in answers.items():
        for code in COUNTS:
            cell = cells.get(code)
            if cell and not cell["suppressed"]:
                known[(area, part, code)] = cell["value"]
        for code, metric in N_OF.items():
            if not cells[code]["suppressed"]:
                known[(area, part, metric)] = cells[code]["n"]
        for code, (numerator, denominator) in SHARES.items():
            cell = cells[code]
            if cell["suppressed"]:
                continue
            n = cell["n"]
            top = round(cell["value"] * n)
            known[(area, part, numerator)] = top
            known[(area, part, denominator)] = n
            if top < rules.k or n - top < rules.k:
                found.append(f"{code} of {(area, part)} reveals {top} of {n}")
            rest = top - sum(known.get((area, part, c), 0) for c in CONTAINED.get(numerator, ())
                             if not cells.get(c, {"suppressed": True})["suppressed"])
            for count in CONTAINED.get(numerator, ()):
                if cells[count]["suppressed"] and truth.get((area, part, count)) == rest:
                    found.append(f"{code} of {(area, part)}: {numerator} = {top} reveals the "
                                 f"hidden {count} = {rest}")
    for key, value in known.items():
        if key in truth and truth[key] != value:
            found.append(f"{key} published as {value}, but is {truth[key]}")
    counts, relations = _attacker_table(facts, truth)
    hidden = [key for key in counts if key not in known]
    # What must stay unknown: every count the reports hide, and every small count (a
    # count never published, such as the others of a share, may be worked out when it is
    # k or more, as the project's rules allow for any count they do not hide).
    for key, interval in audit(counts, relations, hidden, rules).items():
        if (key in facts.suppressed or rules.sensitive(counts[key])) \
                and not is_protected(interval, rules):
            found.append(f"{key!r} = {counts[key]} can be narrowed to "
                         f"{interval[0]:g}..{interval[1]:g}")
    return found


def _attacker_table(facts, truth: dict) -> tuple[dict[Hashable, int], list[Relation]]:
    counts: dict[Hashable, int] = dict(truth)
    # How areas and quarters add up (the same metric only), as the code links them.
    relations = [r for r in facts.relations()
                 if r.total in truth and all(p in truth for p in r.parts)
                 and all(p[2] == r.total[2] for p in r.parts)]
    places = {(a, p) for a, p, _m in truth}
    for a, p in sorted(places, key=str):
        def has(metric: str, a=a, p=p) -> bool:
            return (a, p, metric) in counts

        def key(metric: str, a=a, p=p) -> tuple:
            return (a, p, metric)

        relations.append(Relation(key("requests"), (key("closed"), key("not_closed"))))
        relations.append(Relation(key("closed"), tuple(key(s) for s in SOLVED if has(s))))
        relations.append(Relation(key("zero_line"), tuple(key(s) for s in ZERO_LINE)))
        # The network carried on besides the own network: never published, at least 0.
        counts[key("network_rest")] = truth[key("network_mobilised")] - truth[
            key("solved_own_network")]
        relations.append(Relation(key("network_mobilised"),
                                  (key("solved_own_network"), key("network_rest"))))
        for numerator, denominator in SHARES.values():
            others = key(f"not_{numerator}")
            counts[others] = truth[key(denominator)] - truth[key(numerator)]
            relations.append(Relation(key(denominator), (key(numerator), others)))
        relations.append(Relation(key("arrangements"), (key("ended"),), exact=False))
        relations.append(Relation(key("ended"), (key("helped_residents"),), exact=False))
        relations.append(Relation(key("activity_attendances"), (key("activity_sessions"),),
                                  exact=False))
    return counts, relations
