"""A user's customers outside their teams, as index ranges (search_index.key_scope, issue #12)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_role_customer"),
        ("customers", "0014_searchkey_head_keys"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="customer",
            index=models.Index(fields=["owner", "team", "id"], name="customer_owner_team"),
        ),
    ]
