"""Helpers of the survey-engine tests: R's api/nhanes fixtures, running R, comparing with R."""

from __future__ import annotations

import math
import shutil
import subprocess
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from socialcover.survey import Design, Estimate, ReplicateDesign, Sample

GOLDEN = Path(__file__).parent / "golden"
DATA = GOLDEN / "data"


def read_fixture(name: str) -> pl.DataFrame:
    """One of apisrs, apistrat, apiclus1, apiclus2, nhanes (exported by export_data.R).

    ``nhanes_pairs`` is nhanes restricted to the strata with two PSUs (for BRR), as parity.R
    makes it.
    """
    if name == "nhanes_pairs":
        nh = read_fixture("nhanes")
        npsu = nh.group_by("SDMVSTRA").agg(pl.col("SDMVPSU").n_unique().alias("k"))
        keep = npsu.filter(pl.col("k") == 2)["SDMVSTRA"]
        return nh.filter(pl.col("SDMVSTRA").is_in(keep.implode()))
    return pl.read_csv(DATA / f"{name}.csv", infer_schema_length=None, null_values=[""])


def rscript() -> str:
    """Path of Rscript with the survey package, or skip the test saying why."""
    exe = shutil.which("Rscript")
    if exe is None:
        pytest.skip("Rscript is not installed (apt install r-cran-survey) - R oracle skipped")
    ok = subprocess.run(
        [exe, "-e", "suppressMessages(library(survey)); suppressMessages(library(jsonlite))"],
        capture_output=True,
        check=False,
    )
    if ok.returncode:
        pytest.skip(
            "R packages survey/jsonlite missing (apt install r-cran-survey r-cran-jsonlite)"
        )
    return exe


def run_r(script: Path, *args: Any, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run an R script live and fail with its stderr if it fails."""
    exe = rscript()
    out = subprocess.run(
        [exe, str(script), *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )
    if out.returncode:
        raise AssertionError(f"{script.name} failed:\n{out.stderr[-3000:]}")
    return out


RTOL = 1e-9


def design_of(spec: dict[str, Any]) -> Design:
    def tup(v: Any) -> tuple[str, ...]:
        if v is None:
            return ()
        return (v,) if isinstance(v, str) else tuple(v)

    rep = spec.get("replicate")
    if rep and rep.get("columns"):
        return ReplicateDesign.from_columns(  # type: ignore[return-value]
            spec.get("weights"),
            rep["columns"],
            type=rep["type"],
            scale=rep.get("scale"),
            rscales=rep.get("rscales"),
            rho=rep.get("rho"),
            mse=bool(rep.get("mse", False)),
        )
    base = Design(
        weights=spec.get("weights"),
        strata=spec.get("strata"),
        psu=tup(spec.get("psu")) or None,
        fpc=tup(spec.get("fpc")) or None,
        nest=bool(spec.get("nest", False)),
        lonely_psu=spec.get("lonely_psu") or "fail",
    )
    if rep:
        return ReplicateDesign.from_design(  # type: ignore[return-value]
            base, rep["type"], rho=rep.get("rho"), mse=bool(rep.get("mse", False))
        )
    return base


def estimate_case(
    case: dict[str, Any],
    data: pl.DataFrame,
    backend: str | None = None,
    sample: Sample | None = None,
) -> Estimate:
    declared = case.get("declared") or case.get("by_declared")
    if declared:
        col = case["variable"] if case.get("declared") else case["by"]
        data = data.with_columns(pl.col(col).cast(pl.Enum(declared)))
    s = sample or Sample(data, design_of(case["design"]), backend=backend)
    ps = case["design"].get("poststratify")
    if ps:
        s = s.poststratify(ps["by"], ps["totals"])
    if case["design"].get("rake"):
        s = s.rake(case["design"]["rake"])
    stat = case["stat"]
    kw: dict[str, Any] = {"where": case.get("where"), "na_rm": bool(case.get("na_rm", False))}
    if stat == "difference":
        levels = tuple(case["levels"])
        return s.difference(case["variable"], by=case["by"], levels=levels, **kw)  # type: ignore[arg-type]
    kw["by"] = case.get("by")
    if stat == "mean":
        return s.mean(case["variable"], **kw)
    if stat == "total":
        return s.total(case["variable"], **kw)
    if stat == "ratio":
        return s.ratio(case["variable"], case["denominator"], **kw)
    if stat == "shares":
        return s.shares(case["variable"], **kw)
    if stat == "proportion":
        return s.proportion(case["variable"], method=case["method"], **kw)
    if stat == "quantile":
        return s.quantile(
            case["variable"],
            case["probs"] if isinstance(case["probs"], list) else [case["probs"]],
            qrule=case["qrule"],
            interval_type=case["interval_type"],
            **kw,
        )
    raise ValueError(stat)


def close(a: Any, b: Any, rtol: float = RTOL, atol: float = 0.0) -> bool:
    if isinstance(b, str):  # R's Inf is written "inf" in the golden JSON
        b = float(b)
    if a is None or b is None:
        return a is None and b is None
    if a == b:
        return True
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return bool(abs(a - b) <= max(rtol * max(abs(a), abs(b)), atol))


def compare(
    case: dict[str, Any],
    est: Estimate,
    fields: tuple[str, ...] = ("estimate", "se", "deff", "df", "ci_low", "ci_high"),
) -> list[str]:
    """Differences between R's results and ours, as messages (empty when equal)."""
    rows = est.to_dicts()
    quant = case["stat"] == "quantile"
    share = case["stat"] == "shares"

    def qkey(r: dict[str, Any]) -> str:
        if share:
            return f"={r['level']}"
        return f"@{float(r['quantile']):g}" if quant else ""

    if case.get("by") and case["stat"] != "difference":
        by = case["by"]
        ours = {str(r[by]) + qkey(r): r for r in rows}
    else:
        ours = {qkey(r): r for r in rows}
    problems = []
    for res in case["results"]:
        key = (
            ""
            if "domain" not in res or res["domain"] is None or case["stat"] == "difference"
            else str(res["domain"])
        ) + qkey(res)
        if key not in ours:
            problems.append(f"{case['id']}: domain {key!r} missing; have {list(ours)}")
            continue
        mine = ours[key]
        for f in fields:
            if f not in res:
                continue
            # R's SE of a total is 0 up to rounding when a domain is one PSU of a stratum
            # SEs that are 0 in exact arithmetic (one-row domains) are rounding noise in R and
            # here: compare them on the scale of the estimate; design effects near 0 likewise.
            se_tol = 1e-9
            atol = {"se": se_tol * abs(mine["estimate"] or 1), "deff": 1e-12}.get(f, 0.0)
            rtol = RTOL
            if case["design"].get("replicate") and case.get("method") == "logit":
                # R's estimate is expit of svyglm's IRLS fit (converged to ~1e-9), not p itself
                rtol = 1e-8
            if case.get("method") == "likelihood" and f in ("ci_low", "ci_high"):
                # R interpolates a spline through a 10-point profile; we solve exactly
                rtol = 5e-4
            if not close(mine.get(f), res[f], rtol=rtol, atol=atol):
                problems.append(f"{case['id']}[{key}].{f}: ours {mine.get(f)!r} R {res[f]!r}")
    return problems
