"""Background jobs: survey indicator tables and reports, with progress.

A job lives in ``<upload_dir>/<kind>/<owner id>/<job id>/``: its input (the uploaded survey
and its mapping; a report's edition), a ``status.json`` (written atomically: temp file then
rename) and, once done, its result (``result.parquet``; the report and its chart files). Only
the job's owner can see it (others get 404, so its existence is not revealed). The page polls
the status with HTMX; the API returns the same status as JSON.

:class:`JobRegistry` runs survey jobs and :class:`ReportJobs` report builds
(:func:`socialcover.report.build_edition` then :func:`socialcover.report.write_report`) the
same way: each in a worker process with a memory and a time limit
(:mod:`socialcover.web.worker`), supervised from a thread of the app's job pool, its status
kept on disk.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from socialcover.errors import InputError, NotFoundError, SocialcoverError
from socialcover.web.errors import WebError
from socialcover.web.spark_jobs import SparkTarget
from socialcover.web.worker import Ending, Limits

SURVEY_SUFFIXES = (".csv", ".dta", ".sav", ".parquet")
# Lonely-PSU rule when neither the form nor the mapping names one.
DEFAULT_LONELY_PSU = "adjust"


@dataclass
class JobStatus:
    """Where a job is."""

    id: str
    owner_id: int
    filename: str
    state: str = "queued"  # queued | running | done | failed
    step: int = 0
    steps: int = 0
    label: str = ""
    created: float = field(default_factory=time.time)
    finished: float | None = None
    rows: int | None = None
    error: dict[str, Any] | None = None

    @property
    def percent(self) -> int:
        """Progress in percent (100 when done)."""
        if self.state == "done":
            return 100
        return int(100 * self.step / self.steps) if self.steps else 0


def write_status(folder: Path, status: JobStatus) -> None:
    """Write a job's ``status.json`` atomically (temp file, then rename)."""
    path = folder / "status.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(status)), encoding="utf-8")
    os.replace(tmp, path)


def read_status(folder: Path) -> JobStatus:
    """A job's status from its ``status.json``."""
    return JobStatus(**json.loads((folder / "status.json").read_text(encoding="utf-8")))


