"""Two curators editing one record can't lose each other's work (optimistic locking).

A change page carries a token: a hash of what the page edits as it was saved when the
page was opened (the record's fields and each editable inline's rows). Saving locks the
record's row, hashes what is saved now and refuses the save if the two differ. The form
comes back with the curator's typed values, the fields where theirs and the saved
version differ side by side, and a fresh token: saving again keeps their version.
"""

import hashlib
import json

from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.forms.models import model_to_dict
from django.utils import timezone

VERSION_FIELD = "_saved_version"
RECORD = "record"


def _digest(value) -> str:
    text = json.dumps(value, cls=DjangoJSONEncoder, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _values(obj: models.Model, fields=None) -> dict:
    values = model_to_dict(obj, fields=fields)
    for name, value in values.items():
        if isinstance(value, list):  # many-to-many: the chosen rows
            values[name] = sorted(
                item.pk if isinstance(item, models.Model) else item for item in value
            )
    return values


def _parse(token: str) -> dict[str, str]:
    parts = (part.partition("=") for part in token.split(";") if part)
    return {name: digest for name, _, digest in parts}


def _comparable(value):
    if isinstance(value, models.QuerySet | list | tuple):
        return sorted(_comparable(item) for item in value)
    if isinstance(value, models.Model):
        return value.pk
    if value == "":
        return None
    return value


def _label(instance: models.Model, field_name: str, value):
    """A choice's label rather than its code."""
    field = instance._meta.get_field(field_name)
    if field.choices and not isinstance(value, models.Model):
        return dict(field.flatchoices).get(value, value)
    return value


def _show(value) -> str:
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, models.QuerySet | list | tuple):
        return ", ".join(str(item) for item in value) or "(none)"
    return str(value)


class EditLockAdmin:
    """For a ModelAdmin: refuse a save made from a page opened before someone else's save."""

    def edit_token(self, request, obj: models.Model, field_names) -> str:
        """What this page edits, as saved: one digest for the record, one per inline."""
        parts = {RECORD: _digest(_values(obj, [n for n in field_names if n != VERSION_FIELD]))}
        for inline in self.get_inline_instances(request, obj):
            if not inline.has_change_permission(request, obj):
                continue  # add-only rows (ratings, costs) are never overwritten
            link = inline.fk_name or next(
                field.name
                for field in inline.model._meta.get_fields()
                if field.is_relation and field.many_to_one and field.related_model is self.model
            )
            rows = inline.model._default_manager.filter(**{link: obj}).order_by("pk")
            parts[inline.model._meta.model_name] = _digest([_values(row) for row in rows])
        return ";".join(f"{name}={digest}" for name, digest in parts.items())

    def _changeform_view(self, request, object_id, form_url, extra_context):
        if request.method == "POST" and object_id is not None:
            # Inside the admin's transaction: wait for another save of this record to
            # finish, then compare with what it saved.
            try:
                rows = self.model._default_manager.select_for_update().filter(pk=unquote(object_id))
                list(rows.values_list("pk", flat=True))
            except (ValueError, ValidationError):
                pass  # not a valid id: the admin says it does not exist
        return super()._changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None or request.method != "POST":
            return form
        admin = self

        class EditLockedForm(form):
            def clean(self):
                cleaned = super().clean()
                # self.instance still holds the saved values while the form is cleaned.
                saved = admin.edit_token(request, self.instance, list(self.fields))
                sent = self.data.get(VERSION_FIELD, "")
                request.edit_lock = {"token": sent}
                if sent != saved:
                    request.edit_lock = {
                        "token": saved,
                        "conflict": admin.edit_conflict(request, self, sent, saved),
                    }
                    raise ValidationError(request.edit_lock["conflict"]["message"])
                return cleaned

        return EditLockedForm

    def edit_conflict(self, request, form, sent: str, saved: str) -> dict:
        """What the curator sees when their page is out of date."""
        instance = form.instance
        name = instance._meta.verbose_name
        history = getattr(instance, "history", None)
        latest = history.order_by("-history_date").first() if history is not None else None
        who = ""
        if latest is not None:
            user = latest.history_user
            at = timezone.localtime(latest.history_date).strftime("%H:%M on %d %B %Y")
            who = f" ({user.get_username() if user else 'someone'}, at {at})"
        message = (
            f"Someone else saved this {name} after you opened this page{who}. Nothing of "
            "yours was saved, and what you typed is still in the form. Compare the two "
            "versions below: save again to keep yours, or reload the page to start from "
            "the saved one."
        )
        rows = []
        for field_name, field in form.fields.items():
            if field_name == VERSION_FIELD or field_name not in form.initial:
                continue
            saved_value = self._saved_value(instance, field_name)
            if field_name in form.cleaned_data:
                yours = form.cleaned_data[field_name]
            else:  # not valid: show what was typed
                yours = form.data.get(field_name)
            if _comparable(yours) != _comparable(saved_value):
                rows.append(
                    {
                        "label": field.label,
                        "yours": _show(_label(instance, field_name, yours)),
                        "saved": _show(_label(instance, field_name, saved_value)),
                    }
                )
        sent_parts, saved_parts = _parse(sent), _parse(saved)
        inlines = [
            str(inline.model._meta.verbose_name_plural)
            for inline in self.get_inline_instances(request, instance)
            if inline.model._meta.model_name in saved_parts
            and sent_parts.get(inline.model._meta.model_name)
            != saved_parts[inline.model._meta.model_name]
        ]
        return {"message": message, "rows": rows, "inlines": inlines}

    @staticmethod
    def _saved_value(instance: models.Model, field_name: str):
        field = instance._meta.get_field(field_name)
        if field.many_to_many:
            return list(getattr(instance, field_name).all())
        return getattr(instance, field_name)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None:
            lock = getattr(request, "edit_lock", None)
            if lock is None:  # opening the page: the token of what is saved now
                lock = {
                    "token": self.edit_token(request, obj, list(context["adminform"].form.fields))
                }
            context["edit_lock"] = lock
            context["edit_version_field"] = VERSION_FIELD
        return super().render_change_form(request, context, add, change, form_url, obj)
