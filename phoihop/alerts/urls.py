"""Pages of the alerts app, mounted at /alerts/ (config/urls.py)."""

from django.urls import path

from . import views
from .feeds import WarningsAtomFeed, WarningsJSONFeed

app_name = "alerts"
urlpatterns = [
    # Advisories to the parties (signed in).
    path("advisories/", views.advisory_inbox, name="advisories"),
    path("advisories/sent/", views.advisory_sent, name="advisories_sent"),
    path("advisories/new/", views.advisory_new, name="advisory_new"),
    path("advisories/<str:reference>/", views.advisory_detail, name="advisory"),
    path("advisories/<str:reference>/acknowledge/", views.advisory_acknowledge, name="advisory_acknowledge"),
    path("advisories/<str:reference>/move/<slug:name>/", views.advisory_move, name="advisory_move"),
    path("advisories/<str:reference>/files/<int:pk>/", views.advisory_file, name="advisory_file"),
    # Public warnings: the staff's pages.
    path("warnings/", views.warning_list, name="warnings"),
    path("warnings/new/", views.warning_new, name="warning_new"),
    path("warnings/<int:pk>/", views.warning_detail, name="warning"),
    path("warnings/<int:pk>/edit/", views.warning_edit, name="warning_edit"),
    path("warnings/<int:pk>/move/<slug:name>/", views.warning_move, name="warning_move"),
    path("warnings/<int:pk>/images/<int:image>/", views.warning_image, name="warning_image"),
    # Newsrooms (Đ9).
    path("newsrooms/", views.newsroom_list, name="newsroom"),
    path("newsrooms/subscribe/", views.newsroom_subscribe, name="newsroom_subscribe"),
    path("newsrooms/confirm/<str:token>/", views.newsroom_confirm, name="newsroom_confirm"),
    path("newsrooms/unsubscribe/<str:token>/", views.newsroom_unsubscribe, name="newsroom_unsubscribe"),
    # The public site: no sign-in.
    path("public/", views.public_list, name="public_list"),
    path("public/feed.atom", WarningsAtomFeed(), name="feed_atom"),
    path("public/feed.json", WarningsJSONFeed(), name="feed_json"),
    path("public/<slug:slug>/", views.public_warning, name="public_warning"),
    path("public/<slug:slug>/images/<int:pk>/", views.public_image, name="public_image"),
]
