"""The demo requests are made once, through the services, after the demo accounts and cases exist."""

import pytest

from phoihop.exchange.demo import demo_requests
from phoihop.exchange.models import Request

pytestmark = pytest.mark.django_db


def test_demo_requests_once(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    from phoihop.cases.demo import demo_cases_ensure
    from phoihop.directory.demo import demo_accounts_ensure
    from phoihop.intake.demo import demo_reports_ensure

    demo_accounts_ensure()
    demo_reports_ensure()
    demo_cases_ensure()
    assert demo_requests().startswith("3 requests")
    assert Request.objects.count() == 3
    assert Request.objects.filter(recipients__status="accepted").count() == 1
    assert demo_requests() == "" and Request.objects.count() == 3
