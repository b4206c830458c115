"""Settings of one web app instance (explicit values; no global options)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path


def _secret_from_home() -> str:
    """A per-installation secret, kept in the socialcover home (created on first use)."""
    from socialcover.data._home import home

    path = home() / "web-secret.key"
    if not path.exists():
        path.write_text(secrets.token_hex(32), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


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
        Largest survey or observation file accepted.
    max_survey_rows
        Most rows a survey file may declare (Parquet footer, Stata/SPSS header, CSV counted by
        streaming); checked before anything is read, so a small compressed file that expands
        to millions of rows is refused at once (``survey.too-large``, 413).
    max_survey_decoded_bytes
        Most bytes a survey file may expand to once read (rows x the columns' widths; see
        ``socialcover.survey.io.survey_size``), checked the same way.
    max_pdf_bytes
        Largest publication PDF accepted (the library itself refuses any over 20 MB).
    max_body_bytes
        Largest request body of every route; an upload route accepts this plus its file limit.
        A body over its limit is refused with 413 before the route reads it.
    job_workers
        Background jobs running at once (survey indicator tables, reports); each survey job
        runs in its own worker process.
    survey_job_memory_mb
        Data memory a survey job's worker process may use, in MiB (``RLIMIT_DATA``; DuckDB gets
        half of it as its ``memory_limit``). A job that needs more fails with
        ``survey.job-memory``, saying the limit and what to do; the server is not touched.
        Default 2048, or ``SOCIALCOVER_SURVEY_JOB_MEMORY_MB``; 0 for no limit.
    survey_job_seconds
        Wall-clock time a survey job may run before its worker process is stopped
        (``survey.job-time``). Default 1800, or ``SOCIALCOVER_SURVEY_JOB_SECONDS``; 0 for no
        limit.
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
    max_upload_bytes: int = 200 * 1024 * 1024
    max_survey_rows: int = 10_000_000
    max_survey_decoded_bytes: int = 1024 * 1024 * 1024
    max_pdf_bytes: int = 20 * 1024 * 1024
    max_body_bytes: int = 5 * 1024 * 1024
    job_workers: int = 2
    survey_job_memory_mb: int = field(
        default_factory=lambda: int(os.environ.get("SOCIALCOVER_SURVEY_JOB_MEMORY_MB", "2048"))
    )
    survey_job_seconds: float = field(
        default_factory=lambda: float(os.environ.get("SOCIALCOVER_SURVEY_JOB_SECONDS", "1800"))
    )
    spark_master: str = field(
        default_factory=lambda: os.environ.get("SOCIALCOVER_SPARK_MASTER", "")
    )
    spark_min_rows: int = field(
        default_factory=lambda: int(os.environ.get("SOCIALCOVER_SPARK_MIN_ROWS", "1000000"))
    )
    seed: bool = True
    anonymous_heavy_per_minute: int = field(
        default_factory=lambda: int(os.environ.get("SOCIALCOVER_ANONYMOUS_HEAVY_PER_MINUTE", "10"))
    )
    hsts_seconds: int = field(
        default_factory=lambda: int(os.environ.get("SOCIALCOVER_HSTS_SECONDS", "0"))
    )

    def resolved_secret(self) -> str:
        """The signing key (from the settings, the environment or the home)."""
        return self.secret_key or _secret_from_home()

    def resolved_upload_dir(self) -> Path:
        """The upload folder (``<home>/uploads`` by default), created on use."""
        from socialcover.data._home import home

        path = self.upload_dir or home() / "uploads"
        path.mkdir(parents=True, exist_ok=True)
        return path
