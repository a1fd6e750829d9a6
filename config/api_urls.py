"""The REST API, version 1: each app registers its viewsets on one router."""

from django.urls import path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from institutions.api.urls import register as register_institutions
from notices.api.urls import register as register_notices
from quotas.api.urls import register as register_quotas
from referrals.api.urls import register as register_referrals
from referrals.api.urls import urlpatterns as referrals_urlpatterns

router = DefaultRouter()
register_institutions(router)
register_quotas(router)
register_referrals(router)
register_notices(router)

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    *referrals_urlpatterns,
    *router.urls,
]
