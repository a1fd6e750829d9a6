from django.urls import path

from quotas import views

urlpatterns = [
    path("", views.agreement_list_view, name="agreement-list"),
    path("<int:pk>/", views.agreement_detail_view, name="agreement-detail"),
]

# Mounted under /applications/, where officers work with their channels.
channel_urlpatterns = [
    path("channels/<int:pk>/transfer/", views.channel_transfer_view, name="channel-transfer-page"),
]
