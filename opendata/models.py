"""The bulk open-data files, stored in the database so every web server serves the
same bytes. Each is rebuilt when the published catalogue has changed since it was
built (opendata/files.py compares a fingerprint of the listing)."""

from django.db import models


class DataFile(models.Model):
    name = models.CharField(max_length=60, primary_key=True)
    content = models.BinaryField()
    content_type = models.CharField(max_length=80)
    built_at = models.DateTimeField()
    # What the published catalogue looked like when built (see files.fingerprint).
    fingerprint = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.name
