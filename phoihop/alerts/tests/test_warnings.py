"""Public warnings (Đ9): drafting from a case, approval by the head only, publishing and unpublishing, the
public pages (no sign-in), images served safely, only LISTED indicators shown."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from phoihop.alerts.models import PublicWarning, WarningImage
from phoihop.alerts.selectors import warning_initial_from_case, warnings_naming
from phoihop.alerts.services import warning_create, warning_move, warning_update
from phoihop.core.errors import Conflict, Invalid, NotAllowed
from phoihop.indicators.models import Indicator
from phoihop.listing.services.listings import listing_move, listing_propose

from .factories import ctx, draft_warning, open_case, png_upload, published_warning, submit_report, warning_input

pytestmark = pytest.mark.django_db


def list_scam_number(cast):
    """The listing app's decision path: DIC's case proposes 0912 345 678, the hub coordinator approves."""
    case = open_case(cast.dic_focal, submit_report())
    indicator = Indicator.objects.get(kind="phone", value="+84912345678")
    listing = listing_propose(
        case=case,
        indicator=indicator,
        category="scam-call",
        reason="Nhiều người dân phản ánh cùng số gọi giả danh công an.",
        ctx=ctx(cast.dic_focal),
    )
    listing_move(listing=listing, move="approve", ctx=ctx(cast.dic_hub))
    return case


def test_approval_by_the_head_only_then_public(cast, client):
    warning = draft_warning(cast.dic_focal)
    assert client.get(f"/alerts/public/{warning.slug}/").status_code == 404  # a draft is not public
    warning = warning_move(warning=warning, move="submit", ctx=ctx(cast.dic_focal))
    for not_head in (cast.dic_focal, cast.dic_hub, cast.police_focal):
        with pytest.raises(NotAllowed):
            warning_move(warning=warning, move="approve", ctx=ctx(not_head))
    assert PublicWarning.objects.get(pk=warning.pk).status == "submitted"
    warning = warning_move(warning=warning, move="approve", ctx=ctx(cast.dic_head))
    assert warning.status == "published" and warning.published_at and warning.decided_by == cast.dic_head
    page = client.get(f"/alerts/public/{warning.slug}/")
    assert page.status_code == 200 and warning.title in page.content.decode()
    assert warning.title in client.get("/alerts/public/").content.decode()


def test_unpublish_takes_it_off_the_site_and_the_feeds(cast, client):
    warning = published_warning(cast.dic_focal, cast.dic_head)
    with pytest.raises(Invalid) as refused:
        warning_move(warning=warning, move="withdraw", ctx=ctx(cast.dic_head))
    assert refused.value.field == "reason"
    with pytest.raises(NotAllowed):
        warning_move(warning=warning, move="withdraw", ctx=ctx(cast.dic_focal), reason="x")
    warning_move(warning=warning, move="withdraw", ctx=ctx(cast.dic_head), reason="Thông tin đã cũ")
    assert client.get(f"/alerts/public/{warning.slug}/").status_code == 404
    assert warning.title not in client.get("/alerts/public/feed.atom").content.decode()
    assert warning.title not in client.get("/alerts/public/").content.decode()


def test_returned_with_a_comment_corrected_and_submitted_again(cast):
    warning = warning_move(warning=draft_warning(cast.dic_focal), move="submit", ctx=ctx(cast.dic_focal))
    with pytest.raises(Invalid) as refused:
        warning_move(warning=warning, move="return", ctx=ctx(cast.dic_head), comment="  ")
    assert refused.value.field == "comment"
    warning = warning_move(warning=warning, move="return", ctx=ctx(cast.dic_head), comment="Bỏ tên nạn nhân.")
    assert (warning.status, warning.return_comment) == ("returned", "Bỏ tên nạn nhân.")
    warning = warning_update(warning=warning, data=warning_input(title="Cảnh báo mới"), ctx=ctx(cast.dic_focal))
    warning = warning_move(warning=warning, move="submit", ctx=ctx(cast.dic_focal))
    assert warning.status == "submitted" and warning.title == "Cảnh báo mới"
    with pytest.raises(Conflict):  # a submitted warning is not changed under the head's eyes
        warning_update(warning=warning, data=warning_input(), ctx=ctx(cast.dic_focal))


def test_who_drafts_and_who_sees(cast):
    with pytest.raises(NotAllowed):
        draft_warning(cast.viettel)  # an enterprise does not publish warnings here
    with pytest.raises(NotAllowed):
        draft_warning(cast.outsider)
    warning = draft_warning(cast.police_focal)
    from phoihop.alerts.permissions import visible_warnings

    assert visible_warnings(cast.police_focal).filter(pk=warning.pk).exists()
    assert not visible_warnings(cast.dic_focal).filter(pk=warning.pk).exists()  # a draft stays in its house
    with pytest.raises(NotAllowed):
        warning_update(warning=warning, data=warning_input(), ctx=ctx(cast.dic_focal))


def test_bad_input_names_the_field_and_writes_nothing(cast):
    html_as_png = SimpleUploadedFile("anh.png", b"<html><script>alert(1)</script></html>", content_type="image/png")
    with pytest.raises(Invalid) as refused:
        warning_create(data=warning_input(title="", protection="", images=[html_as_png]), ctx=ctx(cast.dic_focal))
    assert {"title", "protection", "image_alt"} <= set(refused.value.errors)
    with pytest.raises(Invalid) as refused:
        warning_create(data=warning_input(images=[html_as_png], image_alts=["ảnh"]), ctx=ctx(cast.dic_focal))
    assert set(refused.value.errors) == {"images"}
    pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    with pytest.raises(Invalid) as refused:
        warning_create(data=warning_input(images=[pdf], image_alts=["tài liệu"]), ctx=ctx(cast.dic_focal))
    assert "images" in refused.value.errors  # a PDF is a fine file, but not a photo
    assert not PublicWarning.objects.exists() and not WarningImage.objects.exists()


def test_images_are_served_safely_and_only_once_published(cast, client):
    warning = draft_warning(cast.dic_focal, images=[png_upload()], image_alts=["Ảnh chụp tin nhắn lừa đảo"])
    image = warning.images.get()
    url = f"/alerts/public/{warning.slug}/images/{image.pk}/"
    assert client.get(url).status_code == 404
    warning = warning_move(warning=warning, move="submit", ctx=ctx(cast.dic_focal))
    warning_move(warning=warning, move="approve", ctx=ctx(cast.dic_head))
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff" and "sandbox" in response["Content-Security-Policy"]
    assert response.content.startswith(b"\x89PNG")
    page = client.get(f"/alerts/public/{warning.slug}/").content.decode()
    assert url in page and "Ảnh chụp tin nhắn lừa đảo" in page


def test_only_listed_indicators_reach_the_public(cast, client):
    warning = published_warning(cast.dic_focal, cast.dic_head, indicators="0912 345 678\nlua-dao-example.com")
    page = client.get(f"/alerts/public/{warning.slug}/").content.decode()
    assert "+84912345678" not in page and "lua-dao-example.com" not in page  # reported, not listed
    list_scam_number(cast)
    page = client.get(f"/alerts/public/{warning.slug}/").content.decode()
    assert "+84912345678" in page and "lua-dao-example.com" not in page
    # The listing app's public look-up gets this warning for the listed value.
    indicator = Indicator.objects.get(kind="phone", value="+84912345678")
    answer = warnings_naming([indicator.pk])
    assert answer[indicator.pk]["url"] == f"/alerts/public/{warning.slug}/"


def test_drafted_from_a_case_prefilled(cast, client):
    case = open_case(cast.dic_focal, submit_report(), title="Giả danh công an từ số 0912 345 678")
    initial = warning_initial_from_case(case)
    assert initial["title"] == case.title and "+84912345678" in initial["indicators"]
    client.force_login(cast.dic_focal)
    form = client.get(f"/alerts/warnings/new/?case={case.reference}")
    assert form.status_code == 200 and case.title in form.content.decode()
    response = client.post(
        f"/alerts/warnings/new/?case={case.reference}",
        {
            "title": case.title,
            "summary": "Tóm tắt",
            "method": "Thủ đoạn",
            "protection": "Cách phòng tránh",
            "indicators": initial["indicators"],
        },
    )
    assert response.status_code == 302
    warning = PublicWarning.objects.get()
    assert warning.case == case and warning.indicators.filter(value="+84912345678").exists()
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert 'data-testid="case-warnings"' in page and warning.title in page
    # A case the user may not see cannot be used to pre-fill a warning.
    client.force_login(cast.doit_focal)
    assert client.get(f"/alerts/warnings/new/?case={case.reference}").status_code == 404


def test_head_approves_on_the_page(cast, client):
    warning = warning_move(warning=draft_warning(cast.dic_focal), move="submit", ctx=ctx(cast.dic_focal))
    client.force_login(cast.dic_focal)
    assert client.post(f"/alerts/warnings/{warning.pk}/move/approve/").status_code == 302
    assert PublicWarning.objects.get(pk=warning.pk).status == "submitted"
    client.force_login(cast.dic_head)
    queue = client.get("/alerts/warnings/").content.decode()
    assert 'data-testid="approval-queue"' in queue and warning.title in queue
    assert client.post(f"/alerts/warnings/{warning.pk}/move/approve/").status_code == 302
    assert PublicWarning.objects.get(pk=warning.pk).status == "published"
