from django.urls import path

from accounts import views

urlpatterns = [
    path("", views.profile_view, name="profile"),
    path("language/", views.language_switch, name="language-switch"),
]
