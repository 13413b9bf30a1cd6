from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kehu.core"
    label = "core"
    verbose_name = "Kehu core"

    def ready(self) -> None:
        from kehu.core import audit, personal_data

        audit.connect_signals()
        personal_data.register_sources()
