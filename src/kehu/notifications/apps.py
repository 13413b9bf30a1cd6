from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "kehu.notifications"
    label = "notifications"
    verbose_name = "Notifications"
