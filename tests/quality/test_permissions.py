"""Who may use each data-quality view: outsiders, analysts and partner users are refused,
and a pair or merge is only reachable when both customers are visible to the user."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from kehu.customers import services as customer_services
from kehu.quality import services
from kehu.quality.models import DuplicatePair, Merge
from tests.conftest import login


@pytest.fixture
def pairs(org):
    north_twin = customer_services.customer_create(
        by=org.bob, owner=org.bob, name="張偉", phone="+8613800138000"
    )
    south = customer_services.customer_create(
        by=org.charlie, owner=org.charlie, name="张伟", phone="+8613800138000"
    )
    inside = DuplicatePair.objects.create(
        customer_a=org.customer, customer_b=north_twin, probability=0.97
    )
    across = DuplicatePair.objects.create(
        customer_a=org.customer, customer_b=south, probability=0.95
    )
    return inside, across


def _get(client, user, url):
    if user is not None:
        login(client, user)
    return client.get(url)


@pytest.mark.parametrize(
    "who,status",
    [("alice", 200), ("sam", 200), ("mia", 200), ("root", 200), ("ana", 403), ("pat", 403)],
)
def test_quality_home(client, org, who, status):
    assert _get(client, getattr(org, who), reverse("quality:home")).status_code == status


def test_anonymous_is_sent_to_login(client, org):
    for name in ("quality:home", "quality:duplicates", "quality:duplicate_check"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize(
    "who,status",
    [("mia", 200), ("root", 200), ("alice", 403), ("charlie", 403), ("ana", 403), ("pat", 403)],
)
def test_duplicates_queue(client, org, pairs, who, status):
    response = _get(client, getattr(org, who), reverse("quality:duplicates"))
    assert response.status_code == status


def test_queue_lists_only_pairs_with_both_customers_visible(client, org, pairs):
    inside, across = pairs
    html = _get(client, org.mia, reverse("quality:duplicates")).content.decode()
    assert f'id="dup-pair-{inside.pk}"' in html
    assert f'id="dup-pair-{across.pk}"' not in html
    client.logout()
    html = _get(client, org.root, reverse("quality:duplicates")).content.decode()
    assert f'id="dup-pair-{across.pk}"' in html
    assert 'data-action="merge"' in html and 'data-action="reject"' in html


@pytest.mark.parametrize(
    "who,status", [("alice", 403), ("charlie", 403), ("ana", 403), ("pat", 403)]
)
def test_pair_actions_refused_to_non_mergers(client, org, pairs, who, status):
    inside, _across = pairs
    login(client, getattr(org, who))
    merge_url = reverse("quality:pair_merge", args=[inside.pk])
    assert client.post(merge_url, {"keep": org.customer.pk}).status_code == status
    assert client.post(reverse("quality:pair_reject", args=[inside.pk])).status_code == status
    inside.refresh_from_db()
    assert inside.status == DuplicatePair.Status.OPEN


def test_pair_with_an_invisible_customer_is_not_found(client, org, pairs):
    _inside, across = pairs
    login(client, org.mia)
    url = reverse("quality:pair_merge", args=[across.pk])
    assert client.post(url, {"keep": org.customer.pk}).status_code == 404
    assert client.post(reverse("quality:pair_reject", args=[across.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.customer_merge(keep=across.customer_a, remove=across.customer_b, by=org.mia)


def test_manager_merges_and_undoes_through_the_views(client, org, pairs):
    inside, _across = pairs
    login(client, org.mia)
    response = client.post(
        reverse("quality:pair_merge", args=[inside.pk]), {"keep": org.customer.pk}
    )
    assert response.status_code == 302
    inside.refresh_from_db()
    assert inside.status == DuplicatePair.Status.MERGED
    merge = Merge.objects.get()
    for who in ("alice", "charlie", "ana", "pat"):
        client.logout()
        login(client, getattr(org, who))
        assert client.post(reverse("quality:merge_undo", args=[merge.pk])).status_code == 403
    client.logout()
    login(client, org.mia)
    assert client.post(reverse("quality:merge_undo", args=[merge.pk])).status_code == 302
    merge.refresh_from_db()
    assert merge.undone_at is not None


def test_htmx_decision_swaps_the_card(client, org, pairs):
    inside, _across = pairs
    login(client, org.root)
    response = client.post(reverse("quality:pair_reject", args=[inside.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'id="dup-pair-{inside.pk}"' in response.content.decode()


@pytest.mark.parametrize("who,status", [("alice", 200), ("sam", 200), ("ana", 403), ("pat", 403)])
def test_duplicate_check(client, org, fake_scorer, who, status):
    url = reverse("quality:duplicate_check")
    response = _get(client, getattr(org, who), url + "?name=张伟&phone=13800138000")
    assert response.status_code == status


def test_duplicate_check_hides_customers_the_user_cannot_see(client, org, fake_scorer):
    url = reverse("quality:duplicate_check") + "?name=张伟&phone=13800138000"
    html = _get(client, org.alice, url).content.decode()
    assert f'data-candidate="{org.customer.pk}"' in html
    client.logout()
    html = _get(client, org.charlie, url).content.decode()
    assert "data-candidate" not in html
