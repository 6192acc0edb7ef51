"""The offline map: outlines from the rule set (boundaries.geojson), checked by the loader; the page colours
each unit by the reports the user may see."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from django.test import Client

from phoihop.dashboards.mapping import EMPTY, class_breaks, fill_for
from phoihop.dashboards.models import AreaBoundary
from phoihop.directory.models import AdministrativeUnit
from phoihop.rulesets.loader import DATA_DIR, RuleSetInvalid
from phoihop.rulesets.services import ruleset_load

pytestmark = pytest.mark.django_db
HALF = {"from": "2026-01-01", "to": "2026-06-30"}


def _outlines_and_units(folder: str, parent: str) -> tuple[list[str], set[str]]:
    doc = json.loads((DATA_DIR / folder / "boundaries.geojson").read_text(encoding="utf-8"))
    assert "not the official boundaries" in doc["note"].lower()
    areas = yaml.safe_load((DATA_DIR / folder / "areas.yaml").read_text(encoding="utf-8"))["areas"]
    return [f["properties"]["code"] for f in doc["features"]], {a["code"] for a in areas if a.get("parent") == parent}


def test_the_2013_rule_set_outlines_every_district_level_unit():
    codes, districts = _outlines_and_units("soctrang-2013", "st")
    assert sorted(codes) == sorted(districts)


def test_the_2025_outlines_name_units_of_the_new_city():
    # Since 2025 the city's units are its 103 communes and wards (no districts): the hand-drawn file outlines
    # the former Sóc Trăng centre and coast only, and every outline must name one of those units.
    codes, units = _outlines_and_units("cantho-2025", "ct")
    assert len(units) == 103
    assert codes and len(set(codes)) == len(codes) and set(codes) <= units


def test_the_soctrang_outlines_are_loaded():
    loaded = set(AreaBoundary.objects.filter(ruleset__code="soctrang-2013").values_list("area__code", flat=True))
    assert len(loaded) == 11 and "st-vinh-chau" in loaded


def _broken_copy(tmp_path: Path, change) -> Path:
    folder = tmp_path / "soctrang-2013"
    shutil.copytree(DATA_DIR / "soctrang-2013", folder)
    path = folder / "boundaries.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return folder


def _set(path: list, value):
    def change(doc):
        target = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


@pytest.mark.parametrize(
    ("change", "record", "field", "words"),
    [
        (
            _set(["features", 2, "properties", "code"], "st-atlantis"),
            "st-atlantis (features #3)",
            "properties.code",
            "unknown area",
        ),
        (
            _set(["features", 3, "properties", "code"], "st-nga-nam"),
            "st-nga-nam (features #4)",
            "properties.code",
            "duplicate",
        ),
        (
            _set(["features", 0, "geometry", "coordinates", 0, 2], [205.1, 9.5]),
            "st-nga-nam (features #1)",
            "geometry.coordinates.0.2",
            "longitude",
        ),
        (
            _set(["features", 0, "geometry", "coordinates", 0, 2], ["x", 9.5]),
            "st-nga-nam (features #1)",
            "geometry.coordinates.0.2",
            "pair",
        ),
        (
            _set(["features", 1, "geometry", "coordinates", 0, -1], [105.0, 9.0]),
            "st-my-tu (features #2)",
            "geometry.coordinates.0",
            "not closed",
        ),
        (
            _set(["features", 1, "geometry", "coordinates"], [[[105.0, 9.0], [105.1, 9.0], [105.0, 9.0]]]),
            "st-my-tu (features #2)",
            "geometry.coordinates.0",
            "four points",
        ),
        (_set(["features", 1, "geometry", "type"], "Point"), "features #2", "geometry.type", "Point"),
        (_set(["type"], "Feature"), "", "type", "FeatureCollection"),
    ],
)
def test_a_broken_file_is_refused_naming_file_record_and_field(tmp_path, change, record, field, words):
    before = list(AreaBoundary.objects.values_list("pk", "polygons"))
    folder = _broken_copy(tmp_path, change)
    with pytest.raises(RuleSetInvalid) as refused:
        ruleset_load(code_or_path=str(folder))
    errors = [e for e in refused.value.errors if e.file == "boundaries.geojson"]
    assert errors, refused.value
    assert any(e.record == record and e.field == field and words.lower() in e.message.lower() for e in errors), errors
    assert list(AreaBoundary.objects.values_list("pk", "polygons")) == before  # nothing loaded


def test_json_that_does_not_parse_is_refused_with_its_line(tmp_path):
    folder = _broken_copy(tmp_path, lambda doc: None)
    (folder / "boundaries.geojson").write_text('{"type": "FeatureCollection",\n "features": [,]}', encoding="utf-8")
    with pytest.raises(RuleSetInvalid) as refused:
        ruleset_load(code_or_path=str(folder))
    assert any(e.file == "boundaries.geojson" and e.record == "line 2" for e in refused.value.errors)


def test_colour_classes():
    breaks = class_breaks(10)
    assert breaks == [2, 4, 6, 8, 10]
    assert fill_for(0, breaks) == EMPTY
    assert fill_for(1, breaks) != fill_for(10, breaks)


def test_the_map_colours_each_unit_by_what_the_user_may_see(world):
    cast, _reports = world
    client = Client()
    client.force_login(cast.fresh().police_focal)
    html = client.get("/dashboard/map/", HALF).content.decode()
    assert '<svg class="map"' in html and "style=" not in html
    # Vĩnh Châu: call1 and viettel1 (call2 is in a restricted case hidden from the police)
    vinh_chau = re.search(r'data-area="st-vinh-chau"><path [^>]*fill="([^"]+)"[^>]*><title>([^<]+)</title>', html)
    assert vinh_chau and vinh_chau.group(2).endswith(": 2 reports")
    assert vinh_chau.group(1) != EMPTY
    ke_sach = re.search(r'data-area="st-ke-sach"><path [^>]*fill="([^"]+)"', html)
    assert ke_sach.group(1) == EMPTY
    assert AdministrativeUnit.objects.get(code="st-vinh-chau").name in html


def test_the_map_is_for_agency_staff(world):
    cast, _reports = world
    client = Client()
    client.force_login(cast.fresh().viettel)
    assert client.get("/dashboard/map/").status_code == 403
