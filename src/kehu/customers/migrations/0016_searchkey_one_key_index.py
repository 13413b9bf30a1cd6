"""One search-key index, (key, customer, team), in place of (key, customer) and (key, team,
customer): the same search times at 1,000,000 customers for the administrator, a manager
and a partner (bench/README.md), 737 MB instead of 2.1 GB, one index fewer for an import's
keys to maintain. At 1M customers the new index takes ~15 s to build."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0015_customer_owner_team_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="searchkey",
            index=models.Index(
                fields=["key", "customer", "team_id"],
                name="searchkey_key_customer_team",
                opclasses=["varchar_pattern_ops", "int8_ops", "int8_ops"],
            ),
        ),
        migrations.RemoveIndex(model_name="searchkey", name="searchkey_key_customer"),
        migrations.RemoveIndex(model_name="searchkey", name="searchkey_key_team_customer"),
    ]
