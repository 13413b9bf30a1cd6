"""Shared fixtures: personas in the healthchecks style.

``alice`` owns customers in team North; ``bob`` is her teammate; ``charlie`` is a rep in
team South (an outsider to North's customers); ``mia`` manages North; ``sam`` is a service
agent; ``ana`` an analyst; ``pat`` a user of partner P1 and ``quinn`` of partner P2;
``root`` the administrator.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from kehu.core.models import Partner, Profile, Role, Team
from kehu.customers import services

# The paper marker; in CI a skipped paper test fails (see tests/data/require.py).
pytest_plugins = ["tests.data.require"]


def pytest_configure(config):
    from django.conf import settings

    # PBKDF2's deliberate slowness costs seconds per test here; tests need no real hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_user(username: str, role: str, *, team=None, partner=None, **extra):
    user = get_user_model().objects.create_user(
        username=username, password="password-for-tests", **extra
    )
    Profile.objects.create(user=user, role=role, team=team, partner=partner)
    return user


@pytest.fixture
def org(db):
    class Org:
        pass

    o = Org()
    o.north = Team.objects.create(name="North")
    o.south = Team.objects.create(name="South")
    o.p1 = Partner.objects.create(name="Partner One")
    o.p2 = Partner.objects.create(name="Partner Two")
    o.alice = make_user("alice", Role.SALES, team=o.north)
    o.bob = make_user("bob", Role.SALES, team=o.north)
    o.charlie = make_user("charlie", Role.SALES, team=o.south)
    o.mia = make_user("mia", Role.MANAGER, team=o.north)
    o.north.managers.add(o.mia)
    o.sam = make_user("sam", Role.SERVICE)
    o.ana = make_user("ana", Role.ANALYST)
    o.pat = make_user("pat", Role.PARTNER, partner=o.p1)
    o.quinn = make_user("quinn", Role.PARTNER, partner=o.p2)
    o.root = make_user("root", Role.ADMIN)
    o.customer = services.customer_create(
        by=o.alice,
        owner=o.alice,
        name="张伟",
        name_en="Wei Zhang",
        phone="+8613800138000",
        email="zhang.wei@example.com",
        city="上海",
    )
    services.customer_share(customer=o.customer, partner=o.p1, by=o.mia)
    return o


def login(client, user):
    client.force_login(user)
    return client
