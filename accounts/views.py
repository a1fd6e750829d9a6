"""The user's own page, the language switch, and the login that applies the user's language."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms import LanguageForm
from accounts.models import Profile
from accounts.services import profile_set_language
from common.forms import form_errors_from
from common.types import AuthenticatedHttpRequest


def _set_language_cookie(response: HttpResponse, language: str) -> HttpResponse:
    """As django.views.i18n.set_language does."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


class PortalLoginView(LoginView):
    """Django's login, then the pages in the language the user chose in their profile."""

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        language = (
            Profile.objects.filter(user_id=form.get_user().pk)
            .values_list("language", flat=True)
            .first()
        )
        if language:
            translation.activate(language)
            _set_language_cookie(response, language)
        return response


@login_required
def profile_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    current = (
        Profile.objects.filter(user_id=request.user.pk).values_list("language", flat=True).first()
    )
    if request.method == "POST":
        form = LanguageForm(request.POST)
        if form.is_valid():
            language = form.cleaned_data["language"]
            try:
                profile_set_language(user=request.user, language=language)
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                translation.activate(language)
                messages.success(request, _("Your language is saved."))
                return _set_language_cookie(redirect("profile"), language)
    else:
        form = LanguageForm(initial={"language": current or translation.get_language()})
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,  # The reverse relation of institutions' Membership: accounts sits below institutions.
            "profile_memberships": list(request.user.memberships.select_related("institution")),
        },
    )


@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """The header's switcher: the session's language, kept in the profile of a signed-in user."""
    language = request.POST.get("language", "")
    response: HttpResponse = HttpResponseRedirect(_safe_next(request))
    if language not in dict(settings.LANGUAGES):
        return response
    if request.user.is_authenticated:
        profile_set_language(user=request.user, language=language)
    return _set_language_cookie(response, language)
