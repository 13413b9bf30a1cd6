"""The customer's team on each search key (issue #12): a manager's or rep's search reads
only the keys of the teams they may see (search_index.KeyScope), so a city of another
region no longer looks up ~15,000 customers to find none visible. The column is filled
from the customers in one UPDATE … FROM on PostgreSQL, with the table's other indexes
dropped meanwhile and built again once (figures in bench/README.md); then the
(key, team_id, customer_id) index is built. Afterwards services.search_keys_follow_team
keeps it current."""

from django.db import migrations, models


def fill(apps, schema_editor):
    from kehu.customers.search_index import indexes_built_after

    key = apps.get_model("customers", "SearchKey")
    customer = apps.get_model("customers", "Customer")
    keys, customers = key._meta.db_table, customer._meta.db_table
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with indexes_built_after(cursor, keys):
                cursor.execute(
                    f"UPDATE {keys} k SET team_id = c.team_id FROM {customers} c "  # noqa: S608
                    "WHERE c.id = k.customer_id AND c.team_id IS NOT NULL"
                )
            cursor.execute(f"ANALYZE {keys}")
        else:
            cursor.execute(
                f"UPDATE {keys} SET team_id = (SELECT c.team_id FROM {customers} c "  # noqa: S608
                f"WHERE c.id = {keys}.customer_id)"
            )


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0012_customer_division_code"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchkey",
            name="team_id",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        # Going back drops the column with what it held.
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="searchkey",
            index=models.Index(
                fields=["key", "team_id", "customer"],
                name="searchkey_key_team_customer",
                opclasses=["varchar_pattern_ops", "int8_ops", "int8_ops"],
            ),
        ),
    ]
