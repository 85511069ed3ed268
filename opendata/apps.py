from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "opendata"
    verbose_name = "Open data files and feeds"

    def ready(self) -> None:
        from opendata import receivers  # noqa: F401
