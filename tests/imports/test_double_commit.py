"""A double-clicked Import runs once: the second request is told the import is already
running or done, and the job's counts are those of the one run (issue #9)."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext, override

from kehu.customers.models import Customer
from kehu.imports import services
from kehu.imports.models import ImportJob

from ..conftest import login

ROWS = [
    ["", "甲", "13800138301", "", "", "", "", ""],
    ["", "乙", "13800138302", "", "", "", "", ""],
    ["", "丙", "13800138303", "", "", "", "", ""],
]


@pytest.fixture
def checked(org, customers_csv):
    job = services.job_create(user=org.alice, kind="customers", path=customers_csv(ROWS))
    return services.job_run(job=job, by=org.alice, dry_run=True)


def test_second_commit_while_the_first_runs_is_refused(org, checked):
    refusals = []

    def second_click(_job):
        # The same page, loaded before the first click took effect: still "checked".
        stale = ImportJob.objects.get(pk=checked.pk)
        stale.status, stale.dry_run = ImportJob.Status.CHECKED, True
        with pytest.raises(ValueError) as exc:
            services.job_run(job=stale, by=org.alice)
        refusals.append(str(exc.value))

    first = ImportJob.objects.get(pk=checked.pk)
    services.job_run(job=first, by=org.alice, batch_size=1, after_batch=second_click)
    assert len(refusals) == 3
    job = ImportJob.objects.get(pk=checked.pk)
    assert job.status == ImportJob.Status.DONE
    assert job.counts == {"created": 3, "updated": 0, "unchanged": 0, "failed": 0}
    assert job.total_rows == 3 and job.committed_units == 3


def test_commit_after_done_changes_nothing(org, checked):
    services.job_run(job=ImportJob.objects.get(pk=checked.pk), by=org.alice)
    before = ImportJob.objects.values().get(pk=checked.pk)
    stale = ImportJob.objects.get(pk=checked.pk)
    stale.status, stale.dry_run = ImportJob.Status.CHECKED, True
    with pytest.raises(ValueError):
        services.job_run(job=stale, by=org.alice)
    assert ImportJob.objects.values().get(pk=checked.pk) == before
    assert Customer.objects.count() == 4


def test_web_second_click_is_told_and_counts_stay(client, org, checked):
    login(client, org.alice)
    url = reverse("imports:detail", args=[checked.pk])
    assert client.post(url, {"action": "commit"}).status_code == 302
    response = client.post(url, {"action": "commit"}, follow=True)
    assert response.status_code == 200
    job = ImportJob.objects.get(pk=checked.pk)
    assert job.counts == {"created": 3, "updated": 0, "unchanged": 0, "failed": 0}
    with override("zh-hans"):
        told = gettext("This import is already running or has run.")
    assert told in response.content.decode()
