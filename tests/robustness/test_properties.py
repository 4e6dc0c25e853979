"""Property-based tests of the services' input validation: whatever a person types (after the
boundary's text cleaner), a service either accepts it within its rules or answers with
ValidationFailed naming fields; never another exception, never a half-written row."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from marketplace.cleaning import clean_text, too_short
from marketplace.errors import ValidationFailed
from marketplace.extensions import db
from marketplace.help_requests.models import TIMINGS, URGENCIES
from marketplace.help_requests.services import HOUSE_NUMBER_RE, RequestInput, validate
from marketplace.volunteers.models import SLOTS
from marketplace.volunteers.services import (
    MAX_RADIUS_KM,
    MIN_RADIUS_KM,
    ProfileInput,
    save_profile,
)

PROPERTY = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])
TODAY = date(2026, 12, 4)

# Anything typed, including NUL and lone surrogates, as the boundary hands it on.
typed = st.text(max_size=60).map(clean_text)
postcodes = st.one_of(typed, st.sampled_from(["5527 AB", "5531", "9711 AA", "1234", "0000",
                                              "5527ab", " 5531 "]))
dates = st.one_of(st.none(), st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 1, 1)))
FIELDS = {"category", "description", "postcode", "house_number", "urgency", "timing",
          "wanted_on", "wanted_until", "recurrence", "day_parts", "for_person_consent",
          "network_note", "for_person_name", "for_person_relation"}


@pytest.fixture()
def area(make_area):
    return make_area("GM1728", "municipality", name="Bladel", pc4=("5527", "5531"))


@PROPERTY
@given(category=st.one_of(typed, st.sampled_from(["shopping", "garden", "nope"])),
       description=st.one_of(typed, st.text(max_size=3000).map(clean_text)),
       postcode=postcodes, house_number=st.one_of(typed, st.sampled_from(["17", "17a", "0"])),
       urgency=st.one_of(typed, st.sampled_from(URGENCIES)),
       timing=st.one_of(typed, st.sampled_from(TIMINGS)), wanted_on=dates, wanted_until=dates,
       recurrence=st.one_of(st.none(), typed),
       day_parts=st.lists(st.one_of(typed, st.sampled_from(SLOTS)), max_size=4),
       consent=st.sampled_from([None, True, False]), name=st.one_of(st.none(), typed))
def test_request_validation_accepts_or_names_fields(app, area, category, description, postcode,
                                                   house_number, urgency, timing, wanted_on,
                                                   wanted_until, recurrence, day_parts,
                                                   consent, name):
    data = RequestInput(category=category, description=description, postcode=postcode,
                        house_number=house_number, urgency=urgency, timing=timing,
                        wanted_on=wanted_on, wanted_until=wanted_until, recurrence=recurrence,
                        for_person_name=name, for_person_consent=consent,
                        day_parts=tuple(day_parts))
    try:
        pc4, lat, lon = validate(data, today_=TODAY)
    except ValidationFailed as error:
        assert error.errors and set(error.errors) <= FIELDS
        assert all(messages and all(isinstance(m, str) and m for m in messages)
                   for messages in error.errors.values())
        return
    # Accepted: it really keeps the rules, and it reaches an area (no orphaned request).
    assert pc4 in ("5527", "5531") and 50 < lat < 54 and 3 < lon < 8
    assert urgency in URGENCIES and timing in TIMINGS
    assert not too_short(description) and len(description.strip()) <= 2000
    assert HOUSE_NUMBER_RE.match(house_number.strip())
    assert wanted_on is None or wanted_on >= TODAY
    assert set(day_parts) <= set(SLOTS)


@PROPERTY
@given(skills=st.lists(st.one_of(typed, st.sampled_from(["shopping", "garden"])), max_size=3),
       postcode=postcodes,
       radius=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(),
                        st.sampled_from([MIN_RADIUS_KM, MAX_RADIUS_KM, 10])),
       availability=st.lists(st.one_of(typed, st.sampled_from(SLOTS)), max_size=3),
       has_vog=st.one_of(st.booleans(), st.none(), typed),
       languages=st.lists(st.one_of(typed, st.sampled_from(["nl", "tr"])), max_size=2),
       max_commitments=st.one_of(st.integers(), st.floats(allow_nan=False)),
       pause_reason=st.one_of(st.none(), typed),
       paused_until=st.one_of(st.none(), st.just(TODAY + timedelta(days=10))))
def test_volunteer_profile_accepts_or_names_fields(app, make_user, skills, postcode, radius,
                                                   availability, has_vog, languages,
                                                   max_commitments, pause_reason,
                                                   paused_until):
    from marketplace.accounts.models import User

    user = db.session.scalar(select(User).limit(1)) or make_user("volunteer")
    data = ProfileInput(skills=skills, postcode=postcode, radius_km=radius,
                        availability=availability, has_vog=has_vog, languages=languages,
                        max_commitments=max_commitments, pause_reason=pause_reason,
                        paused_until=paused_until)
    try:
        profile = save_profile(user, data)
        assert profile.home_pc4.isdigit() and MIN_RADIUS_KM <= float(radius) <= MAX_RADIUS_KM
    except ValidationFailed as error:
        assert error.errors
    finally:
        db.session.rollback()


@PROPERTY
@given(postcode=postcodes, concern=st.one_of(typed, st.text(max_size=4100)
                                             .map(clean_text)),
       about=st.one_of(st.none(), typed, st.text(min_size=290, max_size=320).map(clean_text)))
def test_signal_report_accepts_or_names_fields(app, area, make_user, postcode, concern, about):
    from marketplace.accounts.models import User
    from marketplace.signals.services import report

    reporter = db.session.scalar(select(User).limit(1)) or make_user("resident")
    try:
        signal = report(reporter, postcode=postcode, concern=concern, about=about)
        assert signal.pc4.isdigit() and not too_short(signal.concern)
        assert len(signal.concern) <= 4000
    except ValidationFailed as error:
        assert error.errors and set(error.errors) <= {"postcode", "concern", "about"}
    finally:
        db.session.rollback()
