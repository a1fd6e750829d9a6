from django.urls import path

from . import views

urlpatterns = [
    path("", views.agreement_list_view, name="agreement-list"),
    path("<int:pk>/", views.agreement_detail_view, name="agreement-detail"),
]
