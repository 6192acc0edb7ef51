"""Pages of the dashboards app, mounted at /dashboard/ (config/urls.py)."""

from django.urls import URLPattern, URLResolver, path

from .views import area_map, lists, pages

app_name = "dashboards"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", pages.home, name="home"),
    path("hub/", pages.hub, name="hub"),
    path("work/", pages.work, name="work"),
    path("head/", pages.head, name="head"),
    path("map/", area_map.area_map, name="map"),
    path("reports/", lists.reports, name="reports"),
]
