from django.apps import AppConfig


class InterventionsConfig(AppConfig):
    name = "interventions"
    verbose_name = "Catalogue"

    def ready(self) -> None:
        from interventions import search  # noqa: F401 - connects the search_text signals
