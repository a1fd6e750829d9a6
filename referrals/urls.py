from django.urls import path

from referrals import views

# Mounted under /applications/: a referral is made from its application.
application_urlpatterns = [
    path("<int:application_pk>/refer/", views.referral_send_view, name="referral-send"),
]

urlpatterns = [
    path("", views.referral_list_view, name="referral-list"),
    path("calendar/", views.admissions_calendar_view, name="admissions-calendar"),
    path("<int:pk>/", views.referral_detail_view, name="referral-detail"),
    path(
        "<int:pk>/act/<slug:action>/",
        views.referral_action_view,
        name="referral-action",
    ),
    path(
        "<int:pk>/documents/",
        views.referral_document_upload_view,
        name="referral-document-upload",
    ),
    path(
        "<int:pk>/documents/<slug:origin>/<int:document_id>/",
        views.referral_document_view,
        name="referral-document",
    ),
    path("<int:pk>/letter/", views.referral_letter_view, name="referral-letter"),
]

# Public: the page a printed letter's QR code leads to, mounted at /verify/.
verify_urlpatterns = [
    path("<str:token>/", views.referral_verify_view, name="referral-verify"),
]
