"""A run killed after batch k resumes from the last committed row: complete, no duplicates."""

import pytest

from kehu.customers.models import Customer, SearchKey
from kehu.imports import services
from kehu.imports.models import ImportJob


class Killed(BaseException):
    """Stands in for the process dying: not an Exception, so nothing catches it."""


def test_interrupted_import_resumes(org, customers_csv):
    rows = [[f"P-{i}", f"客户{i}", f"1370000{i:04d}", "", "", "", "", ""] for i in range(10)]
    rows[4][1] = ""  # one bad row inside the first batches
    job = services.job_create(user=org.alice, kind="customers", path=customers_csv(rows))

    def crash_after_second_batch(j):
        if j.committed_units == 6:
            raise Killed

    with pytest.raises(Killed):
        services.job_run(job=job, by=org.alice, batch_size=3, after_batch=crash_after_second_batch)
    job = ImportJob.objects.get(pk=job.pk)
    assert job.status == "running" and job.committed_units == 6
    assert Customer.objects.filter(external_id__startswith="P-").count() == 5
    assert job.failed == 1

    services.job_run(job=job, by=org.alice, resume=True, batch_size=3)
    job.refresh_from_db()
    assert job.status == "done" and job.total_rows == 10
    assert job.counts == {"created": 9, "updated": 0, "unchanged": 0, "failed": 1}
    assert job.row_errors.count() == 1
    assert Customer.objects.filter(external_id__startswith="P-").count() == 9
    assert SearchKey.objects.filter(customer__external_id="P-9", key="t:8613700000009").count() == 1


def test_rerun_after_crash_is_also_safe(org, customers_csv):
    rows = [[f"Q-{i}", f"客户{i}", "", "", "", "", "", ""] for i in range(6)]
    path = customers_csv(rows)
    job = services.job_create(user=org.alice, kind="customers", path=path)

    def crash(j):
        raise Killed

    with pytest.raises(Killed):
        services.job_run(job=job, by=org.alice, batch_size=4, after_batch=crash)
    again = services.job_create(user=org.alice, kind="customers", path=path)
    services.job_run(job=again, by=org.alice, batch_size=4)
    assert again.counts == {"created": 2, "updated": 0, "unchanged": 4, "failed": 0}
    assert Customer.objects.filter(external_id__startswith="Q-").count() == 6


def test_finished_job_cannot_be_resumed(org, customers_csv):
    job = services.job_create(
        user=org.alice,
        kind="customers",
        path=customers_csv([["Z-1", "甲", "", "", "", "", "", ""]]),
    )
    services.job_run(job=job, by=org.alice)
    with pytest.raises(ValueError):
        services.job_run(job=job, by=org.alice, resume=True)
