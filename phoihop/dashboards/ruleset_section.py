"""The dashboards' part of a rule-set folder: `boundaries.geojson`, the outlines of the district-level units
drawn on the offline map (GeoJSON, longitude then latitude, WGS 84).

The file is optional (a rule set without it loads; the map then says it has no outlines). Each feature names an
area code of the rule set (areas.yaml, or one already loaded); a code given twice, a ring that is not closed or
has fewer than four points, or a point that is not a longitude/latitude pair, is refused naming the file, the
record and the field, and nothing is loaded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from phoihop.directory.models import AdministrativeUnit
from phoihop.rulesets.loader import DataError, RuleSetData, register_file
from phoihop.rulesets.models import RuleSet
from phoihop.rulesets.sections import References, register_section
from phoihop.rulesets.writer import RecordWriter

from .models import AreaBoundary

KIND = "boundaries"
FILENAME = "boundaries.geojson"
ORDER = 160


def _label(feature: dict, index: int) -> str:
    code = (feature.get("properties") or {}).get("code") or ""
    return f"{code} (features #{index + 1})" if code else f"features #{index + 1}"


def polygons_of(geometry: dict) -> list[list[list[list[float]]]]:
    """Every polygon of a geometry as a list of rings (a Polygon is a MultiPolygon of one)."""
    coords = geometry.get("coordinates") or []
    return [coords] if geometry.get("type") == "Polygon" else list(coords)


def _point_error(point: Any) -> str | None:
    if not (isinstance(point, list) and len(point) in (2, 3) and all(isinstance(v, int | float) for v in point)):
        return "is not a [longitude, latitude] pair"
    lon, lat = point[0], point[1]
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return f"[{lon}, {lat}] is not a longitude between -180 and 180 and a latitude between -90 and 90"
    return None


def geometry_errors(geometry: dict) -> list[tuple[str, str]]:
    """(field, message) for each broken ring or point of a Polygon or MultiPolygon."""
    errors: list[tuple[str, str]] = []
    multi = geometry.get("type") == "MultiPolygon"
    for p, polygon in enumerate(polygons_of(geometry)):
        base = f"geometry.coordinates.{p}" if multi else "geometry.coordinates"
        if not isinstance(polygon, list) or not polygon:
            errors.append((base, "a polygon is a list of rings"))
            continue
        for r, ring in enumerate(polygon):
            where = f"{base}.{r}"
            if not isinstance(ring, list) or len(ring) < 4:
                errors.append((where, "a ring has at least four points (the first repeated last)"))
                continue
            bad = next(((k, msg) for k, pt in enumerate(ring) if (msg := _point_error(pt))), None)
            if bad:
                errors.append((f"{where}.{bad[0]}", bad[1]))
            elif ring[0][:2] != ring[-1][:2]:
                errors.append((where, "the ring is not closed: its last point must repeat its first"))
    return errors


def check_boundaries(data: RuleSetData, refs: References) -> None:
    """Known area codes, one feature per code, sound rings."""
    first: dict[str, int] = {}
    areas = refs.known("area")
    for i, feature in enumerate(data.records(KIND, "features")):
        label = _label(feature, i)
        code = feature["properties"]["code"]
        if code not in areas:
            refs.errors.append(DataError(FILENAME, label, "properties.code", f"unknown area '{code}'"))
        if code in first:
            message = f"duplicate code '{code}', already used by features #{first[code] + 1}"
            refs.errors.append(DataError(FILENAME, label, "properties.code", message))
        else:
            first[code] = i
        for fld, message in geometry_errors(feature["geometry"]):
            refs.errors.append(DataError(FILENAME, label, fld, message))


def load_boundaries(data: RuleSetData, ruleset: RuleSet, w: RecordWriter) -> None:
    """Write the rule set's outlines; one the file no longer lists is removed."""
    if KIND not in data.files:
        return
    units = {u.code: u for u in AdministrativeUnit.objects.all()}
    listed = set()
    for feature in data.records(KIND, "features"):
        area = units[feature["properties"]["code"]]
        listed.add(area.pk)
        polygons = [[[pt[:2] for pt in ring] for ring in polygon] for polygon in polygons_of(feature["geometry"])]
        w.upsert(AreaBoundary, {"ruleset": ruleset, "area": area}, {"polygons": polygons})
    for old in AreaBoundary.objects.filter(ruleset=ruleset).exclude(area_id__in=listed).select_related("area"):
        old.delete()
        w.removed(f"areaboundary {old.area.code}")


def register() -> None:
    register_file(
        KIND, filename=FILENAME, schema=Path(__file__).parent / "schemas" / "boundaries.schema.json", record_keys=()
    )
    register_section(KIND, order=ORDER, load=load_boundaries, check_references=check_boundaries)
