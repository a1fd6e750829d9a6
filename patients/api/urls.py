from rest_framework.routers import BaseRouter

from patients.api import views


def register(router: BaseRouter) -> None:
    """Register this app's viewsets on the API router."""
    router.register("patients", views.PatientViewSet, basename="patient")
