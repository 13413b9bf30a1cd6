# The portal user's role (kehu.portal): a new choice, no change to the column.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_audit_export_erase_actions"),
    ]

    operations = [
        migrations.AlterField(
            model_name="profile",
            name="role",
            field=models.CharField(
                choices=[
                    ("admin", "Administrator"),
                    ("manager", "Manager"),
                    ("sales", "Sales rep"),
                    ("service", "Service agent"),
                    ("analyst", "Analyst"),
                    ("partner", "Channel-partner user"),
                    ("customer", "Customer portal user"),
                ],
                default="sales",
                max_length=20,
                verbose_name="role",
            ),
        ),
    ]
