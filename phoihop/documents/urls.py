"""Pages of the documents app, mounted at /documents/ (config/urls.py)."""

from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("", views.document_index, name="index"),
    path("to-sign/", views.sign_queue_page, name="queue"),
    path("new/", views.document_new, name="new"),
    path("incoming/new/", views.incoming_new, name="incoming_new"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/edit/", views.document_edit, name="edit"),
    path("<int:pk>/move/<slug:name>/", views.document_move, name="move"),
    path("<int:pk>/pdf/", views.document_pdf, name="pdf"),
    path("<int:pk>/docx/", views.document_docx, name="docx"),
]
