"""Published versions, and the public site that reads only them.

An app of its own because publishing joins the catalogue (`interventions`) and
the evidence (`ratings`): it freezes an intervention with its studies, findings,
ratings and costs into an immutable version. Keeping it here lets the
dependencies run one way: `ratings` uses `interventions`, and `publishing`
uses both; neither uses `publishing`.
"""

from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = "Published versions"