class JobRegistry:
    """The survey jobs of one app: each in a worker process within ``limits``, supervised from
    a thread of ``pool`` (its size caps the jobs running at once); status kept on disk."""

    kind = "survey"
    home = "/surveys"
    again = "Upload the survey again to start a new job."
    # What one can do about a job past its limits, and the variables that set them.
    ways = (
        "Upload a smaller file (only the variables you map) or a sample of the survey, ask for "
        "fewer indicators, or run the whole survey with the command line (socialcover survey "
        "indicators), on Spark for the largest files."
    )
    variables = ("SOCIALCOVER_SURVEY_JOB_MEMORY_MB", "SOCIALCOVER_SURVEY_JOB_SECONDS")
    failed = "The worker process computing the table stopped unexpectedly"

    def __init__(
        self,
        root: Path,
        pool: ThreadPoolExecutor,
        limits: Limits | None = None,
        spark: SparkTarget | None = None,
    ) -> None:
        self.root = root
        self.pool = pool
        self.limits = limits or Limits(memory_mb=0, seconds=0)
        self.spark = spark or SparkTarget()
        self._lock = threading.Lock()

    def _dir(self, owner_id: int, job_id: str) -> Path:
        if not job_id.isalnum():
            raise NotFoundError(
                f"No {self.kind} job {job_id!r}.",
                code=f"{self.kind}.job-not-found",
                hint=f"List your jobs at {self.home}.",
            )
        return self.root / str(owner_id) / job_id

    def _write(self, status: JobStatus) -> None:
        write_status(self._dir(status.owner_id, status.id), status)

    def create(self, owner_id: int, filename: str) -> tuple[JobStatus, Path]:
        """A new job folder for ``owner_id``; returns its status and folder."""
        suffix = Path(filename).suffix.lower()
        if suffix not in SURVEY_SUFFIXES:
            raise InputError(  # a bad field of the form: 422, as every invalid input
                f"Cannot read a survey from {filename!r} (a {suffix or 'nameless'} file).",
                code="survey.format",
                hint=f"Upload a {', '.join(SURVEY_SUFFIXES)} file.",
            )
        job_id = secrets.token_hex(8)
        folder = self._dir(owner_id, job_id)
        folder.mkdir(parents=True)
        status = JobStatus(id=job_id, owner_id=owner_id, filename=Path(filename).name)
        self._write(status)
        return status, folder

    def get(self, owner_id: int, job_id: str) -> JobStatus:
        """A job of ``owner_id`` (404 for anyone else's or an unknown id)."""
        path = self._dir(owner_id, job_id) / "status.json"
        if not path.exists():
            raise NotFoundError(
                f"No {self.kind} job {job_id!r}.",
                code=f"{self.kind}.job-not-found",
                hint=f"List your jobs at {self.home}.",
            )
        return read_status(path.parent)

    def list_jobs(self, owner_id: int) -> list[JobStatus]:
        """The jobs of ``owner_id``, newest first."""
        folder = self.root / str(owner_id)
        if not folder.exists():
            return []
        out = []
        for d in folder.iterdir():
            if (d / "status.json").exists():
                out.append(JobStatus(**json.loads((d / "status.json").read_text("utf-8"))))
        return sorted(out, key=lambda j: -j.created)

    def delete(self, owner_id: int, job_id: str) -> None:
        """Delete a finished job with its uploaded microdata and results (the owner's only)."""
        import shutil

        status = self.get(owner_id, job_id)
        if status.state in ("queued", "running"):
            raise WebError(
                409,
                f"Job {job_id} is {status.state}; it cannot be deleted while it runs.",
                code=f"{self.kind}.job-running",
                hint="Wait for it to finish, then delete it.",
            )
        shutil.rmtree(self._dir(owner_id, job_id))

    def fail_interrupted(self) -> int:
        """Mark jobs left queued or running by a stopped server as failed; returns how many.

        Called once when the server starts (before any worker runs jobs): a job cannot survive
        its process, so its status must not say "running" forever.
        """
        count = 0
        if not self.root.exists():
            return 0
        for path in self.root.glob("*/*/status.json"):
            status = JobStatus(**json.loads(path.read_text(encoding="utf-8")))
            if status.state in ("queued", "running"):
                status.state = "failed"
                status.finished = time.time()
                status.error = {
                    "code": f"{self.kind}.job-interrupted",
                    "message": "The server stopped while this job was running.",
                    "hint": self.again,
                }
                self._write(status)
                count += 1
        return count

    def result(self, owner_id: int, job_id: str) -> pl.DataFrame:
        """The indicator table of a finished job."""
        status = self.get(owner_id, job_id)
        if status.state != "done":
            raise SocialcoverError(
                f"Job {job_id} is {status.state}; it has no result yet.",
                code="survey.job-not-done",
                hint="Wait for it to finish (its status says how far it is).",
            )
        return pl.read_parquet(self._dir(owner_id, job_id) / "result.parquet")

    def submit(
        self,
        status: JobStatus,
        mapping_text: str,
        codes: list[str] | None,
        lonely_psu: str | None = None,
    ) -> None:
        """Run the indicator table of a job in a worker process (supervised from the pool)."""
        folder = self._dir(status.owner_id, status.id)
        (folder / "mapping.yaml").write_text(mapping_text, encoding="utf-8")
        (folder / "job.json").write_text(
            json.dumps(
                {
                    "codes": codes,
                    "lonely_psu": lonely_psu,
                    "spark_master": self.spark.master,
                    "spark_min_rows": self.spark.min_rows,
                }
            ),
            encoding="utf-8",
        )
        self.pool.submit(self._supervise, status, run_survey_job)

    def _supervise(self, status: JobStatus, target: Any, *args: str) -> None:
        """Run ``target`` for the job in its worker process and wait; a process that ended
        without a result fails the job, saying why."""
        from socialcover.web.worker import run_limited

        folder = self._dir(status.owner_id, status.id)
        try:
            ending = run_limited(target, folder, self.limits, args)
        except Exception as exc:  # the process could not start: say so, keep the server up
            ending = None
            reason = f"{type(exc).__name__}: {exc}"
        final = self.get(status.owner_id, status.id)
        if final.state in ("done", "failed"):
            return
        final.state, final.finished = "failed", time.time()
        if ending is None:
            final.error = {
                "code": f"{self.kind}.job-failed",
                "message": f"The worker process for this job could not start ({reason}).",
                "hint": "Try again; if it fails again, report the job id.",
            }
        else:
            final.error = self.ending_error(ending)
        self._write(final)

    def ending_error(self, ending: Ending) -> dict[str, Any]:
        """The failure a job shows when its worker process ended without a result."""
        limits, kind = self.limits, self.kind
        memory_var, time_var = self.variables
        if ending.reason == "memory":
            return {
                "code": f"{kind}.job-memory",
                "message": (
                    f"The job needed more memory than the {limits.memory_mb:,} MB a {kind} job "
                    "may use on this server, and was stopped."
                ),
                "hint": f"{self.ways} The server's administrator sets the limit ({memory_var}).",
            }
        if ending.reason == "time":
            return {
                "code": f"{kind}.job-time",
                "message": (
                    f"The job ran longer than the {_duration(limits.seconds)} a {kind} job may "
                    "take on this server, and was stopped."
                ),
                "hint": f"{self.ways} The server's administrator sets the limit ({time_var}).",
            }
        return {
            "code": f"{kind}.job-failed",
            "message": f"{self.failed} (exit status {ending.exitcode}).",
            "hint": "Check the file and the mapping; if they are right, report the job id."
            if kind == "survey"
            else "Try again; if it fails again, report the job id.",
        }


