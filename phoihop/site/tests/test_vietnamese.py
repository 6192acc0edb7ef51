"""Vietnamese everywhere: the default whatever the browser says, the switch still works, localised error pages
with navigation, amounts and dates as Vietnamese officials write them, the phone menu."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from phoihop.core.templatetags.vn import money
from phoihop.directory.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def vietnamese(settings):
    """The site's real default (the unit tests' conftest switches to English)."""
    settings.LANGUAGE_CODE = "vi"


@pytest.fixture
def focal(django_user_model):
    return django_user_model.objects.create_user(
        username="dic.focal",
        password="a-long-test-password-1",
        organisation=Organisation.objects.get(code="st-dic"),
        role="focal_point",
    )


def test_an_english_browser_gets_the_vietnamese_ui(vietnamese):
    response = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get(reverse("home"))
    html = response.content.decode()
    assert response["Content-Language"] == "vi"
    assert '<html lang="vi">' in html and "Tra cứu tin báo" in html and "Track a report" not in html
    assert "Accept-Language" not in response.get("Vary", "")


def test_the_language_switch_still_works(vietnamese):
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in html and "Track a report" in html
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    assert '<html lang="vi">' in client.get(reverse("home")).content.decode()


def test_a_cookie_naming_an_unknown_language_falls_back_to_vietnamese(vietnamese):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert '<html lang="vi">' in client.get(reverse("home")).content.decode()


def test_the_api_still_follows_accept_language(vietnamese):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/api/v1/reports/")
    assert response["Content-Language"] == "en"


@override_settings(DEBUG=False)
def test_the_404_page_is_vietnamese_with_navigation(vietnamese, focal):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.get("/khong-co-trang-nay/")
    html = response.content.decode()
    assert response.status_code == 404
    assert 'data-testid="error-404"' in html and "Không tìm thấy trang" in html
    assert f'href="{reverse("intake:track")}"' in html and 'class="mainnav"' in html
    client.force_login(focal, backend="django.contrib.auth.backends.ModelBackend")
    html = client.get("/reports/TB00-NOTHERE00/").content.decode()
    assert 'data-testid="error-404"' in html and f'href="{reverse("search")}"' in html


@override_settings(DEBUG=False)
def test_the_403_page_is_vietnamese_and_says_why(vietnamese, django_user_model):
    officer = django_user_model.objects.create_user(
        username="dic.officer",
        password="a-long-test-password-1",
        organisation=Organisation.objects.get(code="st-dic"),
        role="officer",
    )
    client = Client()
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(reverse("intake:inbox_acknowledge"), {"delivery": ["1"]})
    html = response.content.decode()
    assert response.status_code == 403 and 'data-testid="error-403"' in html and "Không được phép" in html


def test_the_500_page_needs_no_database_and_no_request(vietnamese, django_assert_num_queries):
    from django.test import RequestFactory
    from django.views.defaults import server_error

    request = RequestFactory().get("/hong/")  # no session, no user: the middleware may not have run
    with translation.override("vi"), django_assert_num_queries(0):
        response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500 and 'data-testid="error-500"' in html
    assert "Đã có lỗi xảy ra" in html and f'href="{reverse("intake:track")}"' in html


def test_amounts_are_written_the_vietnamese_way():
    with translation.override("vi"):
        assert money(7500000) == "7.500.000\u00a0đ"
        assert money("1200") == "1.200\u00a0đ"
        assert money(0) == "0\u00a0đ"
    with translation.override("en"):
        assert money(7500000) == "7,500,000 VND"
    assert money(None) == "" and money("abc") == "abc"
    html = Template("{% load vn %}{{ v|money }}").render(Context({"v": 7500000}))
    assert html in {"7.500.000\u00a0đ", "7,500,000 VND"}


def test_dates_are_day_month_year_with_slashes():
    from django.utils.formats import date_format

    with translation.override("vi"):
        assert date_format(dt.date(2026, 11, 30), "SHORT_DATE_FORMAT") == "30/11/2026"
        assert date_format(dt.date(2026, 4, 18)) == "ngày 18 tháng 04 năm 2026"


def test_the_staff_header_has_a_search_box_and_a_menu_button(client, focal):
    client.force_login(focal, backend="django.contrib.auth.backends.ModelBackend")
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="header-search"' in html and f'action="{reverse("search")}"' in html
    assert 'aria-controls="topmenu"' in html and 'aria-expanded="false"' in html
    # Without script the menu stays open: the button starts hidden and the menu is not.
    assert 'data-testid="menu-toggle">' not in html or "hidden" in html.split('data-testid="menu-toggle"')[0][-200:]


def test_admin_names_have_real_vietnamese_plurals():
    from django.apps import apps

    with translation.override("vi"):
        for model in apps.get_models():
            if model._meta.app_label not in {"intake", "cases", "indicators", "inbox", "directory", "audit"}:
                continue
            plural = str(model._meta.verbose_name_plural)
            assert not plural.endswith(("ns", "ts", "cs", "os", "ys")), (model._meta.label, plural)
