"""URLs of the deliveries API, mounted at /api/v1/ (config/urls.py)."""

from django.urls import path

from .views import DeliveryAcknowledgeView, DeliveryBulkAcknowledgeView, PendingDeliveriesView

urlpatterns = [
    path("deliveries/", PendingDeliveriesView.as_view(), name="delivery-list"),
    path("deliveries/acknowledge/", DeliveryBulkAcknowledgeView.as_view(), name="delivery-acknowledge-many"),
    path("deliveries/<str:pk>/acknowledge/", DeliveryAcknowledgeView.as_view(), name="delivery-acknowledge"),
]
