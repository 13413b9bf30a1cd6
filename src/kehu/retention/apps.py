from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "kehu.retention"
    label = "retention"
