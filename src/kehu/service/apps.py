from django.apps import AppConfig


class ServiceConfig(AppConfig):
    name = "kehu.service"
    label = "service"

    def ready(self) -> None:
        # What this app holds about a person, for export and erasure (kehu.privacy).
        from kehu.service import personal_data

        personal_data.register_sources()
        # The answers to ``permissions.can`` for tickets (core defines the question).
        from kehu.service import rules

        rules.register()
        # Its tickets on the Today page (core cannot import this app).
        from kehu.service import today

        today.register()
        # Its entries on the customer's timeline (customers cannot import this app).
        from kehu.service import timeline

        timeline.register()
        # The administrator's holiday table, read by the core working calendar (and so the
        # SLA) for the years it has.
        from kehu.service import holiday_table

        holiday_table.register()
        # Proactive suggestions: their permission rule and their place on the due list.
        from kehu.service import proactive

        proactive.register()
        proactive.register_due_source()
