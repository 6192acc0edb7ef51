from django.urls import path

from . import views

app_name = "routing"
urlpatterns = [path("rules/", views.rules, name="rules")]
