"""kehu privacy erase: as an administrator, with the id repeated; refused otherwise."""

import pytest
from django.core.management import CommandError, call_command

from kehu.customers.models import Customer
from kehu.privacy.models import Erasure


def test_erase_cli(org, person):
    args = ["privacy", "erase", str(person.pk), "--reason", "R-9"]
    with pytest.raises(CommandError, match="may not"):
        call_command(*args, "--user", "mia", "--confirm", str(person.pk))
    with pytest.raises(CommandError, match="confirm"):
        call_command(*args, "--user", "root", "--confirm", str(person.pk + 100))
    assert not Erasure.objects.exists()
    call_command(*args, "--user", "root", "--confirm", str(person.pk))
    assert Customer.objects.get(pk=person.pk).email == ""
    assert Erasure.objects.get().erased_by == org.root
