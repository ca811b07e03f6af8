"""Browser pages of notifications: the list, the badge the navigation bar polls (htmx), mark
as read, and which emails the user gets."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from ctms.forms import StyledForm

from .choices import NotificationKind
from .selectors import email_opt_outs, notifications_visible_to, unread_count
from .services import email_opt_outs_set, notifications_mark_read
from .wording import notification_text

LIST_LIMIT = 100


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = list(notifications_visible_to(request.user).select_related("user")[:LIST_LIMIT])
    for notification in notifications:
        notification.text = notification_text(notification, language=request.LANGUAGE_CODE)
    return render(request, "notifications/list.html", {"notifications": notifications})


@require_GET
@login_required
def badge(request: HttpRequest) -> HttpResponse:
    """The unread count in the navigation bar; htmx asks again every 30 seconds."""
    return render(request, "notifications/badge.html", {"unread": unread_count(request.user)})


@require_POST
@login_required
def mark_read(request: HttpRequest) -> HttpResponse:
    notifications_mark_read(user=request.user)
    return redirect("notifications:list")


class EmailSettingsForm(StyledForm):
    emails = forms.MultipleChoiceField(
        label=gettext_lazy("Send me an email for"),
        choices=NotificationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


@login_required
def email_settings(request: HttpRequest) -> HttpResponse:
    """Tick the kinds of notification to receive by email (all are on until turned off)."""
    everything = set(NotificationKind.values)
    form = EmailSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={"emails": sorted(everything - email_opt_outs(request.user))},
    )
    if request.method == "POST" and form.is_valid():
        email_opt_outs_set(user=request.user, kinds=everything - set(form.cleaned_data["emails"]))
        messages.success(request, _("Your email settings have been saved."))
        return redirect("notifications:list")
    return render(request, "notifications/settings.html", {"form": form})
