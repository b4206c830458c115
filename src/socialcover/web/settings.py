"""Settings of one web app instance (explicit values; no global options)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from socialcover.errors import InputError


def _secret_from_home() -> str:
    """A per-installation secret, kept in the socialcover home (created on first use)."""
    from socialcover.data._home import home

    path = home() / "web-secret.key"
    if not path.exists():
        path.write_text(secrets.token_hex(32), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


# Settings that may also come from the environment: variable and default.
ENVIRONMENT: dict[str, tuple[str, int | float]] = {
    "max_upload_bytes": ("SOCIALCOVER_MAX_UPLOAD_BYTES", 200 * 1024 * 1024),
    "max_survey_rows": ("SOCIALCOVER_MAX_SURVEY_ROWS", 10_000_000),
    "max_survey_decoded_bytes": ("SOCIALCOVER_MAX_SURVEY_DECODED_BYTES", 1024 * 1024 * 1024),
    "job_workers": ("SOCIALCOVER_JOB_WORKERS", 2),
    "survey_job_memory_mb": ("SOCIALCOVER_SURVEY_JOB_MEMORY_MB", 2048),
    "survey_job_seconds": ("SOCIALCOVER_SURVEY_JOB_SECONDS", 1800.0),
    "report_job_memory_mb": ("SOCIALCOVER_REPORT_JOB_MEMORY_MB", 2048),
    "report_job_seconds": ("SOCIALCOVER_REPORT_JOB_SECONDS", 1800.0),
    "anonymous_heavy_per_minute": ("SOCIALCOVER_ANONYMOUS_HEAVY_PER_MINUTE", 10),
    "hsts_seconds": ("SOCIALCOVER_HSTS_SECONDS", 0),
    "spark_min_rows": ("SOCIALCOVER_SPARK_MIN_ROWS", 1_000_000),
}


def _env(name: str) -> Any:
    """The setting ``name`` from its environment variable, else its default."""
    var, default = ENVIRONMENT[name]
    raw = os.environ.get(var)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = type(default)(raw.strip())
    except ValueError:
        raise InputError(
            f"{var}={raw!r} is not a number.",
            code="web.bad-setting",
            hint=f"Set {var} to a number (default {default}), or unset it.",
        ) from None
    if value < 0:
        raise InputError(
            f"{var}={raw!r} is negative.",
            code="web.bad-setting",
            hint=f"Set {var} to 0 or more (default {default}), or unset it.",
        )
    return value


@dataclass(frozen=True)
class Settings:
    """What a web app instance needs to know.

    Parameters
    ----------
    database_url
        SQLAlchemy URL of the platform database; ``None`` uses the store's default
        (embedded SQLite in the socialcover home).
    secure_cookies
        Mark cookies ``Secure``. ``None`` decides per request: secure when the request
        arrived over https (directly or through a proxy's ``X-Forwarded-Proto``).
    secret_key
        Key for signing CSRF tokens; by default a random key kept in the socialcover home.
    upload_dir
        Where uploaded survey files and job results are kept (private to their uploader).
    max_upload_bytes
        Largest survey or observation file accepted (``SOCIALCOVER_MAX_UPLOAD_BYTES``).
    max_survey_rows
        Most rows a survey file may declare (Parquet footer, Stata/SPSS header, CSV counted by
        streaming); checked before anything is read, so a small compressed file that expands
        to millions of rows is refused at once (``survey.too-large``, 413)
        (``SOCIALCOVER_MAX_SURVEY_ROWS``).
    max_survey_decoded_bytes
        Most bytes a survey file may expand to once read (rows x the columns' widths; see
        ``socialcover.survey.io.survey_size``), checked the same way
        (``SOCIALCOVER_MAX_SURVEY_DECODED_BYTES``).
    max_pdf_bytes
        Largest publication PDF accepted (the library itself refuses any over 20 MB).
    max_body_bytes
        Largest request body of every route; an upload route accepts this plus its file limit.
        A body over its limit is refused with 413 before the route reads it.
    job_workers
        Background jobs running at once (survey indicator tables, reports), each in its own
        worker process (``SOCIALCOVER_JOB_WORKERS``).
    survey_job_memory_mb
        Data memory a survey job's worker process may use, in MiB (``RLIMIT_DATA``; DuckDB gets
        half of it as its ``memory_limit``). A job that needs more fails with
        ``survey.job-memory``, saying the limit and what to do; the server is not touched.
        Default 2048, or ``SOCIALCOVER_SURVEY_JOB_MEMORY_MB``; 0 for no limit.
    survey_job_seconds
        Wall-clock time a survey job may run before its worker process is stopped
        (``survey.job-time``). Default 1800, or ``SOCIALCOVER_SURVEY_JOB_SECONDS``; 0 for no
        limit.
    report_job_memory_mb, report_job_seconds
        The same limits for a report build's worker process (``report.job-memory``,
        ``report.job-time``): default 2048 MiB and 1800 s, or
        ``SOCIALCOVER_REPORT_JOB_MEMORY_MB`` and ``SOCIALCOVER_REPORT_JOB_SECONDS``.
    spark_master
        A Spark master URL (``spark://head-node:7077``, ``yarn``, ``k8s://...``) to run the
        largest survey jobs on; empty (the default, or ``SOCIALCOVER_SPARK_MASTER``) runs every
        job on this server. The upload folder must then be storage every executor reads (a
        shared mount): Spark reads the uploaded file and writes the mapped persons there.
    spark_min_rows
        Survey jobs whose file declares at least this many rows go to ``spark_master``.
        Default 1,000,000, or ``SOCIALCOVER_SPARK_MIN_ROWS``.
    seed
        Seed starter content on first start (when the database is empty).
    anonymous_heavy_per_minute
        Heavy requests (costing runs and workbooks) an anonymous client address may start in
        any 60 seconds; the next answers 429 with ``Retry-After``. 0 turns the limit off.
        Default 10, or ``SOCIALCOVER_ANONYMOUS_HEAVY_PER_MINUTE``.
    hsts_seconds
        Send ``Strict-Transport-Security: max-age=<seconds>; includeSubDomains`` on https
        responses; 0 (the default, or ``SOCIALCOVER_HSTS_SECONDS``) sends none. Turn it on
        only once the site and all its subdomains are served over https: browsers then
        refuse plain http for that long.
    """

    database_url: str | None = None
    secure_cookies: bool | None = None
    secret_key: str = field(default_factory=lambda: os.environ.get("SOCIALCOVER_SECRET", ""))
    upload_dir: Path | None = None
    max_upload_bytes: int = field(default_factory=lambda: _env("max_upload_bytes"))
    max_survey_rows: int = field(default_factory=lambda: _env("max_survey_rows"))
    max_survey_decoded_bytes: int = field(default_factory=lambda: _env("max_survey_decoded_bytes"))
    max_pdf_bytes: int = 20 * 1024 * 1024
    max_body_bytes: int = 5 * 1024 * 1024
    job_workers: int = field(default_factory=lambda: _env("job_workers"))
    survey_job_memory_mb: int = field(default_factory=lambda: _env("survey_job_memory_mb"))
    survey_job_seconds: float = field(default_factory=lambda: _env("survey_job_seconds"))
    report_job_memory_mb: int = field(default_factory=lambda: _env("report_job_memory_mb"))
    report_job_seconds: float = field(default_factory=lambda: _env("report_job_seconds"))
    spark_master: str = field(
        default_factory=lambda: os.environ.get("SOCIALCOVER_SPARK_MASTER", "")
    )
    spark_min_rows: int = field(default_factory=lambda: _env("spark_min_rows"))
    seed: bool = True
    anonymous_heavy_per_minute: int = field(
        default_factory=lambda: _env("anonymous_heavy_per_minute")
    )
    hsts_seconds: int = field(default_factory=lambda: _env("hsts_seconds"))

    def environment(self) -> dict[str, str]:
        """The environment variables that give these settings to another process.

        ``socialcover serve --workers N`` sets them before starting the workers, which build
        their app from the environment (:func:`socialcover.web.app.app_from_env`).
        """
        env = {var: str(getattr(self, name)) for name, (var, _default) in ENVIRONMENT.items()}
        return env | {"SOCIALCOVER_SPARK_MASTER": self.spark_master}

    def resolved_secret(self) -> str:
        """The signing key (from the settings, the environment or the home)."""
        return self.secret_key or _secret_from_home()

    def resolved_upload_dir(self) -> Path:
        """The upload folder (``<home>/uploads`` by default), created on use."""
        from socialcover.data._home import home

        path = self.upload_dir or home() / "uploads"
        path.mkdir(parents=True, exist_ok=True)
        return path
