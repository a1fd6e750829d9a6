"""Pages that htmx can refresh in part.

A filter, a week's step or a tab change asks only for the part of the page that
changes (the ``HX-Request`` header, read by django-htmx): the server renders that
one template block, and a slow hospital line carries a few kilobytes instead of a
whole page. Without JavaScript the same URL answers with the whole page.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from render_block import render_block_to_string


def render_page(
    request: HttpRequest,
    template_name: str,
    context: dict[str, Any],
    *,
    block: str = "results",
) -> HttpResponse:
    """The whole page, or only ``block`` when htmx asks for it."""
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.boosted:
        response = HttpResponse(
            render_block_to_string(template_name, block, context, request=request)
        )
    else:
        response = render(request, template_name, context)
    # Caches must not hand the fragment to a full page load, or the reverse.
    patch_vary_headers(response, ("HX-Request",))
    return response
