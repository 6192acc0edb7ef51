"""The notices API, mounted at /api/v1/ (config/urls.py)."""

from django.urls import path

from .views import NoticeListView, NoticeReadView

urlpatterns = [
    path("notices/", NoticeListView.as_view(), name="notice-list"),
    # A string, checked by the view: a path that is no number is the API's own 404 (problem+json), not the site's page.
    path("notices/<str:pk>/read/", NoticeReadView.as_view(), name="notice-read"),
]
