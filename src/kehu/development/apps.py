from django.apps import AppConfig


class DevelopmentConfig(AppConfig):
    name = "kehu.development"
    label = "development"
    verbose_name = "Development"

    def ready(self) -> None:
        # Object rules for leads and cards; due contacts and reviews on the Today page.
        from kehu.core import duelist
        from kehu.development import due, opportunities, rules

        rules.register()
        opportunities.register()
        duelist.register("development", due.LABEL, due.due_source)
        duelist.register("touches", due.TOUCH_LABEL, due.touch_source)
