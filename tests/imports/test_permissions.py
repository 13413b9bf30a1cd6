"""Only roles that can edit may import; every view refuses the others; another rep's job is
invisible; an import can't update customers the user can't see."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from kehu.customers.models import Customer
from kehu.imports import services

from ..conftest import login
from .conftest import run_import


@pytest.fixture
def alice_job(org, customers_csv):
    job = services.job_create(
        user=org.alice,
        kind="customers",
        path=customers_csv([["", "坏", "123", "", "", "", "", ""]]),
    )
    return services.job_run(job=job, by=org.alice, dry_run=True)


def _urls(job):
    return [
        ("get", reverse("imports:list")),
        ("post", reverse("imports:upload")),
        ("get", reverse("imports:detail", args=[job.pk])),
        ("post", reverse("imports:detail", args=[job.pk])),
        ("get", reverse("imports:errors", args=[job.pk, "csv"])),
        ("get", reverse("imports:errors", args=[job.pk, "xlsx"])),
    ]


@pytest.mark.parametrize("who", ["ana", "pat"])
def test_non_editors_are_refused_everywhere(client, org, alice_job, who):
    login(client, getattr(org, who))
    for method, url in _urls(alice_job):
        assert getattr(client, method)(url).status_code == 403, url


def test_anonymous_is_sent_to_login(client, alice_job):
    for method, url in _urls(alice_job):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


def test_outsider_cannot_see_or_run_someone_elses_job(client, org, alice_job):
    login(client, org.charlie)
    assert client.get(reverse("imports:list")).status_code == 200
    assert str(alice_job.original_name) not in client.get(reverse("imports:list")).content.decode()
    for method, url in _urls(alice_job)[2:]:
        assert getattr(client, method)(url).status_code == 404, url


def test_manager_sees_team_job_but_cannot_run_it(client, org, alice_job):
    login(client, org.mia)
    assert client.get(reverse("imports:detail", args=[alice_job.pk])).status_code == 200
    assert client.get(reverse("imports:errors", args=[alice_job.pk, "csv"])).status_code == 200
    response = client.post(reverse("imports:detail", args=[alice_job.pk]), {"action": "commit"})
    assert response.status_code == 403


@pytest.mark.parametrize("who", ["ana", "pat", "quinn"])
def test_services_refuse_non_editors(org, customers_csv, who):
    with pytest.raises(PermissionDenied):
        run_import(
            getattr(org, who), "customers", customers_csv([["", "x", "", "", "", "", "", ""]])
        )


def test_import_cannot_update_invisible_customers(org, customers_csv):
    # org.customer belongs to alice (North); charlie (South) matches it by phone.
    job = run_import(
        org.charlie,
        "customers",
        customers_csv(
            [
                ["", "张伟", "13800138000", "", "深圳", "", "", ""],
                ["", "新人", "13800138111", "", "深圳", "", "", ""],
            ]
        ),
    )
    assert job.counts == {"created": 1, "updated": 0, "unchanged": 0, "failed": 1}
    error = job.row_errors.get()
    message = (
        "This value can't be used in your import; ask a manager or an administrator to "
        "import this row."
    )
    with translation.override("en"):
        reason = gettext(message)
    with translation.override("zh-hans"):
        localized = gettext(message)
    assert error.row_number == 2 and error.problems[0]["reason"] in {reason, localized}
    assert Customer.objects.get(pk=org.customer.pk).city == "上海"
    created = Customer.objects.get(phone="+8613800138111")
    assert created.owner == org.charlie and created.team == org.south


def test_owner_column_needs_a_manager(org, customers_csv, tmp_path):
    from .conftest import write_csv

    rows = [
        ["姓名", "手机", "负责人"],
        ["甲", "13800138201", "bob"],
        ["乙", "13800138202", "nobody"],
    ]
    job = run_import(org.alice, "customers", write_csv(tmp_path / "o.csv", rows))
    fields = sorted(p["field"] for e in job.row_errors.all() for p in e.problems)
    assert job.created == 0 and fields == ["owner", "owner"]
    job = run_import(org.mia, "customers", write_csv(tmp_path / "p.csv", rows[:2]))
    assert job.created == 1
    assert Customer.objects.get(phone="+8613800138201").owner == org.bob
