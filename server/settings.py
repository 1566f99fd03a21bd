"""Deployment settings, read from SCORING_* environment variables in this one place.

SCORING_DATA_DIR      where the SQLite database (and later uploads) live; default ./data
SCORING_DATABASE_URL  a database URL; default SQLite in the data directory. For PostgreSQL:
                      postgresql://user@host:5432/dbname
SCORING_SECRET_KEY    the key for session cookies, judges' links and the audit chain; default a random key
                      made once and kept in the data directory (secret.key)
SCORING_SECURE_COOKIES  "1" to send cookies over HTTPS only (set it behind TLS)
SCORING_TRUSTED_PROXIES  comma-separated addresses of reverse proxies whose X-Forwarded-For and
                      X-Forwarded-Proto are believed (e.g. 127.0.0.1); default none
SCORING_REDIS_URL     redis://host:6379/0 to share live-update channels between several server
                      processes; default: channels in the process's memory (one process)
The rules of a competition are never settings: they are competition and rubric files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from scoring.store.database import sqlite_url


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    secret_key: str | None = None
    secure_cookies: bool = False
    redis_url: str | None = None
    trusted_proxies: str = ""  # addresses whose X-Forwarded-For/-Proto are believed; none by default

    def uvicorn_proxy_options(self) -> dict[str, object]:
        """Forwarded headers count only from the configured proxies (never by default, so a
        client cannot choose the address its failed sign-ins are counted against)."""
        if not self.trusted_proxies:
            return {"proxy_headers": False}
        return {"proxy_headers": True, "forwarded_allow_ips": self.trusted_proxies}

    @staticmethod
    def from_env(data_dir: Path | None = None) -> Settings:
        folder = data_dir or Path(os.environ.get("SCORING_DATA_DIR", "data"))
        return Settings(
            data_dir=folder,
            database_url=os.environ.get("SCORING_DATABASE_URL") or sqlite_url(folder),
            secret_key=os.environ.get("SCORING_SECRET_KEY") or None,
            secure_cookies=os.environ.get("SCORING_SECURE_COOKIES") == "1",
            redis_url=os.environ.get("SCORING_REDIS_URL") or None,
            trusted_proxies=os.environ.get("SCORING_TRUSTED_PROXIES", "").strip(),
        )
