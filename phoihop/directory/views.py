"""The organisation directory: who takes part, what functions they hold, where, and how to reach them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from phoihop.audit.services import AuditContext
from phoihop.core.errors import DomainError
from phoihop.core.permissions import can, scope

from .forms import ContactForm
from .models import Organisation, OrganisationFunction
from .permissions import OrganisationAction
from .selectors import today
from .services import organisation_contact_update


@login_required
def organisations(request):
    day = today()
    holdings = OrganisationFunction.objects.valid_on(day).select_related("function", "area")
    orgs = (
        scope(request.user, Organisation.objects.valid_on(day), OrganisationAction.VIEW)
        .select_related("area", "parent")
        .prefetch_related(Prefetch("holdings", queryset=holdings, to_attr="current_holdings"))
        .order_by("type", "name_vi")
    )
    editable = set(
        scope(request.user, Organisation.objects.all(), OrganisationAction.EDIT_CONTACT).values_list("pk", flat=True)
    )
    return render(request, "directory/organisations.html", {"organisations": orgs, "day": day, "editable": editable})


@login_required
def organisation_contact(request, code: str):
    """Đ3.2: the organisation's head (or an administrator) keeps its contact details; every change is audited."""
    org = scope(request.user, Organisation.objects.all(), OrganisationAction.EDIT_CONTACT).filter(code=code).first()
    if org is None or not can(request.user, OrganisationAction.EDIT_CONTACT, org):
        raise Http404
    form = ContactForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        try:
            changed = organisation_contact_update(
                organisation=Organisation.objects.get(pk=org.pk),
                values=form.changed_values(),
                ctx=AuditContext.from_request(request),
            )
        except DomainError as exc:
            for field, errors in exc.errors.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Contact details saved.") if changed else _("Nothing changed."))
            return redirect(reverse("directory:organisations") + f"#org-{org.code}")
    return render(request, "directory/organisation_contact.html", {"org": org, "form": form})
