from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save


class RatingsConfig(AppConfig):
    name = "ratings"
    verbose_name = "Evidence and ratings"

    def ready(self) -> None:
        # Intervention.uk_tested follows from the evidence: refresh it whenever that changes.
        from interventions.models import Outcome, OutcomeDomain
        from ratings import derived
        from ratings.models import Finding, Study

        pre_save.connect(derived.finding_saving, sender=Finding, dispatch_uid="uk_finding_saving")
        post_save.connect(derived.finding_changed, sender=Finding, dispatch_uid="uk_finding_saved")
        post_delete.connect(
            derived.finding_changed, sender=Finding, dispatch_uid="uk_finding_deleted"
        )
        post_save.connect(derived.study_saved, sender=Study, dispatch_uid="uk_study_saved")
        pre_delete.connect(derived.study_deleting, sender=Study, dispatch_uid="uk_study_deleting")
        post_delete.connect(derived.study_deleted, sender=Study, dispatch_uid="uk_study_deleted")
        for model in (Outcome, OutcomeDomain):
            post_save.connect(
                derived.outcome_saved, sender=model, dispatch_uid=f"uk_{model.__name__}_saved"
            )
        m2m_changed.connect(
            derived.study_links_changed,
            sender=Study.interventions.through,
            dispatch_uid="uk_study_links_changed",
        )
