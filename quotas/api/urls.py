from rest_framework.routers import BaseRouter

from . import views


def register(router: BaseRouter) -> None:
    """Register this app's viewsets on the API router."""
    router.register("agreements", views.AgreementViewSet, basename="agreement")
    router.register("pools", views.QuotaPoolViewSet, basename="pool")
    router.register("channels", views.ChannelViewSet, basename="channel")
