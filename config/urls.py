from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from accounts.views import PortalLoginView
from common.health import healthz
from quotas.urls import channel_urlpatterns
from quotas.views import network_view
from referrals.urls import application_urlpatterns as referral_application_urlpatterns
from referrals.urls import verify_urlpatterns

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/login/", PortalLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include("config.api_urls")),
    path("institutions/", include("institutions.urls")),
    path("agreements/", include("quotas.urls")),
    path("network/", network_view, name="network"),
    path("applications/", include("applications.urls")),
    path("applications/", include(referral_application_urlpatterns)),
    path("applications/", include(channel_urlpatterns)),
    path("referrals/", include("referrals.urls")),
    path("inbox/", include("notices.urls")),
    path("profile/", include("accounts.urls")),
    path("verify/", include(verify_urlpatterns)),
    path("", include("dashboard.urls")),
]
