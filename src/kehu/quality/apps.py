from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "kehu.quality"
    label = "quality"

    def ready(self) -> None:
        # What this app holds about a person, for export and erasure (kehu.privacy).
        from kehu.quality import personal_data

        personal_data.register_sources()
