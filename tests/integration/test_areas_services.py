"""Areas on a real database: subtrees, materialised paths, PC4 ownership, inherited settings."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from marketplace.accounts.models import AuditEvent
from marketplace.areas import services as areas
from marketplace.areas import settings as area_settings
from marketplace.areas.models import Area, AreaPostcode
from marketplace.errors import DomainError
from marketplace.extensions import db


@pytest.fixture()
def kempen(make_area):
    """A small real tree: region → Bladel (cores Bladel, Hapert) and Eersel (core Eersel)."""
    make_area("RG", "region", name="Kempen")
    make_area("GM1728", "municipality", name="Bladel", parent="RG")
    make_area("BLADEL", "core", name="Bladel", parent="GM1728", pc4=("5531",))
    make_area("HAPERT", "core", name="Hapert", parent="GM1728", pc4=("5527",))
    make_area("GM0770", "municipality", name="Eersel", parent="RG")
    make_area("EERSEL", "core", name="Eersel", parent="GM0770", pc4=("5521",))
    return {a.code: a for a in areas.all_areas()}


def codes(ids):
    return {db.session.get(Area, i).code for i in ids}


def test_subtree_holds_the_area_and_everything_below_it(kempen):
    assert codes(areas.subtree_ids([kempen["GM1728"]])) == {"GM1728", "BLADEL", "HAPERT"}
    assert codes(areas.subtree_ids([kempen["HAPERT"]])) == {"HAPERT"}
    assert codes(areas.subtree_ids([kempen["RG"]])) == set(kempen)
    assert codes(areas.subtree_ids([kempen["BLADEL"], kempen["EERSEL"]])) == {"BLADEL", "EERSEL"}
    assert areas.subtree_ids([]) == set()


def test_subtree_does_not_catch_areas_whose_id_starts_the_same(make_area):
    # Path "/1/" must not match "/10/..." or "/11/...": enough areas to reach id 10 and up.
    first = make_area("A1", "region")
    for n in range(2, 13):
        make_area(f"A{n}", "region")
    make_area("A1-CHILD", "municipality", parent="A1")
    assert codes(areas.subtree_ids([first])) == {"A1", "A1-CHILD"}


def test_pc4s_in_an_area_include_those_of_its_sub_areas(kempen):
    assert areas.pc4s_in(kempen["GM1728"]) == ["5527", "5531"]
    assert areas.pc4s_in(kempen["RG"]) == ["5521", "5527", "5531"]
    assert areas.pc4s_in(kempen["EERSEL"]) == ["5521"]


def test_paths_of_the_whole_subtree_follow_a_move(kempen, make_area):
    make_area("HAPERT-N", "neighbourhood", name="Hapert-Noord", parent="HAPERT")
    hapert, eersel = kempen["HAPERT"], kempen["GM0770"]
    areas.save_area("HAPERT", "Hapert", "core", parent_code="GM0770")
    db.session.commit()
    db.session.expire_all()
    neighbourhood = areas.get_by_code("HAPERT-N")
    assert hapert.path == f"{eersel.path}{hapert.id}/"
    assert neighbourhood.path == f"{eersel.path}{hapert.id}/{neighbourhood.id}/"
    assert codes(areas.subtree_ids([kempen["GM1728"]])) == {"GM1728", "BLADEL"}
    assert codes(areas.subtree_ids([eersel])) == {"GM0770", "EERSEL", "HAPERT", "HAPERT-N"}
    assert areas.pc4s_in(kempen["GM1728"]) == ["5531"]
    assert areas.pc4s_in(eersel) == ["5521", "5527"]


def test_an_area_cannot_move_below_itself_or_its_descendants(kempen):
    # Turning Bladel into a neighbourhood under its own core would make a cycle.
    with pytest.raises(DomainError) as error:
        areas.save_area("GM1728", "Bladel", "neighbourhood", parent_code="BLADEL")
    assert error.value.field == "parent"
    assert "onder zichzelf" in error.value.message
    db.session.rollback()
    with pytest.raises(DomainError) as error:
        areas.save_area("RG", "Kempen", "neighbourhood", parent_code="RG")
    assert error.value.field == "parent"
    db.session.rollback()
    assert areas.get_by_code("GM1728").parent.code == "RG"


@pytest.mark.parametrize(("kind", "parent"), [
    ("municipality", "BLADEL"),   # a municipality under a core
    ("core", "HAPERT"),           # same level
    ("region", "RG"),             # a region under a region
])
def test_a_parent_must_be_a_bigger_kind_of_area(kempen, kind, parent):
    with pytest.raises(DomainError) as error:
        areas.save_area("NEW", "Nieuw", kind, parent_code=parent)
    assert error.value.field == "parent"
    assert "kan niet onder een" in error.value.message
    assert "municipality" not in error.value.message  # Dutch names, not our codes


def test_an_area_with_children_cannot_become_a_smaller_kind(kempen):
    with pytest.raises(DomainError) as error:
        areas.save_area("GM1728", "Bladel", "district", parent_code="RG")
    assert error.value.field == "kind"
    assert "kern" in error.value.message


def test_unknown_parent_and_bad_fields_are_refused_in_dutch(kempen):
    cases = [
        (dict(code="X", name="X", kind="core", parent_code="NOPE"), "parent"),
        (dict(code="bad code!", name="X", kind="core"), "code"),
        (dict(code="X", name="  ", kind="core"), "name"),
        (dict(code="X", name="x" * 121, kind="core"), "name"),
        (dict(code="X", name="X", kind="village"), "kind"),
        (dict(code="X", name="X", kind="core", parent_code="GM1728", pc4=["0000"]), "pc4"),
        (dict(code="X", name="X", kind="core", parent_code="GM1728", pc4=["1000"]), "pc4"),
    ]
    for kwargs, field in cases:
        code, name, kind = kwargs.pop("code"), kwargs.pop("name"), kwargs.pop("kind")
        with pytest.raises(DomainError) as error:
            areas.save_area(code, name, kind, **kwargs)
        assert error.value.field == field, kwargs
        db.session.rollback()
    assert areas.get_by_code("X") is None


def test_save_area_is_idempotent_and_audits_only_changes(kempen):
    def audit_count():
        return db.session.scalar(select(func.count()).select_from(AuditEvent))

    before = audit_count()
    again = areas.save_area("HAPERT", "Hapert", "core", parent_code="GM1728", pc4=["5527"])
    db.session.commit()
    assert again.id == kempen["HAPERT"].id
    assert db.session.scalar(select(func.count()).select_from(Area)) == len(kempen)
    assert audit_count() == before
    areas.save_area("HAPERT", "Hapert (dorp)", "core", parent_code="GM1728")
    db.session.commit()
    assert audit_count() == before + 1


def test_listed_pc4_move_to_the_area_but_one_in_a_sub_area_stays(kempen):
    # Eersel's core 5521 and Bladel's 5531 listed for municipality Eersel:
    # 5531 moves (it was elsewhere), 5521 stays in the core below Eersel.
    areas.save_area("GM0770", "Eersel", "municipality", parent_code="RG", pc4=["5531", "5521"])
    db.session.commit()
    assert areas.area_for_pc4("5521").code == "EERSEL"
    assert areas.area_for_pc4("5531").code == "GM0770"
    assert areas.pc4s_in(kempen["GM1728"]) == ["5527"]
    # A PC4 held by a bigger area moves down to the more specific one.
    areas.save_area("BLADEL", "Bladel", "core", parent_code="GM1728", pc4=["5531"])
    db.session.commit()
    assert areas.area_for_pc4("5531").code == "BLADEL"
    assert [p.pc4 for p in kempen["GM0770"].postcodes] == []


def test_set_postcodes_maps_exactly_these_codes(kempen):
    bladel = kempen["BLADEL"]
    areas.set_postcodes(bladel, "5531, 5528\n5529")
    db.session.commit()
    assert [p.pc4 for p in bladel.postcodes] == ["5528", "5529", "5531"]
    areas.set_postcodes(bladel, "5529")
    db.session.commit()
    assert [p.pc4 for p in bladel.postcodes] == ["5529"]
    assert areas.area_for_pc4("5531") is None
    assert db.session.get(AreaPostcode, "5528") is None


def test_area_for_pc4_accepts_every_postcode_spelling(kempen):
    for text in ("5531", "5531 AB", "5531AB", "5531ab", " 5531 ab "):
        assert areas.area_for_pc4(text).code == "BLADEL", text
    assert areas.area_for_pc4("5532") is None   # real, but in no area
    assert areas.area_for_pc4("55312") is None
    assert areas.area_for_pc4("") is None


def test_parse_pc4_list_names_every_wrong_code():
    assert areas.parse_pc4_list("5531, 5527 5528;5531") == ["5527", "5528", "5531"]
    assert areas.parse_pc4_list("") == []
    with pytest.raises(DomainError) as error:
        areas.parse_pc4_list("5531, 0123, abc, 1000, ５５３１")
    message = error.value.message
    assert error.value.field == "pc4"
    assert all(bad in message for bad in ("0123", "abc", "1000", "５５３１"))
    assert "5531," not in message


# Settings ---------------------------------------------------------------------------------


def test_a_core_inherits_settings_unless_it_sets_its_own(kempen):
    core, municipality, region = kempen["BLADEL"], kempen["GM1728"], kempen["RG"]
    key = "signal_respond_days"
    assert area_settings.effective(core, key) == area_settings.SETTINGS[key].default
    assert area_settings.effective(None, key) == area_settings.SETTINGS[key].default
    area_settings.set_value(region, key, "10")
    assert area_settings.effective(core, key) == "10"
    area_settings.set_value(municipality, key, "4")
    assert area_settings.effective(core, key) == "4"
    assert area_settings.effective(kempen["EERSEL"], key) == "10"
    area_settings.set_value(core, key, "2")
    assert area_settings.effective(core, key) == "2"
    assert area_settings.effective(kempen["HAPERT"], key) == "4"
    assert area_settings.effective(municipality, key) == "4"
    area_settings.set_value(core, key, "")  # empty: inherit again
    assert area_settings.effective(core, key) == "4"
    assert area_settings.own_values(core) == {}


def test_a_moved_core_inherits_from_its_new_municipality(kempen):
    area_settings.set_value(kempen["GM1728"], "brokering_mode", "peer_to_peer")
    area_settings.set_value(kempen["GM0770"], "brokering_mode", "brokered")
    assert area_settings.effective(kempen["HAPERT"], "brokering_mode") == "peer_to_peer"
    areas.save_area("HAPERT", "Hapert", "core", parent_code="GM0770")
    db.session.commit()
    assert area_settings.effective(kempen["HAPERT"], "brokering_mode") == "brokered"


@pytest.mark.parametrize(("key", "value"), [
    ("signal_respond_days", "0"),
    ("signal_respond_days", "31"),
    ("signal_respond_days", "drie"),
    ("signal_respond_days", "-3"),
    ("signal_respond_days", "2.5"),
    ("signal_respond_days", "٣"),      # Arabic-Indic three: isdigit(), but not a number here
    ("request_expiry_days", "6"),
    ("brokering_mode", "anarchy"),
])
def test_invalid_setting_values_are_refused_in_dutch(kempen, key, value):
    with pytest.raises(DomainError) as error:
        area_settings.set_value(kempen["BLADEL"], key, value)
    assert error.value.field == key
    assert error.value.message.startswith(("Vul", "Kies"))
    assert area_settings.own_values(kempen["BLADEL"]) == {}


def test_setting_values_are_stored_plainly(kempen):
    area_settings.set_value(kempen["BLADEL"], "signal_respond_days", " 07 ")
    assert area_settings.own_values(kempen["BLADEL"]) == {"signal_respond_days": "7"}
    with pytest.raises(DomainError):
        area_settings.set_value(kempen["BLADEL"], "no_such_setting", "1")
