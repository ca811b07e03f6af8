"""Failed sign-in attempts, kept just long enough to lock out password guessing."""

from __future__ import annotations

from django.db import models


class LoginFailure(models.Model):
    """One failed sign-in for a username (as typed, lower-cased) from an address.

    Counted whether or not the username exists, so a lockout says nothing about accounts.
    """

    username = models.CharField(max_length=150)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["username", "ip_address", "at"]),
            models.Index(fields=["at"]),
        ]

    def __str__(self) -> str:
        return f"{self.username} from {self.ip_address} at {self.at:%Y-%m-%d %H:%M}"
