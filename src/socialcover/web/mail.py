"""Sending one-time links by e-mail, when an SMTP server is configured (none is required).

Configured from the environment: ``SOCIALCOVER_SMTP_HOST`` (required to send), ``_PORT``
(587), ``_FROM``, ``_USER`` and ``_PASSWORD`` (optional log-in), ``_STARTTLS`` (``1`` by
default; ``0`` for a local relay). Without a host, callers print the link for the operator to
pass on by a safe channel.
"""

from __future__ import annotations

import os
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage


@dataclass(frozen=True)
class MailSettings:
    """Where and how to send mail."""

    host: str
    port: int = 587
    sender: str = "socialcover@localhost"
    user: str = ""
    password: str = ""
    starttls: bool = True

    @classmethod
    def from_env(cls) -> MailSettings | None:
        """The SMTP settings in the environment, or ``None`` when no host is set."""
        env = os.environ
        host = env.get("SOCIALCOVER_SMTP_HOST", "").strip()
        if not host:
            return None
        return cls(
            host=host,
            port=int(env.get("SOCIALCOVER_SMTP_PORT", "587")),
            sender=env.get("SOCIALCOVER_SMTP_FROM", "socialcover@localhost"),
            user=env.get("SOCIALCOVER_SMTP_USER", ""),
            password=env.get("SOCIALCOVER_SMTP_PASSWORD", ""),
            starttls=env.get("SOCIALCOVER_SMTP_STARTTLS", "1") != "0",
        )


def send_mail(settings: MailSettings, to: str, subject: str, body: str) -> None:
    """Send one plain-text message (raises ``OSError``/``smtplib.SMTPException`` on failure)."""
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(settings.host, settings.port, timeout=30) as smtp:
        if settings.starttls:
            smtp.starttls()
        if settings.user:
            smtp.login(settings.user, settings.password)
        smtp.send_message(message)
