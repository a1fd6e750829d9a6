from django.urls import path

from institutions import views

urlpatterns = [
    path("", views.institution_list_view, name="institution-list"),
    path("<int:pk>/", views.institution_detail_view, name="institution-detail"),
]
