from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """Personal-data rights (PIPL / GDPR): export everything held about a person, erase a
    person by anonymisation. The data comes from ``kehu.core.personal_data``'s registry."""

    name = "kehu.privacy"
    label = "privacy"
