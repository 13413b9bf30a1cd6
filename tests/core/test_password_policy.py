"""Passwords chosen by hand are validated: at least 12 characters, not common, not all
digits, not like the username; the demo's shared password is set by the demo builder."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError


@pytest.mark.django_db
@pytest.mark.parametrize(
    "password",
    ["kehu-demo", "short-pw1", "password1234", "123456789012345", "alice.zhang.sales"],
)
def test_weak_passwords_refused(password):
    user = get_user_model()(username="alice.zhang.sales", email="alice.zhang@example.com")
    with pytest.raises(ValidationError):
        validate_password(password, user)


@pytest.mark.django_db
def test_reasonable_password_accepted():
    user = get_user_model()(username="alice")
    validate_password("Unusual-Walrus-93", user)


@pytest.mark.django_db
def test_admin_add_user_refuses_weak_password(client, org):
    org.root.is_staff = org.root.is_superuser = True
    org.root.save()
    client.force_login(org.root)
    response = client.post(
        "/admin/auth/user/add/",
        {
            "username": "weak",
            "password1": "kehu-demo",
            "password2": "kehu-demo",
            "usable_password": "true",
            "profile-TOTAL_FORMS": "1",
            "profile-INITIAL_FORMS": "0",
            "profile-MIN_NUM_FORMS": "1",
            "profile-MAX_NUM_FORMS": "1",
            "profile-0-role": "sales",
        },
    )
    assert response.status_code == 200
    assert not get_user_model().objects.filter(username="weak").exists()
