"""Pages of the intake app, mounted at reports/ (the fixed paths first, then a report by its code)."""

from django.urls import path

from . import views

app_name = "intake"
urlpatterns = [
    path("new/public/", views.public_report, name="public_report"),
    path("new/", views.new_report, name="new_report"),
    path("new/violations/", views.behaviour_options, name="behaviour_options"),
    path("new/received/", views.receipt, name="receipt"),
    path("track/", views.track, name="track"),
    path("inbox/", views.inbox, name="inbox"),
    path("mine/", views.my_reports, name="my_reports"),
    path("<str:reference>/", views.detail, name="detail"),
    path("<str:reference>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<str:reference>/contact/", views.reveal_contact, name="reveal_contact"),
    path("<str:reference>/evidence/<int:evidence_id>/", views.evidence_download, name="evidence"),
]
