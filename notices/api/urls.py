from rest_framework.routers import BaseRouter

from .views import NoticeViewSet


def register(router: BaseRouter) -> None:
    router.register("notices", NoticeViewSet, basename="notice")
