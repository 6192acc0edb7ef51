"""Pages of the exchange app, mounted at /exchange/ (config/urls.py)."""

from django.urls import path

from .views import moves, pages

app_name = "exchange"
urlpatterns = [
    path("", pages.inbox, name="inbox"),
    path("new/", pages.request_new, name="new"),
    path("<str:reference>/", pages.request_detail, name="detail"),
    path("<str:reference>/move/<slug:name>/", moves.request_move_view, name="move"),
    path("<str:reference>/r/<int:recipient_id>/move/<slug:name>/", moves.recipient_move_view, name="recipient_move"),
    path("<str:reference>/r/<int:recipient_id>/council/<slug:step>/", moves.council_view, name="council"),
    path("<str:reference>/handover/", moves.handover_view, name="handover"),
    path("<str:reference>/files/<int:file_id>/", pages.attachment_download, name="file"),
]
