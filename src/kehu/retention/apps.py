from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "kehu.retention"
    label = "retention"

    def ready(self) -> None:
        # What this app holds about a person, for export and erasure (kehu.privacy).
        from kehu.retention import personal_data, rules, signals, today

        personal_data.register_sources()
        rules.register()
        today.register()
        signals.connect()
        # Its entries on the customer's timeline (customers cannot import this app).
        from kehu.retention import timeline

        timeline.register()
