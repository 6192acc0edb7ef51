from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/<slug:code>/contact/", views.organisation_contact, name="organisation-contact"),
]
