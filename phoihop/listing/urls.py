"""Pages of the listing app, mounted at /listing/ (config/urls.py)."""

from django.urls import path

from .views import public, staff

app_name = "listing"
urlpatterns = [
    # Public (no account)
    path("lookup/", public.lookup_page, name="lookup"),
    path("appeal/<str:reference>/", public.appeal, name="appeal"),
    path("appeals/track/", public.appeal_lookup, name="appeal_lookup"),
    path("appeals/track/<str:reference>/<str:secret>/", public.appeal_status, name="appeal_status"),
    # Staff
    path("", staff.queue, name="queue"),
    path("propose/<str:case_reference>/", staff.propose, name="propose"),
    path("appeals/", staff.appeals, name="appeals"),
    path("appeals/<str:reference>/", staff.appeal_detail, name="appeal_detail"),
    path("appeals/<str:reference>/proof/<int:pk>/", staff.appeal_proof, name="appeal_proof"),
    path("<str:reference>/", staff.detail, name="detail"),
    path("<str:reference>/moves/<str:name>/", staff.move, name="move"),
]
