from django.urls import path
from rest_framework.routers import BaseRouter

from . import referral_views, views


def register(router: BaseRouter) -> None:
    router.register("patients", views.PatientViewSet, basename="patient")
    router.register("applications", views.ApplicationViewSet, basename="application")
    router.register("allocations", views.AllocationViewSet, basename="allocation")
    router.register("referrals", referral_views.ReferralViewSet, basename="referral")


urlpatterns = [
    path(
        "channels/<int:pk>/transfer/",
        views.ChannelTransferView.as_view(),
        name="channel-transfer",
    ),
]