def _duration(seconds: float) -> str:
    if seconds >= 120:
        return f"{seconds / 60:g} minutes"
    return f"{seconds:g} seconds"


def run_survey_job(folder_name: str) -> None:
    """Compute a survey job's indicator table (in its worker process), writing its status.

    Reads ``survey.<suffix>``, ``mapping.yaml``, ``job.json`` and ``status.json`` from the
    job's folder; writes progress to ``status.json`` and the table to ``result.parquet``. A
    ``MemoryError`` is let through: the worker process ends with it, and the server says which
    limit was passed.
    """
    from socialcover.indicators import compute_indicators
    from socialcover.survey.io import (
        Mapping,
        apply_mapping,
        read_survey,
        read_value_labels,
        survey_size,
    )
    from socialcover.web.spark_jobs import run_on_spark

    folder = Path(folder_name)
    status = read_status(folder)
    asked = json.loads((folder / "job.json").read_text(encoding="utf-8"))
    mapping_text = (folder / "mapping.yaml").read_text(encoding="utf-8")
    source = folder / f"survey{Path(status.filename).suffix.lower()}"
    status.state, status.label = "running", "reading"
    write_status(folder, status)
    try:
        import yaml

        mapping, declared = None, None
        if mapping_text.strip():
            raw = yaml.safe_load(mapping_text)
            mapping = Mapping.from_dict(raw, source=f"{status.filename} mapping")
            declared = (raw.get("design") or {}).get("lonely_psu")
        # The form's rule, else the mapping's, else "adjust": a survey with a stratum of one
        # PSU (common in small domains) still gets its table, as R's users usually choose.
        rule = asked["lonely_psu"] or declared or DEFAULT_LONELY_PSU

        def progress(step: int, steps: int, label: str) -> None:
            status.step, status.steps, status.label = step, steps, label
            write_status(folder, status)

        def compute(frame: Any) -> Any:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # fragile cells are flagged in the table
                return compute_indicators(
                    frame,
                    codes=asked["codes"],
                    mapping=mapping,
                    progress=progress,
                    lonely_psu=rule,  # type: ignore[arg-type]  # checked by the form and mapping
                )

        spark = SparkTarget(asked.get("spark_master") or "", asked.get("spark_min_rows") or 0)
        rows = survey_size(source).rows if spark.master else 0
        if spark.takes(rows):
            status.rows = rows
            table = run_on_spark(
                folder, source, spark.master, mapping, compute, lambda text: progress(0, 0, text)
            )
        else:
            frame = read_survey(source)
            if mapping is not None:
                frame = apply_mapping(frame, mapping, value_labels=read_value_labels(source))
            status.rows = frame.height
            table = compute(frame)
            del frame
        tmp = folder / "result.tmp.parquet"
        table.to_polars().write_parquet(tmp)
        os.replace(tmp, folder / "result.parquet")
        status.state, status.label = "done", "done"
    except SocialcoverError as exc:
        status.state, status.error = "failed", exc.to_dict()
        if exc.code == "survey.lonely-psu":
            # In the words of the form, not of the Python API.
            status.error["hint"] = (
                'Choose another rule under "Strata with a single PSU" (adjust is the usual '
                "choice), or set design: lonely_psu in the mapping."
            )
    except MemoryError:
        raise  # the worker ends; the server names the memory limit
    except Exception as exc:  # a job must always end with a status the user can read
        status.state = "failed"
        status.error = {
            "code": "survey.job-failed",
            "message": f"The indicator table could not be computed: {type(exc).__name__}.",
            "hint": "Check the file and the mapping; if they are right, report the job id.",
        }
    status.finished = time.time()
    write_status(folder, status)


