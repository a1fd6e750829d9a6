from rest_framework.routers import BaseRouter

from referrals.api import views


def register(router: BaseRouter) -> None:
    """Register this app's viewsets on the API router."""
    router.register("referrals", views.ReferralViewSet, basename="referral")
