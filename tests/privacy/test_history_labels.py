"""The history tab names an export and an erasure in the reader's language, not by their code."""

from django.utils import translation

from kehu.core.models import AuditEvent
from kehu.privacy import services


def test_export_and_erase_have_translated_labels(org, person):
    services.personal_data_export(customer=person, by=org.root, fmt="json")
    services.customer_erase(customer=person, by=org.root, reason="ticket 1")
    exported = AuditEvent.objects.get(action="export")
    erased = AuditEvent.objects.get(action="erase")
    with translation.override("en"):
        assert exported.get_action_display() == "Personal data exported"
        assert erased.get_action_display() == "Personal data erased"
    with translation.override("zh-hans"):
        assert exported.get_action_display() == "已导出个人数据"
        assert erased.get_action_display() == "已删除个人数据"
