"""URLs of the countermeasures API, mounted at /api/v1/ (config/urls.py)."""

from django.urls import path

from .views import AcknowledgeView, CountermeasureDetailView, CountermeasureListView, ExecuteView, LiftView, RefuseView

urlpatterns = [
    path("countermeasures/", CountermeasureListView.as_view(), name="countermeasure-list"),
    path("countermeasures/<str:reference>/", CountermeasureDetailView.as_view(), name="countermeasure-detail"),
    path("countermeasures/<str:reference>/acknowledge/", AcknowledgeView.as_view(), name="countermeasure-acknowledge"),
    path("countermeasures/<str:reference>/execute/", ExecuteView.as_view(), name="countermeasure-execute"),
    path("countermeasures/<str:reference>/refuse/", RefuseView.as_view(), name="countermeasure-refuse"),
    path("countermeasures/<str:reference>/lift/", LiftView.as_view(), name="countermeasure-lift"),
]
