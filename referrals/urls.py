from django.urls import path

from .views import applications as views
from .views import letters as letter_views
from .views import referrals as referral_views
from .views import worklists as worklist_views

urlpatterns = [
    path("", views.application_list_view, name="application-list"),
    path("new/", views.application_create_view, name="application-create"),
    path("queue/", worklist_views.review_queue_view, name="review-queue"),
    path("<int:pk>/", views.application_detail_view, name="application-detail"),
    path("<int:pk>/act/<slug:action>/", views.application_action_view, name="application-action"),
    path(
        "<int:pk>/documents/",
        views.application_document_upload_view,
        name="application-document-upload",
    ),
    path(
        "<int:pk>/documents/<int:document_id>/",
        views.application_document_view,
        name="application-document",
    ),
    path("<int:pk>/release/", views.allocation_release_view, name="allocation-release"),
    path("channels/<int:pk>/transfer/", views.channel_transfer_view, name="channel-transfer-page"),
]

urlpatterns += [
    path("<int:application_pk>/refer/", referral_views.referral_send_view, name="referral-send"),
]

referral_urlpatterns = [
    path("", referral_views.referral_list_view, name="referral-list"),
    path("calendar/", worklist_views.admissions_calendar_view, name="admissions-calendar"),
    path("<int:pk>/", referral_views.referral_detail_view, name="referral-detail"),
    path(
        "<int:pk>/act/<slug:action>/",
        referral_views.referral_action_view,
        name="referral-action",
    ),
    path(
        "<int:pk>/documents/",
        referral_views.referral_document_upload_view,
        name="referral-document-upload",
    ),
    path(
        "<int:pk>/documents/<slug:origin>/<int:document_id>/",
        referral_views.referral_document_view,
        name="referral-document",
    ),
    path("<int:pk>/letter/", letter_views.referral_letter_view, name="referral-letter"),
]

# Public: the page a printed letter's QR code leads to, mounted at /verify/.
verify_urlpatterns = [
    path("<str:token>/", letter_views.referral_verify_view, name="referral-verify"),
]
