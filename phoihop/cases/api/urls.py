"""URLs of the cases API, mounted beside the intake API at /api/v1/ (config/urls.py)."""

from django.urls import path

from . import write_views as write
from .views import CaseMoveView, CaseViewSet

urlpatterns = [
    path("cases/", CaseViewSet.as_view({"get": "list", "post": "create"}), name="case-list"),
    path("cases/<str:reference>/", CaseViewSet.as_view({"get": "retrieve"}), name="case-detail"),
    path("cases/<str:reference>/moves/<str:name>/", CaseMoveView.as_view(), name="case-move"),
    path("cases/<str:reference>/reports/", write.CaseAttachView.as_view(), name="case-attach"),
    path("cases/<str:reference>/participants/", write.CaseParticipantView.as_view(), name="case-participant-add"),
    path(
        "cases/<str:reference>/participants/<str:code>/remove/",
        write.CaseParticipantRemoveView.as_view(),
        name="case-participant-remove",
    ),
    path("cases/<str:reference>/members/", write.CaseMemberView.as_view(), name="case-member-add"),
    path("cases/<str:reference>/tasks/", write.CaseTaskView.as_view(), name="case-task-create"),
    path(
        "cases/<str:reference>/tasks/<str:task_id>/complete/",
        write.CaseTaskCompleteView.as_view(),
        name="case-task-complete",
    ),
    path(
        "cases/<str:reference>/tasks/<str:task_id>/reassign/",
        write.CaseTaskReassignView.as_view(),
        name="case-task-reassign",
    ),
    path("cases/<str:reference>/notes/", write.CaseNoteView.as_view(), name="case-note-add"),
    path("cases/<str:reference>/evidence/", write.CaseEvidenceView.as_view(), name="case-evidence-add"),
]
