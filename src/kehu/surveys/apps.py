from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "kehu.surveys"
    label = "surveys"

    def ready(self) -> None:
        # A resolved ticket gets its CSAT invitation: the service app sends the event, this
        # app (above it) listens, so service never imports surveys.
        from kehu.surveys import receivers

        receivers.connect()
        # Answers and invitations in a person's export and erasure (kehu.privacy).
        from kehu.surveys import personal_data

        personal_data.register_sources()
        # The answers to ``permissions.can`` for responses, invitations and surveys.
        from kehu.surveys import rules

        rules.register()
