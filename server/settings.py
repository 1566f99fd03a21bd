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
SCORING_THREADS       worker threads per process for the routes (and as many for pages and the
                      boards); the database pool is sized from it, so no request waits for a
                      connection; default min(32, cores + 4)
SCORING_PUBLIC_URL    the address tablets and phones reach the server at, e.g. http://192.168.1.10:8000:
                      every printed link and QR code (judges' cards, teams' appeal links) uses it;
                      default the address the organiser's browser used
The rules of a competition are never settings: they are competition and rubric files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from scoring.store.database import sqlite_url
from web.database import READ_LANE_THREADS


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    secret_key: str | None = None
    secure_cookies: bool = False
    redis_url: str | None = None
    trusted_proxies: str = ""  # addresses whose X-Forwarded-For/-Proto are believed; none by default
    threads: int = 0  # worker threads (0: min(32, cores + 4), as Python's own default)
    public_url: str = ""  # the address printed links and QR codes carry; "" for the browser's own

    @property
    def worker_threads(self) -> int:
        return self.threads if self.threads > 0 else min(32, (os.cpu_count() or 1) + 4)

    @property
    def database_pool(self) -> dict[str, int]:
        """Connections for every thread that may hold one at once: the routes' threads, as many
        for async pages and the boards' reads, the read lane's (web/database.py), and a few for
        the results feed and the hubs."""
        return {"pool_size": 2 * self.worker_threads + READ_LANE_THREADS + 4, "max_overflow": self.worker_threads}

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
            threads=_threads(os.environ.get("SCORING_THREADS", "")),
            public_url=public_url(os.environ.get("SCORING_PUBLIC_URL", "")),
        )


def _threads(text: str) -> int:
    """SCORING_THREADS as a number of threads (0: the default); anything else is refused."""
    if not text.strip():
        return 0
    if not text.strip().isdigit() or not 1 <= int(text) <= 512:
        raise SystemExit(f"SCORING_THREADS 须为 1 到 512 之间的整数 / must be a whole number from 1 to 512: {text!r}")
    return int(text)


def public_url(text: str) -> str:
    """SCORING_PUBLIC_URL as a base without a trailing slash ("" when unset); anything but an
    http(s) address with a host (and perhaps a port and a path) is refused with what is valid."""
    text = text.strip()
    if not text:
        return ""
    try:
        parts = urlsplit(text)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        parts, port_ok = None, False
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or not port_ok:
        raise SystemExit(
            "SCORING_PUBLIC_URL 须为平板可访问的地址，如 http://192.168.1.10:8000 / "
            f"must be the address tablets reach the server at, like http://192.168.1.10:8000: {text!r}"
        )
    if parts.query or parts.fragment:
        raise SystemExit(f"SCORING_PUBLIC_URL 不能含 ? 或 # / must not hold a query or a fragment: {text!r}")
    return text.rstrip("/")
