"""Names starting with one or two Han characters as one key each (``h:``, issue #12): a
surname (王) or a city (上海) is read newest first from the (key, customer_id) index rather
than as a prefix of 135,000 keys read whole and sorted. The keys are derived from the
``n:`` keys already stored, in one INSERT … SELECT on PostgreSQL (figures in
bench/README.md); later writes add them through ``search.customer_keys``."""

from django.db import migrations


def add(apps, schema_editor):
    from kehu.customers.search_index import add_head_keys

    add_head_keys(key_model=apps.get_model("customers", "SearchKey"))


def remove(apps, schema_editor):
    apps.get_model("customers", "SearchKey").objects.filter(key__startswith="h:").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0013_searchkey_team"),
    ]

    operations = [
        migrations.RunPython(add, remove, elidable=True),
    ]
