from django.apps import AppConfig


class ServiceConfig(AppConfig):
    name = "kehu.service"
    label = "service"
