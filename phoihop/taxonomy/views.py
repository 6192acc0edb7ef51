"""The taxonomy, readable by everyone signed in: each behaviour with its citation and legal basis."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .selectors import sectors_with_behaviours


@login_required
def behaviours(request):
    return render(request, "taxonomy/behaviours.html", {"sectors": sectors_with_behaviours()})
