from rest_framework.routers import BaseRouter

from applications.api import views


def register(router: BaseRouter) -> None:
    """Register this app's viewsets on the API router."""
    router.register("applications", views.ApplicationViewSet, basename="application")
