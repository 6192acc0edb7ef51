"""Need-to-know: the requesting organisation, the organisation asked and whoever sees the case see a measure;
nobody else, not even another carrier; a restricted case's measures stay with its people and the target."""

from __future__ import annotations

import pytest

from phoihop.cases.services import case_add_participant, case_set_access
from phoihop.cases.tests.factories import ctx, org
from phoihop.core.permissions import can, scope
from phoihop.countermeasures.models import Countermeasure

from .conftest import request_block

pytestmark = pytest.mark.django_db

# Who sees a measure of a normal case led by DIC, asked of Viettel (the hubs see every unrestricted case, Đ5.2).
SEES = {
    "dic_focal": True,
    "dic_head": True,
    "dic_hub": True,
    "police_focal": True,  # a hub
    "investigator": False,
    "vc_officer": False,
    "bp_focal": False,
    "doit_focal": False,
    "viettel": True,  # the target
    "vnpt": False,  # another carrier
    "procuracy": False,
    "outsider": False,
    "sysadmin": False,
}


@pytest.mark.parametrize("who", sorted(SEES))
def test_who_sees_a_measure(world, who):
    cm = request_block(world)
    user = world.cast[who]
    visible = scope(user, Countermeasure.objects.all()).filter(pk=cm.pk).exists()
    assert visible == SEES[who]
    assert can(user, "view", cm) == SEES[who]
    assert can(user, "work", cm) == (who == "viettel")
    assert can(user, "lift", cm) == (who in {"dic_focal", "dic_head", "dic_hub"})


def test_a_participant_of_the_case_sees_it_and_a_restricted_case_hides_it_from_the_hubs(world):
    cm = request_block(world)
    case_add_participant(case=world.case, organisation=org("st-doit"), ctx=ctx(world.cast.dic_focal))
    assert can(world.cast.doit_focal, "view", cm)
    case_set_access(case=world.case, level="restricted", ctx=ctx(world.cast.dic_focal))
    assert not can(world.cast.police_focal, "view", cm)  # a hub, but not named on the restricted case
    assert not can(world.cast.doit_focal, "view", cm)
    assert can(world.cast.viettel, "view", cm)  # the organisation asked still has to act on it
    assert can(world.cast.dic_focal, "view", cm)  # the requesting organisation
