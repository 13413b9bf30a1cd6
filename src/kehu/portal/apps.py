from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "kehu.portal"
    label = "portal"

    def ready(self) -> None:
        # What the portal holds about a person, for export and erasure (kehu.privacy).
        from kehu.portal import personal_data

        personal_data.register_sources()
