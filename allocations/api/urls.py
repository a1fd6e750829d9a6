from rest_framework.routers import BaseRouter

from allocations.api import views


def register(router: BaseRouter) -> None:
    """Register this app's viewsets on the API router."""
    router.register("allocations", views.AllocationViewSet, basename="allocation")
