"""The routing table in force, for staff: which rule sends which report where, and why."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from phoihop.directory.choices import Role

from .engine import active_ruleset
from .models import RoutingRule


@login_required
def rules(request):
    if request.user.role == Role.ENTERPRISE_REPORTER:
        raise PermissionDenied
    ruleset = active_ruleset()
    qs = RoutingRule.objects.filter(ruleset=ruleset).select_related("function").order_by("position")
    return render(request, "routing/rules.html", {"rules": qs, "ruleset": ruleset})
