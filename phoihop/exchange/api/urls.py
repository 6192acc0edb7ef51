"""URLs of the requests API, mounted at /api/v1/ (config/urls.py)."""

from django.urls import path

from .views import RequestAnswerView, RequestDetailView, RequestFileView, RequestListView, RequestMoveView

urlpatterns = [
    path("requests/", RequestListView.as_view(), name="request-list"),
    path("requests/<str:reference>/", RequestDetailView.as_view(), name="request-detail"),
    path("requests/<str:reference>/moves/<str:name>/", RequestMoveView.as_view(), name="request-move"),
    path("requests/<str:reference>/answer/", RequestAnswerView.as_view(), name="request-answer"),
    path("requests/<str:reference>/files/<str:file_id>/", RequestFileView.as_view(), name="request-file"),
]
