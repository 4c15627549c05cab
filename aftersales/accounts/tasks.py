"""Background jobs of accounts. Thin: they take plain values and call the module that acts."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from .password_reset import password_reset_send


@db_task()
def send_password_reset(email: str) -> None:
    password_reset_send(email=email)
