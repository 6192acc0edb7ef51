"""The demo data: a block of 0912 345 678 asked of the demo carrier and executed, another measure pending; made once,
through the services (the audit chain has their moves)."""

from __future__ import annotations

import pytest

from phoihop.audit.models import AuditEvent
from phoihop.cases.demo import demo_cases_ensure
from phoihop.core.registry import DEMO_DATA_HOOK, hook_handlers
from phoihop.countermeasures.demo import demo_countermeasures_ensure
from phoihop.countermeasures.models import Countermeasure
from phoihop.directory.demo import demo_accounts_ensure
from phoihop.intake.demo import demo_reports_ensure

pytestmark = pytest.mark.django_db


def test_the_demo_executes_a_block_of_the_scam_number_and_leaves_one_pending(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    demo_accounts_ensure()
    demo_reports_ensure()
    demo_cases_ensure()
    assert demo_countermeasures_ensure() == "2 countermeasures"
    assert demo_countermeasures_ensure() == ""  # once
    executed = Countermeasure.objects.get(indicator__value="+84912345678")
    assert executed.status == "executed" and executed.target.code == "st-viettel"
    assert executed.execution_reference and executed.executed_by.username == "carrier.reporter"
    pending = Countermeasure.objects.exclude(pk=executed.pk).get()
    assert pending.status == "requested" and pending.target.enterprise_kind == "isp"
    assert AuditEvent.objects.filter(action="countermeasure.move.execute").count() == 1
    assert demo_countermeasures_ensure in hook_handlers(DEMO_DATA_HOOK)
