"""URLs of the alerts API, mounted at /api/v1/ (config/urls.py). The public warnings are offered as feeds
(/alerts/public/feed.atom and feed.json), not here."""

from django.urls import path

from .views import AdvisoryAcknowledgeView, AdvisoryDetailView, AdvisoryListView

urlpatterns = [
    path("advisories/", AdvisoryListView.as_view(), name="advisory-list"),
    path("advisories/<str:reference>/", AdvisoryDetailView.as_view(), name="advisory-detail"),
    path("advisories/<str:reference>/acknowledge/", AdvisoryAcknowledgeView.as_view(), name="advisory-acknowledge"),
]
