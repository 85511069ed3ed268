from django.utils.functional import SimpleLazyObject

from interventions.models import Catalogue, GlossaryTerm


def catalogue_notice(request) -> dict:
    """Tell every page whether the loaded catalogue is demonstration data (one query)."""
    return {"catalogue": Catalogue.objects.filter(pk=1).first()}


def glossary(request) -> dict:
    """The glossary's terms for the `explain` filter: read only by pages that use it."""
    return {"glossary": SimpleLazyObject(lambda: list(GlossaryTerm.objects.all()))}
