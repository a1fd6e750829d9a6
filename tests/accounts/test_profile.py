"""The profile page, the user's language, the header's switcher and the login that applies it."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import Profile
from accounts.services import profile_set_language
from institutions.choices import MembershipRole
from tests.support.factories import InstitutionFactory, UserFactory
from tests.support.world import member


def _nav(html: str) -> str:
    return html[html.index('<nav aria-label="') : html.index("</nav>")]


@pytest.mark.django_db
def test_profile_shows_name_email_and_memberships(kg_tr_world, login):
    w = kg_tr_world
    w.ministry_officer.first_name, w.ministry_officer.last_name = "Aibek", "Usenov"
    w.ministry_officer.save()
    page = login(w.ministry_officer).get(reverse("profile")).content.decode()
    assert "Aibek Usenov" in page
    assert w.ministry_officer.email in page
    assert "Ministry of Health of the Kyrgyz Republic" in page
    assert "Ministry officer" in page
    assert 'name="language"' in page


def test_profile_requires_login(client):
    response = client.get(reverse("profile"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "home_label", "applications_label"),
    [("ru", "Главная", "Заявки"), ("tr", "Ana sayfa", "Başvurular")],
)
def test_saving_the_language_stores_it_and_switches_the_pages(
    kg_tr_world, login, language, home_label, applications_label
):
    client = login(kg_tr_world.ministry_officer)
    response = client.post(reverse("profile"), {"language": language})

    assert response.status_code == 302
    assert Profile.objects.get(user=kg_tr_world.ministry_officer).language == language
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == language
    nav = _nav(client.get(reverse("home")).content.decode())
    assert home_label in nav
    assert applications_label in nav


@pytest.mark.django_db
def test_saving_again_updates_the_same_profile(kg_tr_world, login):
    client = login(kg_tr_world.ministry_officer)
    client.post(reverse("profile"), {"language": "ky"})
    client.post(reverse("profile"), {"language": "kk"})
    assert Profile.objects.filter(user=kg_tr_world.ministry_officer).count() == 1
    assert Profile.objects.get(user=kg_tr_world.ministry_officer).language == "kk"


@pytest.mark.django_db
def test_a_bad_language_code_is_a_form_error_not_a_500(kg_tr_world, login):
    client = login(kg_tr_world.ministry_officer)
    response = client.post(reverse("profile"), {"language": "xx"})

    assert response.status_code == 200
    assert "language" in response.context["form"].errors
    assert not Profile.objects.filter(user=kg_tr_world.ministry_officer).exists()
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


@pytest.mark.django_db
def test_the_service_refuses_an_unknown_language_naming_the_field():
    user = UserFactory()
    with pytest.raises(ValidationError) as refused:
        profile_set_language(user=user, language="de")
    assert "language" in refused.value.message_dict
    assert profile_set_language(user=user, language="tr").language == "tr"


@pytest.mark.django_db
def test_login_applies_the_stored_language():
    user = UserFactory(username="aigul")
    member(InstitutionFactory(), MembershipRole.CLINIC_COORDINATOR, username="aigul")
    Profile.objects.create(user=user, language="tr")
    client = Client()

    response = client.post(reverse("login"), {"username": "aigul", "password": "secret-pass-123"})

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "tr"
    assert "Ana sayfa" in _nav(client.get(reverse("home")).content.decode())


@pytest.mark.django_db
def test_login_without_a_profile_sets_no_language_cookie():
    UserFactory(username="bakyt")
    response = Client().post(reverse("login"), {"username": "bakyt", "password": "secret-pass-123"})
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


@pytest.mark.django_db
def test_a_failed_login_sets_no_language_cookie():
    user = UserFactory(username="cholpon")
    Profile.objects.create(user=user, language="tr")
    response = Client().post(reverse("login"), {"username": "cholpon", "password": "wrong"})
    assert response.status_code == 200
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


@pytest.mark.django_db
def test_the_switcher_persists_the_choice_for_a_signed_in_user(kg_tr_world, login):
    client = login(kg_tr_world.embassy_officer)
    response = client.post(
        reverse("language-switch"), {"language": "tr", "next": reverse("referral-list")}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("referral-list")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "tr"
    assert Profile.objects.get(user=kg_tr_world.embassy_officer).language == "tr"


def test_the_switcher_sets_only_the_cookie_for_an_anonymous_visitor(client, db):
    response = client.post(
        reverse("language-switch"), {"language": "ky", "next": "/accounts/login/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ky"
    assert not Profile.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "http://evil.example"]
)
def test_the_switcher_does_not_follow_next_to_another_host(kg_tr_world, login, target):
    response = login(kg_tr_world.embassy_officer).post(
        reverse("language-switch"), {"language": "en", "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


@pytest.mark.django_db
def test_the_switcher_ignores_an_unknown_language(kg_tr_world, login):
    response = login(kg_tr_world.embassy_officer).post(
        reverse("language-switch"), {"language": "xx", "next": "/"}
    )
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert not Profile.objects.exists()


@pytest.mark.django_db
def test_the_header_switcher_posts_to_the_persisting_view(kg_tr_world, login):
    page = login(kg_tr_world.embassy_officer).get(reverse("home")).content.decode()
    assert f'action="{reverse("language-switch")}"' in page
    assert f'href="{reverse("profile")}"' in page
