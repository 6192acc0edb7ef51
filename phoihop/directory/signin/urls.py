from django.urls import path

from . import views

app_name = "signin"
urlpatterns = [
    path("second-step/", views.verify, name="verify"),
    path("second-step/setup/", views.setup, name="setup"),
    path("security/", views.security, name="security"),
]
