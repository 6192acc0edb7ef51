"""URLs of the listing API, mounted at /api/v1/ (config/urls.py)."""

from django.urls import path

from .views import CsvFeedView, MispEventView, MispHashesView, MispManifestView, PublicLookupView, StixFeedView

urlpatterns = [
    path("public/lookup/", PublicLookupView.as_view(), name="public-lookup"),
    path("listing/feed/csv/", CsvFeedView.as_view(), name="listing-feed-csv"),
    path("listing/feed/stix/", StixFeedView.as_view(), name="listing-feed-stix"),
    path("listing/feed/misp/manifest.json", MispManifestView.as_view(), name="listing-feed-misp-manifest"),
    path("listing/feed/misp/hashes.csv", MispHashesView.as_view(), name="listing-feed-misp-hashes"),
    path("listing/feed/misp/<str:event_uuid>.json", MispEventView.as_view(), name="listing-feed-misp-event"),
]
