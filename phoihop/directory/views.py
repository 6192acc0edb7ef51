"""The organisation directory: who takes part, what functions they hold, and where."""

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import render

from .models import Organisation, OrganisationFunction
from .selectors import today


@login_required
def organisations(request):
    day = today()
    holdings = OrganisationFunction.objects.valid_on(day).select_related("function", "area")
    orgs = (
        Organisation.objects.valid_on(day)
        .select_related("area", "parent")
        .prefetch_related(Prefetch("holdings", queryset=holdings, to_attr="current_holdings"))
        .order_by("type", "name_vi")
    )
    return render(request, "directory/organisations.html", {"organisations": orgs, "day": day})
