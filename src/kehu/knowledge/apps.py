from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "kehu.knowledge"
    label = "knowledge"

    def ready(self) -> None:
        # The answers to ``permissions.can`` for articles (core defines the question).
        from kehu.knowledge import rules

        rules.register()
