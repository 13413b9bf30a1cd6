from django.apps import AppConfig


class DealersConfig(AppConfig):
    name = "kehu.dealers"
    label = "dealers"
    verbose_name = "Dealers"

    def ready(self) -> None:
        # The onboarding's object rule; contract renewals on the Today page's due list.
        from kehu.core import duelist
        from kehu.dealers import due, rules

        rules.register()
        duelist.register("dealers", due.LABEL, due.due_source)
