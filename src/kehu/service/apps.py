from django.apps import AppConfig


class ServiceConfig(AppConfig):
    name = "kehu.service"
    label = "service"

    def ready(self) -> None:
        # What this app holds about a person, for export and erasure (kehu.privacy).
        from kehu.service import personal_data

        personal_data.register_sources()
