"""A live activity model trained by an older Kehu (with other features) does not stop the
nightly scoring or drop it to the BG/NBD floor: the run fits tonight's model, as with no live
model, and its summary names the model to train again; the models page says so beside it."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest
from django.utils import timezone

from kehu.analytics.churn import features as AF
from kehu.insights import services
from kehu.insights.models import ChurnModel
from tests.conftest import login

from .churn_support import make_buyers
from .conftest import AS_OF

pytestmark = pytest.mark.django_db


def model_payload(features: list[str]) -> bytes:
    """A stored activity model file written for ``features`` (its trees are never built)."""
    from kehu.insights.churn import ACTIVITY_FORMAT, ACTIVITY_VERSION

    meta = {
        "format": ACTIVITY_FORMAT,
        "version": ACTIVITY_VERSION,
        "horizon_days": 180,
        "window_days": 180,
        "n_rounds": 10,
        "platt": [1.0, 0.0],
        "base_rate": 0.5,
        "features": features,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("meta.json", json.dumps(meta))
        zf.writestr("model.txt", "tree\n")
    return buffer.getvalue()


def older_model_payload() -> bytes:
    """A model file as written before the season feature: one feature fewer."""
    return model_payload([f for f in AF.FEATURES if f != "season"])


def live_activity_model(payload: bytes, as_of: dt.date = AS_OF) -> ChurnModel:
    return ChurnModel.objects.create(
        kind="activity",
        status="live",
        trained_at=timezone.now(),
        as_of=as_of,
        training_rows=100,
        positive_rate=0.5,
        metrics={},
        payload=payload,
    )


def test_the_run_fits_tonight_and_says_which_model_to_train_again(org):
    buyers = make_buyers(org)
    old = live_activity_model(older_model_payload(), AS_OF - dt.timedelta(days=30))
    run = services.analytics_run(as_of=AS_OF)
    activity = run.summary["churn"]["activity"]
    assert activity["source"] in ("fitted", "bgnbd")  # not the 1 - P(alive) floor
    assert activity["skipped_model_id"] == old.pk
    assert "other features" in activity["skipped_because"]
    assert run.summary["churn"]["scored"] == len(buyers.buyers)


def test_the_models_page_says_the_live_model_is_outdated(org, client):
    live_activity_model(older_model_payload())
    login(client, org.root)
    page = client.get("/insights/churn/models/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="outdated-activity"' in page and "earlier set of features" in page
    client.cookies["django_language"] = "zh-hans"
    page = client.get("/insights/churn/models/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "此模型是用旧版特征训练的" in page


def test_a_current_model_carries_no_notice(org, client):
    live_activity_model(model_payload(list(AF.FEATURES)))
    login(client, org.root)
    page = client.get("/insights/churn/models/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "outdated-activity" not in page
