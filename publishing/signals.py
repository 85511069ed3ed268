"""Signals for apps that follow the published catalogue (open data, feeds, alerts).

Sent by publishing/publish.py inside the publishing transaction, so a receiver's
database work commits or rolls back with the publication; publishing imports no
receiver. Receivers wanting to act only after commit use transaction.on_commit.
"""

from django.dispatch import Signal

# A new version is public. Arguments: version (the Version).
version_published = Signal()
# Anything public changed: a version was published or an intervention archived.
# Arguments: intervention (the Intervention).
catalogue_changed = Signal()
