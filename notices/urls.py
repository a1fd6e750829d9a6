from django.urls import path

from notices import views

urlpatterns = [
    path("", views.inbox_view, name="inbox"),
    path("<int:pk>/open/", views.notice_open_view, name="notice-open"),
    path("<int:pk>/read/", views.notice_read_view, name="notice-read"),
    path("read-all/", views.notices_read_all_view, name="notices-read-all"),
]
