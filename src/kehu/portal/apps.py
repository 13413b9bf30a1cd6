from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "kehu.portal"
    label = "portal"
