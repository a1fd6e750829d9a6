from django.urls import path

from dashboard import views

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("patients/<int:pk>/", views.patient_detail, name="patient-detail"),
    path("favicon.ico", views.favicon, name="favicon"),
]
