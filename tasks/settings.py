"""Environment settings (store, SMTP, secrets, HR's login): the one place that reads
`os.environ`."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Settings:
    database_url: str | None
    smtp_host: str | None
    smtp_port: int
    smtp_security: Literal["starttls", "ssl", "none"]
    smtp_user: str | None
    smtp_password: str | None
    secret: str | None
    hr_password_hash: str | None  # `mentoring hr-password` makes one
    hr_user_header: str | None  # set by the agency's single sign-on proxy, trusted as HR

    def __repr__(self) -> str:  # never show secrets in logs or tracebacks
        return (f"Settings(database_url={'set' if self.database_url else None}, "
                f"smtp_host={self.smtp_host!r}, smtp_port={self.smtp_port})")


def load_settings() -> Settings:
    env = os.environ
    security = env.get("MENTORING_SMTP_SECURITY", "starttls").lower()
    if security not in ("starttls", "ssl", "none"):
        raise ValueError("MENTORING_SMTP_SECURITY must be starttls, ssl or none")
    default_port = {"starttls": 587, "ssl": 465, "none": 25}[security]
    return Settings(
        database_url=env.get("MENTORING_DATABASE_URL") or None,
        smtp_host=env.get("MENTORING_SMTP_HOST") or None,
        smtp_port=int(env.get("MENTORING_SMTP_PORT") or default_port),
        smtp_security=security,  # type: ignore[arg-type]
        smtp_user=env.get("MENTORING_SMTP_USER") or None,
        smtp_password=env.get("MENTORING_SMTP_PASSWORD") or None,
        secret=env.get("MENTORING_SECRET") or None,
        hr_password_hash=env.get("MENTORING_HR_PASSWORD_HASH") or None,
        hr_user_header=env.get("MENTORING_HR_USER_HEADER") or None,
    )
