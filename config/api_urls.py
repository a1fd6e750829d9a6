"""The REST API, version 1: each app registers its viewsets on one router."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from accounts.api import ObtainTokenView
from allocations.api.urls import register as register_allocations
from applications.api.urls import register as register_applications
from institutions.api.urls import register as register_institutions
from notices.api.urls import register as register_notices
from patients.api.urls import register as register_patients
from quotas.api.urls import register as register_quotas
from quotas.api.urls import urlpatterns as quotas_urlpatterns
from referrals.api.urls import register as register_referrals

router = DefaultRouter()
register_institutions(router)
register_quotas(router)
register_patients(router)
register_applications(router)
register_allocations(router)
register_referrals(router)
register_notices(router)

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    *quotas_urlpatterns,
    *router.urls,
]
