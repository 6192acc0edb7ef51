"""Pages of the countermeasures app, mounted at /countermeasures/ (config/urls.py)."""

from django.urls import path

from . import views

app_name = "countermeasures"
urlpatterns = [
    path("", views.countermeasure_list, name="list"),
    path("new/<str:case_reference>/", views.countermeasure_new, name="new"),
    path("<str:reference>/", views.countermeasure_detail, name="detail"),
    path("<str:reference>/move/<slug:name>/", views.countermeasure_move_view, name="move"),
]
