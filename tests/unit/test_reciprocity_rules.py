"""Reciprocity rules (pure): when the one invitation and the one reminder are due, and
given/received tallies without an hour balance."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from marketplace.reciprocity import rules

ENDED = date(2026, 6, 1)
INVITED = datetime(2026, 6, 15, 9, 0, tzinfo=UTC)


def test_the_invitation_is_due_two_weeks_after_the_end():
    assert not rules.invitation_due(ENDED, ENDED + timedelta(days=13))
    assert rules.invitation_due(ENDED, ENDED + timedelta(days=14))
    assert rules.invitation_due(ENDED, ENDED + timedelta(days=400))


@pytest.mark.parametrize("offset", range(0, 30))
def test_the_query_cut_off_agrees_with_the_rule(offset):
    today = ENDED + timedelta(days=offset)
    assert rules.invitation_due(ENDED, today) == (
        ENDED <= rules.invited_if_ended_on_or_before(today))
    now = INVITED + timedelta(days=offset, hours=offset % 5)
    assert rules.reminder_due(INVITED, False, False, now) == (
        INVITED <= rules.reminded_if_invited_at_or_before(now))


def test_one_gentle_reminder_only_when_nothing_was_answered():
    later = INVITED + timedelta(days=14)
    assert not rules.reminder_due(INVITED, False, False, later - timedelta(seconds=1))
    assert rules.reminder_due(INVITED, False, False, later)
    assert not rules.reminder_due(INVITED, answered=True, reminded=False, now=later)
    assert not rules.reminder_due(INVITED, answered=False, reminded=True, now=later)


def test_tallies_are_counts_not_an_hour_balance():
    assert rules.tally(0, 0).balance_words == "nog niets"
    assert rules.tally(2, 1).balance_words == "2× geholpen, 1× hulp gekregen"
    assert rules.tally(0, 3) == rules.Tally(given=0, received=3)
    with pytest.raises(ValueError):
        rules.tally(-1, 0)


def test_the_rules_module_is_pure():
    import ast
    from pathlib import Path

    tree = ast.parse(Path(rules.__file__).read_text())
    imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert imported <= {"__future__", "dataclasses", "datetime"}
