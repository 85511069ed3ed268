"""Forget the bulk files when the published catalogue changes, so the next request
builds them afresh (publishing sends the signal; it does not import this)."""

from django.dispatch import receiver

from opendata.models import DataFile
from publishing.signals import catalogue_changed


@receiver(catalogue_changed, dispatch_uid="opendata.forget_files")
def forget_files(sender, **kwargs) -> None:
    DataFile.objects.all().delete()
