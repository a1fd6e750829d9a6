from rest_framework.routers import BaseRouter

from notices.api.views import NoticeViewSet


def register(router: BaseRouter) -> None:
    router.register("notices", NoticeViewSet, basename="notice")
