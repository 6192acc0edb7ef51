"""Files kept across a redisplay of the report form (intake.held): kept, listed, removable, attached, never orphaned."""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from pathlib import Path

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from phoihop.intake import held
from phoihop.intake.models import Evidence, Report
from phoihop.intake.tasks import evidence_sweep_orphans

from .test_views import PUBLIC_URL, evidence_files, form_data, png_bytes, png_upload

pytestmark = pytest.mark.django_db


def token_of(html: str) -> str:
    return re.search(r'name="held_token" value="([^"]*)"', html).group(1)


def kept_ids(html: str) -> list[str]:
    return re.findall(r'name="held_remove" value="([0-9a-f]+)"', html)


def held_files(settings) -> list[Path]:
    return [p for p in evidence_files(settings) if p.parent.name == held.FOLDER]


def first_attempt(client, *files) -> str:
    """The form sent with a too-short description and `files`: it comes back, the files kept."""
    response = client.post(PUBLIC_URL, {**form_data(description="ngắn"), "files": list(files)})
    assert response.status_code == 200
    return response.content.decode()


def test_files_are_kept_listed_and_attached_when_the_form_is_finally_accepted(client, settings):
    html = first_attempt(client, png_upload("anh-chup.png"), SimpleUploadedFile("ghi-chu.txt", b"so tai khoan 123"))
    assert Report.objects.count() == 0
    listing = re.search(r'data-testid="kept-files".*?</ul>', html, re.S).group(0)
    assert "anh-chup.png" in listing and "ghi-chu.txt" in listing
    assert len(kept_ids(html)) == 2 and len(held_files(settings)) == 2
    # The citizen fixes the text and sends again without choosing the files.
    response = client.post(PUBLIC_URL, {**form_data(), "held_token": token_of(html)})
    assert response.status_code == 302
    report = Report.objects.get()
    assert sorted(report.evidence.values_list("original_name", flat=True)) == ["anh-chup.png", "ghi-chu.txt"]
    assert report.evidence.get(original_name="anh-chup.png").file.read() == png_bytes()
    assert held_files(settings) == []  # nothing stays in the temporary area
    receipt = client.get(response["Location"]).content.decode()
    assert "anh-chup.png" in receipt and "ghi-chu.txt" in receipt


def test_a_kept_file_ticked_remove_is_not_attached_and_is_deleted(client, settings):
    html = first_attempt(client, png_upload("a.png"), SimpleUploadedFile("b.txt", b"noi dung ghi chu"))
    ids = kept_ids(html)
    response = client.post(PUBLIC_URL, {**form_data(), "held_token": token_of(html), "held_remove": [ids[0]]})
    assert response.status_code == 302
    assert list(Evidence.objects.values_list("original_name", flat=True)) == ["b.txt"]
    assert held_files(settings) == []


def test_kept_files_and_new_ones_add_up_and_survive_a_second_redisplay(client, settings):
    html = first_attempt(client, png_upload("a.png"))
    html = client.post(
        PUBLIC_URL,
        {
            **form_data(description="ngắn"),
            "held_token": token_of(html),
            "files": [SimpleUploadedFile("b.txt", b"them thong tin moi")],
        },
    ).content.decode()
    assert len(kept_ids(html)) == 2
    client.post(PUBLIC_URL, {**form_data(), "held_token": token_of(html)})
    assert sorted(Evidence.objects.values_list("original_name", flat=True)) == ["a.png", "b.txt"]


def test_a_tampered_token_is_refused_and_nothing_it_names_is_attached(client, settings):
    html = first_attempt(client, png_upload())
    token = token_of(html)
    payload = signing.loads(token, salt=held._SALT)
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    response = client.post(PUBLIC_URL, {**form_data(), "held_token": forged})
    assert response.status_code == 200
    assert "altered" in response.content.decode()
    assert Report.objects.count() == 0 and Evidence.objects.count() == 0
    # A token signed with another key (a forger's own) names another file: refused just the same.
    other = signing.dumps({**payload, "f": [["0" * 32, "x.png", 1, "image/png", "0" * 64]]}, key="x" * 50)
    assert "altered" in client.post(PUBLIC_URL, {**form_data(), "held_token": other}).content.decode()
    assert Report.objects.count() == 0


def test_a_token_from_another_session_is_refused(client, settings):
    token = token_of(first_attempt(client, png_upload()))
    stranger = Client()
    response = stranger.post(PUBLIC_URL, {**form_data(), "held_token": token})
    assert response.status_code == 200
    assert "another browser session" in response.content.decode()
    assert Evidence.objects.count() == 0
    assert len(held_files(settings)) == 1  # still the owner's until it is swept


def test_an_abandoned_form_leaves_nothing_after_the_sweep(client, settings):
    first_attempt(client, png_upload())
    [path] = held_files(settings)
    assert evidence_sweep_orphans.call() == 0  # kept for the citizen for an hour
    assert path.exists()
    old = time.time() - (held.HELD_FOR + dt.timedelta(minutes=1)).total_seconds()
    os.utime(path, (old, old))
    assert held.held_sweep() == 1
    assert evidence_files(settings) == []


def test_the_hourly_task_sweeps_kept_files(client, settings):
    first_attempt(client, png_upload())
    [path] = held_files(settings)
    old = time.time() - 2 * held.HELD_FOR.total_seconds()
    os.utime(path, (old, old))
    assert evidence_sweep_orphans.call() == 1
    assert evidence_files(settings) == []


def test_an_expired_token_asks_for_the_files_again(client, settings, monkeypatch):
    html = first_attempt(client, png_upload())
    monkeypatch.setattr(held, "HELD_FOR", dt.timedelta(seconds=-1))
    response = client.post(PUBLIC_URL, {**form_data(), "held_token": token_of(html)})
    assert response.status_code == 200 and "choose them again" in response.content.decode()
    assert Evidence.objects.count() == 0


def test_a_refused_file_is_not_kept(client, settings):
    exe = b"MZ\x90\x00" + b"\x00" * 200
    html = first_attempt(client, SimpleUploadedFile("photo.jpg", exe))
    assert "photo.jpg" in html and kept_ids(html) == []
    assert evidence_files(settings) == []
