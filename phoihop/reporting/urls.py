"""Pages of the reporting app, mounted at /reporting/ (config/urls.py)."""

from django.urls import URLPattern, URLResolver, path

from .views import meetings, others, periods, reports

app_name = "reporting"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", periods.period_list, name="periods"),
    path("open/", periods.period_open, name="period_open"),
    path("ad-hoc/", periods.adhoc_new, name="adhoc_new"),
    path("obligations/<int:obligation_id>/start/", periods.report_begin, name="report_begin"),
    path("reports/<int:pk>/", reports.report_detail, name="report"),
    path("reports/<int:pk>/move/<slug:move>/", reports.report_move, name="report_move"),
    path("reports/<int:pk>/amend/", reports.report_amend_view, name="report_amend"),
    path("consolidations/<int:pk>/", periods.consolidation_detail, name="consolidation"),
    path("consolidations/<int:pk>/file.<str:fmt>", periods.consolidation_file, name="consolidation_file"),
    path("meetings/", meetings.meeting_list, name="meetings"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/move/<slug:move>/", meetings.meeting_move, name="meeting_move"),
    path("follow-ups/<int:pk>/move/<slug:move>/", meetings.follow_up_move, name="follow_up_move"),
    path("difficulties/", others.difficulty_list, name="difficulties"),
    path("difficulties/<int:pk>/", others.difficulty_detail, name="difficulty"),
    path("difficulties/<int:pk>/move/<slug:move>/", others.difficulty_move, name="difficulty_move"),
    path("rule-sets/", others.ruleset_changes, name="rulesets"),
    path("activities/", others.activity_list, name="activities"),
    path("activities/<int:pk>/file/", others.activity_file, name="activity_file"),
    path("<slug:code>/", periods.period_detail, name="period"),
    path("<slug:code>/consolidate/", periods.consolidate, name="consolidate"),
    path("<slug:code>/consolidation/", periods.consolidation_preview, name="consolidation_preview"),
    path("<slug:code>/meeting/", meetings.meeting_new, name="meeting_new"),
]
