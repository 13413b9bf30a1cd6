"""A language switch never creates a profile (and with it a role); the administration
creates the profile together with the user."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from kehu.core import permissions
from kehu.core.models import Profile


@pytest.mark.django_db
def test_language_switch_without_profile_creates_nothing(client):
    user = get_user_model().objects.create_user("noprofile", password="x-long-password-1")
    client.force_login(user)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/me/"})
    assert response.status_code == 302
    assert not Profile.objects.filter(user=user).exists()
    user.refresh_from_db()
    assert permissions.role_of(user) is None
    assert client.session["kehu_language"] == "en"


@pytest.mark.django_db
def test_language_switch_with_profile_is_kept_on_it(client, org):
    client.force_login(org.bob)
    client.post(reverse("set_language"), {"language": "en"})
    assert Profile.objects.get(user=org.bob).language == "en"


@pytest.mark.django_db
def test_admin_creates_the_profile_with_the_user(client, org):
    client.force_login(org.root)
    org.root.is_staff = org.root.is_superuser = True
    org.root.save()
    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "newrep",
            "password1": "Unusual-Walrus-93",
            "password2": "Unusual-Walrus-93",
            "usable_password": "true",
            "profile-TOTAL_FORMS": "1",
            "profile-INITIAL_FORMS": "0",
            "profile-MIN_NUM_FORMS": "1",
            "profile-MAX_NUM_FORMS": "1",
            "profile-0-role": "sales",  # the default: saved all the same
            "profile-0-language": "",
            "profile-0-team": "",
            "profile-0-partner": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = get_user_model().objects.get(username="newrep")
    assert Profile.objects.get(user=user).role == "sales"
