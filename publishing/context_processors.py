"""What every page may show that curators change without publishing: the
demonstration notice and the glossary. Each is read once per process and catalogue
state (publishing/catalogue_state.py), since an edit to either changes the state."""

from django.utils.functional import SimpleLazyObject

from interventions.models import Catalogue, GlossaryTerm
from interventions.plain_language import Glossary
from publishing.catalogue_state import kept


def catalogue_notice(request) -> dict:
    """Whether the loaded catalogue is demonstration data."""
    return {"catalogue": kept("catalogue row", lambda: Catalogue.objects.filter(pk=1).first())}


def glossary(request) -> dict:
    """The glossary's terms for the `explain` filter: read only by pages that use it."""
    return {"glossary": SimpleLazyObject(lambda: kept("glossary", _glossary))}


def _glossary() -> Glossary:
    return Glossary(GlossaryTerm.objects.all())
