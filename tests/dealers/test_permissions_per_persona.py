"""Who sees and does what, page by page: managers and administrators run onboardings; reps
start one for their own customer and follow their team's; analysts read; service agents and
partners get nothing (403), a rep of another team 404 on the record."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kehu.dealers import services
from kehu.dealers.models import Onboarding

from .conftest import snapshot

pytestmark = pytest.mark.django_db

LIST = {"alice": 200, "bob": 200, "charlie": 200, "mia": 200, "ana": 200, "root": 200,
        "sam": 403, "pat": 403, "quinn": 403}  # fmt: skip
DETAIL = {"alice": 200, "bob": 200, "charlie": 404, "mia": 200, "ana": 200, "root": 200,
          "sam": 403, "pat": 403, "quinn": 403}  # fmt: skip
CREDIT = {"alice": 403, "bob": 403, "charlie": 403, "ana": 403, "sam": 403, "pat": 403,
          "quinn": 403, "mia": 302, "root": 302}  # fmt: skip


@pytest.fixture
def ob(org, dealer):
    return services.start(customer=dealer, by=org.alice)


@pytest.mark.parametrize("who", sorted(LIST))
def test_list_and_detail(client, org, ob, who):
    client.force_login(getattr(org, who))
    listed = client.get(reverse("dealers:list"))
    assert listed.status_code == LIST[who]
    if LIST[who] == 200:
        # Charlie (South) gets the page, without North's dealer on it.
        assert ("华东建材有限公司" in listed.content.decode()) == (who != "charlie")
    assert client.get(reverse("dealers:detail", args=[ob.pk])).status_code == DETAIL[who]


@pytest.mark.parametrize("who", sorted(CREDIT))
def test_running_a_step(client, org, ob, who):
    client.force_login(getattr(org, who))
    before = snapshot(ob)
    response = client.post(
        reverse("dealers:credit", args=[ob.pk]),
        {"annual_revenue": "1000000", "years_in_business": "3", "registered_capital": ""},
    )
    assert response.status_code == CREDIT[who]
    if CREDIT[who] != 302:
        assert snapshot(ob) == before
    else:
        assert Onboarding.objects.get(pk=ob.pk).state == "terms"


@pytest.mark.parametrize(
    "who,status",
    [
        ("alice", 302),
        ("bob", 403),
        ("charlie", 404),
        ("ana", 403),
        ("pat", 403),
        ("mia", 302),
    ],  # fmt: skip
)
def test_starting_from_the_page(client, org, dealer, who, status):
    client.force_login(getattr(org, who))
    response = client.post(reverse("dealers:start"), {"customer": dealer.pk})
    assert response.status_code == status
    assert Onboarding.objects.filter(customer=dealer).count() == (1 if status == 302 else 0)


def test_the_nav_shows_dealers_only_to_those_who_may_view(client, org):
    client.force_login(org.alice)
    assert reverse("dealers:list") in client.get(reverse("dealers:list")).content.decode()
    client.force_login(org.sam)
    assert f'href="{reverse("dealers:list")}"' not in client.get(reverse("today")).content.decode()
