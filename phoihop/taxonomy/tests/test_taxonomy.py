"""The taxonomy holds every behaviour the regulation lists, with its citation and legal basis."""

import re
from pathlib import Path

import pytest

from phoihop.taxonomy.models import Behaviour, Sector

pytestmark = pytest.mark.django_db

# Numbered behaviours per article of Chapter III, counted from Decision 11/2013 (Đ12 has no list of
# its own: it cites Postal Law Art. 7 only).
NUMBERED = {13: 9, 14: 5, 15: 6, 16: 6}
# The laws' own prohibited-acts lists cited by Đ12, Đ13 and Đ16: (law, number of clauses).
LAW_LISTS = {"12": ("Luật Bưu chính", 10), "13": ("Luật Viễn thông", 6), "16": ("Luật Xuất bản", 4)}
# Chapter III of the regulation, verbatim (the file's header says where it comes from).
REGULATION = Path(__file__).resolve().parent / "data" / "qd-11-2013-chapter-3.vi.txt"


def _regulation_text() -> str:
    lines = REGULATION.read_text(encoding="utf-8").splitlines()
    return "\n".join(line for line in lines if not line.startswith("#"))


def _numbered_clauses(text: str) -> dict[int, list[str]]:
    """The numbered clauses of Articles 13–16, read from the regulation's text."""
    out: dict[int, list[str]] = {}
    for article in NUMBERED:
        body = re.search(rf"Điều {article}\..*?\n(.*?)(?=\nĐiều {article + 1}\.|\nChương)", text, re.S).group(1)
        out[article] = [m.group(1).strip() for m in re.finditer(r"^\d+\.\s*(.+)$", body, re.M)]
    return out


def test_every_numbered_behaviour_of_articles_13_to_16_is_present():
    for article, count in NUMBERED.items():
        codes = set(Behaviour.objects.filter(code__regex=rf"^{article}\.\d+$").values_list("code", flat=True))
        assert codes == {f"{article}.{i}" for i in range(1, count + 1)}, article


def test_counts_and_texts_match_the_regulation():
    clauses = _numbered_clauses(_regulation_text())
    assert {a: len(c) for a, c in clauses.items()} == NUMBERED
    for article, texts in clauses.items():
        for i, text in enumerate(texts, start=1):
            b = Behaviour.objects.get(code=f"{article}.{i}")
            assert b.article == f"Đ{article}.{i}"
            assert b.legal_basis_vi.strip() == text, b.code


def test_the_laws_prohibited_acts_are_behaviours_too():
    for article, (law, clauses) in LAW_LISTS.items():
        law_items = Behaviour.objects.filter(code__startswith=f"{article}.L", source="law")
        assert sorted(b.code for b in law_items) == sorted(f"{article}.L{i}" for i in range(1, clauses + 1))
        assert all(law in b.law_citation and b.article == f"Đ{article}" for b in law_items)


def test_every_behaviour_has_citation_help_and_gloss():
    for b in Behaviour.objects.all():
        assert b.article.startswith("Đ") and b.legal_basis_vi and b.help_vi and b.help_en and b.gloss_en, b.code


def test_every_sector_of_article_1_can_be_reported():
    for sector in Sector.objects.all():
        assert sector.behaviours.exists(), sector.code
    assert Sector.objects.count() >= 12
