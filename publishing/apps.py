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

    def ready(self) -> None:
        # Public pages also show the taxonomies' names, the rating scales, the glossary
        # and the demonstration notice, and search uses the synonyms, all of which
        # curators edit without publishing: a change to any of them is a change to the
        # public site (publishing/catalogue_state.py).
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from interventions.models import Catalogue, GlossaryTerm, Term, Topic
        from publishing import topics
        from publishing.catalogue_state import changed
        from publishing.models import SearchSynonym
        from ratings.models import RatingLevel, RatingScale

        def public_data_changed(sender, **kwargs) -> None:
            changed()

        shown = [
            Catalogue,
            GlossaryTerm,
            SearchSynonym,
            RatingLevel,
            RatingScale,
            *Term.__subclasses__(),
        ]
        for model in shown:
            for signal in (post_save, post_delete):
                signal.connect(public_data_changed, sender=model, weak=False)

        # A need's outcomes decide which interventions are under it (publishing/topics.py).
        def needs_changed(sender, action: str = "post_delete", **kwargs) -> None:
            if action in ("post_add", "post_remove", "post_clear", "post_delete"):
                topics.refresh()
                changed()

        m2m_changed.connect(needs_changed, sender=Topic.outcomes.through, weak=False)
        post_delete.connect(needs_changed, sender=Topic, weak=False)
