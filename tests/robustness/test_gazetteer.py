"""The gazetteer checked against a second, offline source (marketplace.geo.check): PC4
numbering per province, province bounding boxes, and neighbours in numbering."""

from __future__ import annotations

import dataclasses
import importlib.util
from pathlib import Path

from marketplace.geo.check import problems, provinces_for
from marketplace.geo.gazetteer import default_gazetteer, load_places

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "build_gazetteer.py"


def test_the_committed_gazetteer_passes_every_rule():
    assert problems(load_places()) == []


def test_1234_is_loosdrecht():
    place = default_gazetteer().require("1234")
    assert (place.place, place.province) == ("Loosdrecht", "Noord-Holland")
    assert 52.1 < place.lat < 52.3 and 5.0 < place.lon < 5.2


def test_the_check_finds_a_place_put_in_the_wrong_province():
    places = load_places()
    index = next(i for i, p in enumerate(places) if p.pc4 == "1234")
    wrong = dataclasses.replace(places[index], lat=50.7859, lon=5.9923, place="Lemiers",
                                province="Limburg")
    found = problems([*places[:index], wrong, *places[index + 1:]])
    assert {pc4 for pc4, _ in found} == {"1234"}
    assert len(found) == 2  # numbered in Noord-Holland; far from 1231 and 1241


def test_the_check_finds_a_centroid_far_from_its_neighbours():
    places = load_places()
    index = next(i for i, p in enumerate(places) if p.pc4 == "3062")
    wrong = dataclasses.replace(places[index], lat=51.8573, lon=3.9439)  # inside the box
    assert [pc4 for pc4, _ in problems([*places[:index], wrong, *places[index + 1:]])] == [
        "3062"]


def test_every_pc4_has_a_numbering_range():
    assert all(provinces_for(str(n)) for n in range(1000, 10000))


def test_a_rebuild_keeps_the_corrections():
    spec = importlib.util.spec_from_file_location("build_gazetteer", SCRIPT)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    source = [{"postal_code": "1234", "city": "Lemiers", "state": "Limburg",
               "latitude": 50.7859, "longitude": 5.9923, "accuracy": 4},
              {"postal_code": "1954", "city": "Tiel", "state": "Guelders",
               "latitude": 51.89, "longitude": 5.41, "accuracy": 4}]
    text = script.render_csv(script.correct(source))
    assert text.splitlines()[1:] == ["1234,52.1997,5.1114,Loosdrecht,Noord-Holland"]
