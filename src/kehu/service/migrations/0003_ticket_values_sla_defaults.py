"""Tickets written before the new choices take their new names (an inquiry is a question; in
progress is open); the SLA policy gets its default targets per priority, faster for key
customers (an administrator edits them)."""

from decimal import Decimal

from django.db import migrations

# priority: (first response, resolution) in business hours; key customers get half.
DEFAULTS = {
    "urgent": (Decimal(1), Decimal(8)),
    "high": (Decimal(4), Decimal(18)),
    "normal": (Decimal(8), Decimal(36)),
    "low": (Decimal(16), Decimal(72)),
}


def forwards(apps, schema_editor):
    Ticket = apps.get_model("service", "Ticket")
    Ticket.objects.filter(kind="inquiry").update(kind="question")
    Ticket.objects.filter(status="in_progress").update(status="open")
    Customer = apps.get_model("customers", "Customer")
    key = Customer.objects.filter(tier="key").values("id")
    Ticket.objects.filter(customer__in=key).update(vip=True)
    SlaPolicy = apps.get_model("service", "SlaPolicy")
    for priority, (response, resolution) in DEFAULTS.items():
        SlaPolicy.objects.get_or_create(
            priority=priority,
            tier="",
            defaults={"first_response_hours": response, "resolution_hours": resolution},
        )
        SlaPolicy.objects.get_or_create(
            priority=priority,
            tier="key",
            defaults={"first_response_hours": response / 2, "resolution_hours": resolution / 2},
        )


def backwards(apps, schema_editor):
    Ticket = apps.get_model("service", "Ticket")
    Ticket.objects.filter(kind="question").update(kind="inquiry")


class Migration(migrations.Migration):
    dependencies = [("service", "0002_ticket_thread_sla")]

    operations = [migrations.RunPython(forwards, backwards)]
