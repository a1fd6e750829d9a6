from django.urls import path
from rest_framework.routers import BaseRouter

from quotas.api import views


def register(router: BaseRouter) -> None:
    """Register this app's viewsets on the API router."""
    router.register("agreements", views.AgreementViewSet, basename="agreement")
    router.register("pools", views.QuotaPoolViewSet, basename="pool")
    router.register("channels", views.ChannelViewSet, basename="channel")


urlpatterns = [
    path(
        "channels/<int:pk>/transfer/", views.ChannelTransferView.as_view(), name="channel-transfer"
    ),
]
