"""The printable referral letter and the public page its QR code leads to."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from core.types import AuthenticatedHttpRequest

from ..http import referral_access
from ..letters import letter_languages, qr_svg, referral_id_from_token, verification_url
from ..models import Referral


@never_cache
@login_required
def referral_letter_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral = referral_access(request, pk, detail="letter")
    url = verification_url(referral)
    return render(
        request,
        "referrals/referral_letter.html",
        {
            "referral": referral,
            "patient": referral.patient,
            "languages": letter_languages(referral),
            "issued_on": timezone.localdate(referral.created_at),
            "verify_url": url,
            "qr": qr_svg(url),
        },
    )


@never_cache
def referral_verify_view(request: HttpRequest, token: str) -> HttpResponse:
    """Public: confirms a printed letter is genuine, and shows nothing about the patient."""
    referral_id = referral_id_from_token(token)
    if referral_id is None:
        raise Http404
    referral = get_object_or_404(
        Referral.objects.select_related("receiving_institution"), pk=referral_id
    )
    response = render(
        request,
        "referrals/referral_verify.html",
        {"referral": referral, "issued_on": timezone.localdate(referral.created_at)},
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
