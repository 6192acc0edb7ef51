"""Pages of the intake app, mounted at reports/ (the fixed paths first, then a report by its code)."""

from django.urls import path

from .views import imports, indicators, public, staff, triage

app_name = "intake"
urlpatterns = [
    path("new/public/", public.public_report, name="public_report"),
    path("new/", public.new_report, name="new_report"),
    path("new/violations/", public.behaviour_options, name="behaviour_options"),
    path("new/received/", public.receipt, name="receipt"),
    path("new/received/receipt.txt", public.receipt_download, name="receipt_download"),
    path("track/", public.track, name="track"),
    path("inbox/", triage.inbox, name="inbox"),
    path("inbox/acknowledge/", triage.inbox_acknowledge, name="inbox_acknowledge"),
    path("mine/", staff.my_reports, name="my_reports"),
    path("import/", imports.import_reports, name="import_reports"),
    path("import/<int:job_id>/", imports.import_job, name="import_job"),
    path("import/<int:job_id>/progress/", imports.import_job_progress, name="import_job_progress"),
    path("import/<int:job_id>/errors.csv", imports.import_job_errors, name="import_job_errors"),
    path("indicators/<str:kind>/<path:value>/", indicators.indicator_detail, name="indicator"),
    path("<str:reference>/", staff.detail, name="detail"),
    path("<str:reference>/acknowledge/", staff.acknowledge, name="acknowledge"),
    path("<str:reference>/contact/", staff.reveal_contact, name="reveal_contact"),
    path("<str:reference>/evidence/<int:evidence_id>/", staff.evidence_download, name="evidence"),
]
