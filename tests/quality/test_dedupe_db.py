"""``kehu dedupe`` on the database: extracts the customers, fits the matcher with the
reviewed pairs as labels, stores new candidate pairs, saves the model."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from kehu.customers import services as customer_services
from kehu.quality.models import DuplicatePair


@pytest.fixture
def people(org):
    make = customer_services.customer_create
    return {
        "twin": make(by=org.alice, owner=org.bob, name="張偉", phone="+8613800138000", city="上海"),
        "other": make(by=org.alice, owner=org.alice, name="李娜", phone="+8613900139000"),
        "namesake": make(
            by=org.alice, owner=org.alice, name="张伟", phone="+8613711112222", city="广州"
        ),
    }


def test_db_dedupe_stores_new_pairs(org, people, settings, tmp_path, capsys):
    settings.KEHU_DEDUPE_MODEL_PATH = str(tmp_path / "model.json")
    call_command("dedupe", "--threshold", "0.8", "--json")
    result = json.loads(capsys.readouterr().out)

    assert result["customers"] == 4
    pairs = list(DuplicatePair.objects.values_list("customer_a_id", "customer_b_id", "status"))
    assert pairs == [(org.customer.pk, people["twin"].pk, "open")]
    assert result["stored"]["new"] == 1
    assert (tmp_path / "model.json").exists()

    # A second run proposes nothing new; the open pair is refreshed, not duplicated.
    call_command("dedupe", "--threshold", "0.8", "--json")
    again = json.loads(capsys.readouterr().out)
    assert again["stored"]["new"] == 0 and again["stored"]["updated"] == 1
    assert DuplicatePair.objects.count() == 1
