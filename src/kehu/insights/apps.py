from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "kehu.insights"
    label = "insights"

    def ready(self) -> None:
        # What this app holds about a person, for export and erasure (kehu.privacy).
        from kehu.insights import personal_data

        personal_data.register_sources()
        # The survey answers for the service measures and the balanced report (the service
        # app sits below the surveys app, so it is fed from here).
        from kehu.insights import selectors_balanced

        selectors_balanced.register()
