"""A volunteer's pause reaches the matching index on the day it begins and ends."""

from datetime import UTC, date, datetime

from sqlalchemy import select

from marketplace.extensions import db
from marketplace.matching.models import MatchingIndexEntry
from marketplace.volunteers.services import ProfileInput, save_profile
from marketplace.volunteers.sweeps import refresh_pauses


def flags(user_id: int) -> set[bool]:
    return set(db.session.scalars(select(MatchingIndexEntry.paused).where(
        MatchingIndexEntry.user_id == user_id)))


def test_pause_ends_and_begins_in_the_index(app, make_user):
    volunteer = make_user("volunteer")
    saved_on = datetime(2026, 12, 1, 9, tzinfo=UTC)
    save_profile(volunteer, ProfileInput(skills=["shopping", "garden"], postcode="5531",
                                         radius_km=5, paused_until=date(2026, 12, 10)),
                 now=saved_on)
    db.session.commit()
    assert flags(volunteer.id) == {True}
    assert refresh_pauses(datetime(2026, 12, 10, 9, tzinfo=UTC)) == 0  # still paused that day
    assert refresh_pauses(datetime(2026, 12, 11, 9, tzinfo=UTC)) == 1
    assert flags(volunteer.id) == {False}
    assert refresh_pauses(datetime(2026, 12, 11, 9, tzinfo=UTC)) == 0  # nothing new

    save_profile(volunteer, ProfileInput(skills=["shopping"], postcode="5531", radius_km=5,
                                         paused_until=date(2027, 1, 5)),
                 now=datetime(2026, 12, 12, 9, tzinfo=UTC))
    db.session.commit()
    assert flags(volunteer.id) == {True}