REPORT_STEPS = 6  # the five steps of build_edition, then writing the file


class ReportJobs(JobRegistry):
    """Report builds: an edition computed and written in a worker process, with progress.

    The job's folder holds ``edition.json`` (what was asked), then the report
    (``report.pdf`` or ``report.html``) and its ``report-charts/`` folder.
    """

    kind = "report"
    home = "/report"
    again = "Start the report again."
    ways = "Build a regional edition, or HTML rather than PDF, or ask for a larger limit."
    variables = ("SOCIALCOVER_REPORT_JOB_MEMORY_MB", "SOCIALCOVER_REPORT_JOB_SECONDS")
    failed = "The worker process building the report stopped unexpectedly"

    def create(self, owner_id: int, filename: str) -> tuple[JobStatus, Path]:
        """A new report job for ``owner_id``, writing ``filename`` (report.pdf or .html)."""
        from socialcover.report import check_output

        self.root.mkdir(parents=True, exist_ok=True)
        check_output(self.root / filename)  # refuses another suffix before a folder is made
        job_id = secrets.token_hex(8)
        folder = self._dir(owner_id, job_id)
        folder.mkdir(parents=True)
        status = JobStatus(id=job_id, owner_id=owner_id, filename=filename, steps=REPORT_STEPS)
        self._write(status)
        return status, folder

    def report_file(self, owner_id: int, job_id: str, name: str) -> Path:
        """A file of a finished report job: the report, or one of its chart files."""
        status = self.get(owner_id, job_id)
        folder = self._dir(owner_id, job_id).resolve()
        path = (folder / name).resolve()
        if status.state != "done" or folder not in path.parents or not path.is_file():
            raise NotFoundError(
                f"Report job {job_id} has no file {name!r}.",
                code="report.file-not-found",
                hint="Wait for the job to finish; its page links to its files.",
            )
        return path

    def submit_report(
        self, status: JobStatus, edition: Any, lang: str, database_url: str | None
    ) -> None:
        """Build ``edition`` in ``lang`` in a worker process (supervised from the pool)."""
        folder = self._dir(status.owner_id, status.id)
        (folder / "edition.json").write_text(
            json.dumps({**asdict(edition), "lang": lang}, indent=1), encoding="utf-8"
        )
        self.pool.submit(self._supervise, status, run_report_job, database_url or "")


def run_report_job(folder_name: str, database_url: str) -> None:
    """Build a report job's edition and write the report (in its worker process).

    Reads ``edition.json`` and ``status.json`` from the job's folder, the approved observations
    from ``database_url`` (the store's default when empty); writes progress to ``status.json``
    and the report with its chart files beside it. A ``MemoryError`` is let through, as in
    :func:`run_survey_job`.
    """
    from socialcover.report import Edition, build_edition, write_report
    from socialcover.store import session_scope

    folder = Path(folder_name)
    status = read_status(folder)
    asked = json.loads((folder / "edition.json").read_text(encoding="utf-8"))
    lang = asked.pop("lang")
    status.state, status.label = "running", "Reading the approved observations"
    write_status(folder, status)

    def progress(step: str, done: int, total: int) -> None:
        status.step, status.label = done, step
        write_status(folder, status)

    try:
        edition = Edition(**asked)
        with session_scope(url=database_url or None, write=False) as session:
            data = build_edition(edition, session=session, progress_to=progress)
        progress(f"Writing {status.filename}", REPORT_STEPS - 1, REPORT_STEPS)
        write_report(data, lang, folder / status.filename)
        status.state, status.label, status.step = "done", "done", REPORT_STEPS
    except SocialcoverError as exc:
        status.state, status.error = "failed", exc.to_dict()
    except MemoryError:
        raise  # the worker ends; the server names the memory limit
    except Exception as exc:  # a job must always end with a status the user can read
        status.state = "failed"
        status.error = {
            "code": "report.job-failed",
            "message": f"The report could not be built: {type(exc).__name__}.",
            "hint": "Try again; if it fails again, report the job id.",
        }
    status.finished = time.time()
    write_status(folder, status)
