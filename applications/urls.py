from django.urls import path

from applications import views

urlpatterns = [
    path("", views.application_list_view, name="application-list"),
    path("new/", views.application_create_view, name="application-create"),
    path("new/diagnoses/", views.diagnosis_picker_view, name="diagnosis-picker"),
    path("queue/", views.review_queue_view, name="review-queue"),
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
]
