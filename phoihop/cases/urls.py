"""Pages of the cases app, mounted at cases/ (the fixed paths first, then a case by its number)."""

from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_new, name="new"),
    # Triage of a report, by its tracking code (the panel also sits on the report page).
    path("triage/<str:reference>/", views.triage, name="triage"),
    path("triage/<str:reference>/open/", views.triage_open, name="triage_open"),
    path("triage/<str:reference>/attach/", views.triage_attach, name="triage_attach"),
    path("triage/<str:reference>/close/", views.triage_close, name="triage_close"),
    # A case by its number.
    path("<str:reference>/", views.case_detail, name="detail"),
    path("<str:reference>/move/<slug:name>/", views.move, name="move"),
    path("<str:reference>/participants/", views.participant_add, name="participant_add"),
    path("<str:reference>/participants/remove/", views.participant_remove, name="participant_remove"),
    path("<str:reference>/evidence/", views.evidence_add, name="evidence_add"),
    path("<str:reference>/evidence/<int:evidence_id>/", views.evidence_download, name="evidence_download"),
    path("<str:reference>/people/", views.member_add, name="member_add"),
    path("<str:reference>/reports/", views.reports_attach, name="reports_attach"),
    path("<str:reference>/tasks/", views.task_create, name="task_create"),
    path("<str:reference>/tasks/owners/", views.task_owners, name="task_owners"),
    path("<str:reference>/tasks/<int:task_id>/complete/", views.task_complete, name="task_complete"),
    path("<str:reference>/tasks/<int:task_id>/reassign/", views.task_reassign, name="task_reassign"),
    path("<str:reference>/notes/", views.note_add, name="note_add"),
    path("<str:reference>/links/", views.link_add, name="link_add"),
    path("<str:reference>/access/", views.access_set, name="access"),
    path("<str:reference>/secret-dossier/", views.secret_dossier, name="secret_dossier"),
]
