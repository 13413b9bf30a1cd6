"""A live activity model trained by an older Kehu (with other features) does not stop the
nightly scoring or drop it to the BG/NBD floor: the run fits tonight's model, as with no live
model, and its summary names the model to train again."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest
from django.utils import timezone

from kehu.insights import services
from kehu.insights.models import ChurnModel

from .churn_support import make_buyers
from .conftest import AS_OF

pytestmark = pytest.mark.django_db


def older_model_payload() -> bytes:
    """A model file as written before the season feature: one feature fewer."""
    from kehu.analytics.churn import features as AF
    from kehu.insights.churn import ACTIVITY_FORMAT, ACTIVITY_VERSION

    meta = {
        "format": ACTIVITY_FORMAT,
        "version": ACTIVITY_VERSION,
        "horizon_days": 180,
        "window_days": 180,
        "n_rounds": 10,
        "platt": [1.0, 0.0],
        "base_rate": 0.5,
        "features": [f for f in AF.FEATURES if f != "season"],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("meta.json", json.dumps(meta))
        zf.writestr("model.txt", "tree\n")
    return buffer.getvalue()


def test_the_run_fits_tonight_and_says_which_model_to_train_again(org):
    buyers = make_buyers(org)
    old = ChurnModel.objects.create(
        kind="activity",
        status="live",
        trained_at=timezone.now(),
        as_of=AS_OF - dt.timedelta(days=30),
        training_rows=100,
        positive_rate=0.5,
        metrics={},
        payload=older_model_payload(),
    )
    run = services.analytics_run(as_of=AS_OF)
    activity = run.summary["churn"]["activity"]
    assert activity["source"] in ("fitted", "bgnbd")  # not the 1 - P(alive) floor
    assert activity["skipped_model_id"] == old.pk
    assert "other features" in activity["skipped_because"]
    assert run.summary["churn"]["scored"] == len(buyers.buyers)
