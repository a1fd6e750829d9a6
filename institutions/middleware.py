"""Country lists start with the countries the signed-in user acts for."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject
from django_countries import countries_context

from institutions.selectors import user_country_codes


class UserCountriesFirstMiddleware:
    """Every country list of the request (forms, filters, admin) puts the user's
    institutions' countries first, then the rest in the language's alphabetical order.

    The countries are looked up only when a list is shown, from the memberships
    the request loads anyway. The API is left alone: it answers codes, in no order
    a reader sees, and its validation of a code needs no memberships.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith("/api/"):
            return self.get_response(request)
        first = SimpleLazyObject(lambda: user_country_codes(request.user))
        with countries_context(first=first):
            return self.get_response(request)
