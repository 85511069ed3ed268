from interventions.models import Catalogue


def catalogue_notice(request) -> dict:
    """Tell every page whether the loaded catalogue is demonstration data (one query)."""
    return {"catalogue": Catalogue.objects.filter(pk=1).first()}
