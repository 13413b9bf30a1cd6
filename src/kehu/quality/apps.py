from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "kehu.quality"
    label = "quality"
