"""listing.yaml: shipped in both rule-set folders, loaded by the listing section; its errors name the file,
the record and the field, and nothing is loaded."""

from __future__ import annotations

import shutil

import pytest

from phoihop.rulesets.loader import DATA_DIR, RuleSetInvalid, read_ruleset
from phoihop.rulesets.sections import check_references, registered_sections

from ..models import ListingCategory, ReviewPeriod

# The other sections publish the codes they know from the database too (check_references reads it).
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["soctrang-2013", "cantho-2025"])
def test_both_shipped_folders_carry_a_valid_listing_file(code):
    data = read_ruleset(DATA_DIR / code)
    assert data.records("listing", "categories") and not check_references(data, registered_sections())


def test_the_loaded_rule_set_has_the_categories_and_periods():
    assert ListingCategory.objects.filter(code="scam-call", kinds=["phone"]).exists()
    assert set(ReviewPeriod.objects.values_list("kind", flat=True)) >= {"phone", "*"}


def _folder(tmp_path, text: str):
    folder = tmp_path / "bad"
    shutil.copytree(DATA_DIR / "soctrang-2013", folder)
    (folder / "listing.yaml").write_text(text, encoding="utf-8")
    return folder


def test_a_schema_error_names_file_record_and_field(tmp_path):
    text = (DATA_DIR / "soctrang-2013" / "listing.yaml").read_text(encoding="utf-8")
    folder = _folder(tmp_path, text.replace("    days: 90\n", "    days: 3\n", 1))
    with pytest.raises(RuleSetInvalid) as exc:
        read_ruleset(folder)
    (error,) = exc.value.errors
    assert (error.file, error.field) == ("listing.yaml", "days") and "review_periods #1" in error.record


def test_a_kind_given_twice_names_both_records(tmp_path):
    text = (DATA_DIR / "soctrang-2013" / "listing.yaml").read_text(encoding="utf-8")
    folder = _folder(tmp_path, text + "  - kind: phone\n    days: 30\n")
    errors = check_references(read_ruleset(folder), registered_sections())
    assert [(e.file, e.field) for e in errors] == [("listing.yaml", "kind")]
    assert "review_periods #5" in errors[0].record and "review_periods #1" in errors[0].message
