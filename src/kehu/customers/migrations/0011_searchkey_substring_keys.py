"""Search inside names (issue #12): the keys gain Chinese character pairs (``g:``) and
inner syllables and words (``w:``), and the index orders each key's customers. Every
customer's keys are rebuilt here; a million customers take a few minutes (figures in
bench/README.md). ``kehu search rebuild`` does the same later, after a key change."""

from django.db import migrations, models


def rebuild(apps, schema_editor):
    from kehu.customers.search_index import rebuild_search_keys

    customer = apps.get_model("customers", "Customer")
    if not customer.objects.exists():
        return
    rebuild_search_keys(
        customer_model=customer,
        contact_model=apps.get_model("customers", "ContactPoint"),
        key_model=apps.get_model("customers", "SearchKey"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0010_interaction_next_contact"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="searchkey", name="searchkey_key_prefix"),
        migrations.AddIndex(
            model_name="searchkey",
            index=models.Index(
                fields=["key", "customer"],
                name="searchkey_key_customer",
                opclasses=["varchar_pattern_ops", "int8_ops"],
            ),
        ),
        # Older keys are a subset of the new ones: going back keeps them.
        migrations.RunPython(rebuild, migrations.RunPython.noop, elidable=True),
    ]
