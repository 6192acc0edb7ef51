"""The notices API, mounted at /api/v1/ (config/urls.py)."""

from django.urls import path

from .views import NoticeListView, NoticeReadView

urlpatterns = [
    path("notices/", NoticeListView.as_view(), name="notice-list"),
    path("notices/<int:pk>/read/", NoticeReadView.as_view(), name="notice-read"),
]
