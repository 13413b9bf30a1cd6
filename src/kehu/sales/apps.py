from django.apps import AppConfig


class SalesConfig(AppConfig):
    name = "kehu.sales"
    label = "sales"

    def ready(self) -> None:
        # What this app holds about a person, for export and erasure (kehu.privacy).
        from kehu.sales import personal_data

        personal_data.register_sources()
        # Its entries on the customer's timeline (customers cannot import this app).
        from kehu.sales import timeline

        timeline.register()
