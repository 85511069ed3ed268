"""What every curated record's admin page has: its change history, and a lock against
losing another curator's save (interventions/admin_locking.py)."""

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from interventions.admin_locking import EditLockAdmin


class HistoryAdmin(EditLockAdmin, SimpleHistoryAdmin):
    """Shows who changed what and when. The history is for reading, not for reverting:
    a revert would bypass the publication workflow and the never-overwrite rule for
    ratings, and django-simple-history saves a POST to its history form even when the
    revert button is hidden."""

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied("Past versions can be viewed, not restored.")
        return super().history_form_view(request, object_id, version_id, extra_context)
