from rest_framework.routers import BaseRouter

from institutions.api import views


def register(router: BaseRouter) -> None:
    """Register this app's viewsets on the API router."""
    router.register("institutions", views.InstitutionViewSet, basename="institution")
    router.register("specialties", views.SpecialtyViewSet, basename="specialty")
