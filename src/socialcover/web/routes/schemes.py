"""The scheme page: run an informal-economy scheme on the demo survey or an uploaded one.

A thin adapter over :func:`socialcover.microsim.scheme.run_scheme`: the form gives the scheme
(YAML), the survey (the Demoland demo survey, or an upload with an optional mapping), an
observed enrolment to calibrate take-up to, and the number of Monte Carlo draws. Uploads are
size-capped, kept in a temporary folder for the run only, and private to the request.
"""

from __future__ import annotations

import shutil
import tempfile
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from socialcover.errors import SocialcoverError
from socialcover.web.access import Need
from socialcover.web.accounts import Principal
from socialcover.web.limits import save_upload
from socialcover.web.render import render

router = APIRouter(include_in_schema=False)
DEMO_PERSONS = 20_000
DEMO_SEED = 1


def demo_scheme() -> str:
    """The Demoland example scheme (docs/examples/microsim/scheme_own_account.yaml)."""
    path = files("socialcover.microsim").joinpath("examples/scheme_demoland.yaml")
    return path.read_text(encoding="utf-8")


def _run(
    scheme: str, data: Any, mapping: str | None, enrolment: float | None, draws: int
) -> dict[str, Any]:
    from socialcover.microsim.scheme import SHARE_INDICATORS, run_scheme
    from socialcover.survey.io import Mapping

    if data is None:
        from socialcover.testing import synthetic_survey

        data = synthetic_survey(DEMO_PERSONS, seed=DEMO_SEED)
    parsed = None
    if mapping:
        import yaml

        try:
            raw = yaml.safe_load(mapping)
        except yaml.YAMLError as exc:
            raise _problem(
                "web.bad-mapping",
                f"The mapping is not valid YAML: {exc}",
                "Check the indentation and the colons; see docs/survey.md for the shape.",
            ) from None
        parsed = Mapping.from_dict(raw or {}, source="<mapping>")
    result = run_scheme(None, data, text=scheme, mapping=parsed, enrolment=enrolment, draws=draws)
    rows = [
        {**r, "share": r["indicator"] in SHARE_INDICATORS}
        for r in result.table.iter_rows(named=True)
    ]
    variants = list(dict.fromkeys(r["variant"] for r in rows))
    return {
        "variants": [(v, [r for r in rows if r["variant"] == v]) for v in variants],
        "calibration": result.calibration.to_dict() if result.calibration else None,
    }


@router.get("/schemes", response_class=HTMLResponse)
async def schemes_page(
    request: Request, user: Principal = Depends(Need("survey.upload"))
) -> HTMLResponse:
    """The form, with the Demoland example scheme filled in."""
    ctx = {"scheme": demo_scheme(), "source": "demo", "draws": 50, "enrolment": ""}
    return render(request, "schemes.html", ctx)


@router.post("/schemes", response_class=HTMLResponse)
async def run_scheme_page(
    request: Request,
    scheme: str = Form(..., max_length=100_000),
    source: Literal["demo", "upload"] = Form("demo"),
    file: UploadFile | None = File(None),
    mapping: str = Form("", max_length=100_000),
    enrolment: str = Form("", max_length=40),
    draws: int = Form(50, ge=0, le=500),
    user: Principal = Depends(Need("survey.upload")),
) -> HTMLResponse:
    """Run the scheme and show enrolment, cost and coverage by variant."""
    ctx: dict[str, Any] = {
        "scheme": scheme,
        "source": source,
        "draws": draws,
        "enrolment": enrolment,
        "mapping": mapping,
    }
    folder = Path(tempfile.mkdtemp(prefix="scheme-"))
    try:
        data: Any = None
        if source == "upload":
            if file is None or not file.filename:
                raise _problem(
                    "web.no-file",
                    "No survey file was uploaded.",
                    "Choose a file, or the demo survey.",
                )
            target = folder / f"survey{Path(file.filename).suffix.lower()}"
            limit = request.app.state.settings.max_upload_bytes
            await save_upload(
                file, target, limit, "Upload a smaller extract (only the variables you map)."
            )
            data = target
        target_members = _enrolment(enrolment)
        ctx["result"] = await run_in_threadpool(
            _run, scheme, data, mapping.strip() or None, target_members, draws
        )
    except SocialcoverError as exc:
        ctx["problem"] = exc.to_dict()
    finally:
        shutil.rmtree(folder, ignore_errors=True)  # the upload is kept for the run only
    return render(request, "schemes.html", ctx)


def _problem(code: str, message: str, hint: str) -> SocialcoverError:
    from socialcover.errors import InputError

    return InputError(message, code=code, hint=hint)


def _enrolment(text: str) -> float | None:
    text = text.strip().replace(",", "").replace(" ", "")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise _problem(
            "web.bad-enrolment",
            f"The enrolment {text!r} is not a number.",
            "Give the number of members, e.g. 150000, or leave it empty.",
        ) from None
