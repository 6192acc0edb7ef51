from django.urls import path

from . import search, views

urlpatterns = [
    path("health/", views.health, name="health"),
    path("search/", search.search_page, name="search"),
    path("", views.home, name="home"),
]
