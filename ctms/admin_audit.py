"""Auditing in the admin site, which writes models directly rather than through services:
opening a record's page is a read, saving and deleting are writes."""

from __future__ import annotations

from django.contrib import admin

from .audit import audit, audit_reads, changed_fields


class AuditedModelAdmin(admin.ModelAdmin):
    """A ModelAdmin whose record pages, saves and deletions are in the audit trail (channel
    `admin`; changed field names, values only for fields that are not sensitive)."""

    # Foreign keys to people whose raw-id widget prints the person's name on the record page.
    labelled_people: tuple[str, ...] = ()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            obj = self.get_object(request, object_id)
            if obj is not None:
                audit_reads(
                    actor=request.user, objects=[obj, *self._labelled(obj)], channel="admin"
                )
        return super().change_view(request, object_id, form_url, extra_context)

    def _labelled(self, obj) -> list:
        """The people a raw-id field names next to its input (`labelled_people`: a referral's
        page shows its victim's name): each is read too."""
        related = [getattr(obj, name) for name in self.labelled_people]
        for inline in self.inlines:  # rows of an inline name their people the same way
            names = getattr(inline, "labelled_people", ())
            if names:
                parent = next(
                    field.name
                    for field in inline.model._meta.fields
                    if field.is_relation and field.related_model is type(obj)
                )
                rows = inline.model.objects.filter(**{parent: obj}).select_related(*names)
                related += [getattr(row, name) for row in rows for name in names]
        return [record for record in related if record is not None]

    def changelist_view(self, request, extra_context=None):
        """A search is a read of the records it finds (searching a name tells who is there):
        the rows shown are audited."""
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None and changelist.query:
            audit_reads(actor=request.user, objects=changelist.result_list, channel="admin")
        return response

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if change:
            details = {
                "changed": changed_fields(
                    {name: str(form.initial.get(name, "")) for name in form.changed_data},
                    {name: str(form.cleaned_data.get(name, "")) for name in form.changed_data},
                )
            }
        else:
            details = {"fields": sorted(form.changed_data)}
        audit(
            actor=request.user,
            action="update" if change else "create",
            obj=obj,
            channel="admin",
            details=details,
        )

    def delete_model(self, request, obj) -> None:
        audit(actor=request.user, action="delete", obj=obj, channel="admin")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset:
            audit(actor=request.user, action="delete", obj=obj, channel="admin")
        super().delete_queryset(request, queryset)
