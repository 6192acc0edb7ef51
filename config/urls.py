"""URL configuration: every app mounts its own urls module here; the API's under one namespace."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

api_v1 = [
    path("", include("phoihop.intake.api.urls")),
    path("", include("phoihop.cases.api.urls")),
    path("", include("phoihop.inbox.api.urls")),
    path("", include("phoihop.documents.api.urls")),
    path("", include("phoihop.exchange.api.urls")),
    path("", include("phoihop.listing.api.urls")),
    path("", include("phoihop.alerts.api.urls")),
    path("", include("phoihop.countermeasures.api.urls")),
    path("", include("phoihop.dashboards.api.urls")),
    path("", include("phoihop.reporting.api.urls")),
    path("", include("phoihop.notices.api.urls")),
    path("", include("phoihop.api.urls")),
]

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("accounts/", include("phoihop.directory.signin.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/v1/", include((api_v1, "api"))),
    path("reports/", include("phoihop.intake.urls")),
    path("cases/", include("phoihop.cases.urls")),
    path("violations/", include("phoihop.taxonomy.urls")),
    path("directory/", include("phoihop.directory.urls")),
    path("routing/", include("phoihop.routing.urls")),
    path("documents/", include("phoihop.documents.urls")),
    path("requests/", include("phoihop.exchange.urls")),
    path("listing/", include("phoihop.listing.urls")),
    path("alerts/", include("phoihop.alerts.urls")),
    path("countermeasures/", include("phoihop.countermeasures.urls")),
    path("dashboard/", include("phoihop.dashboards.urls")),
    path("reporting/", include("phoihop.reporting.urls")),
    path("notices/", include("phoihop.notices.urls")),
    path("", include("phoihop.site.urls")),
]
