"""``data fetch``: build the reference pack from the official publishers, then install it.

Downloads (with timeouts, retries and SHA-256 checksums, see :mod:`._http`) the UN World
Population Prospects 2024 CSV files (:mod:`.wpp`), World Bank WDI and PIP series from the
Indicators API (:mod:`.worldbank`), ILOSTAT's SDG 1.3.1 bulk file (:mod:`.ilostat`), the IMF
WEO database file (:mod:`.weo`) and the UN SDG API's 1.3.1 series (:mod:`.unsd`); writes a pack
folder laid out like ``../shared/data`` with a ``provenance.json`` (publisher, edition,
licence, attribution per dataset) and a ``fetch_log.json`` (URL, SHA-256, size, time of every
download); and installs it through :func:`socialcover.data.pack.install_pack`, the same
validated, atomic import as ``data import``. Base URLs are configurable (:class:`FetchSources`),
which is how the tests point the whole chain at a local server.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from socialcover.data._packfile import write_dataset
from socialcover.data.catalog import (
    ILO_ATTRIBUTION,
    IMF_ATTRIBUTION,
    ISO3_ALIASES,
    UNSD_ATTRIBUTION,
    WB_ATTRIBUTION,
    WPP_ATTRIBUTION,
)
from socialcover.data.fetch import ilostat, unsd, weo, worldbank, wpp
from socialcover.data.fetch._http import Download, Downloader, FetchError
from socialcover.data.pack import ImportReport, ProgressCallback, install_pack

__all__ = ["WDI_BULK_URL", "FetchError", "FetchReport", "FetchSources", "fetch_pack"]

WPP_BASE = "https://population.un.org/wpp/assets/Excel%20Files/1_Indicator%20(Standard)/CSV_FILES"
WB_BASE = "https://api.worldbank.org/v2"
ILOSTAT_BASE = "https://rplumber.ilo.org/data/indicator/"
WEO_URL = (
    "https://www.imf.org/-/media/Files/Publications/WEO/WEO-Database/2025/October/"
    "WEOOct2025all.ashx"
)
SDG_BASE = "https://unstats.un.org/sdgapi/v1/sdg/Series/Data"
WDI_BULK_URL = "https://databank.worldbank.org/data/download/WDI_CSV.zip"


@dataclass(frozen=True)
class FetchSources:
    """Where each publisher's files are fetched from (change them for a mirror or a test)."""

    wpp: str = WPP_BASE
    worldbank: str = WB_BASE
    ilostat: str = ILOSTAT_BASE
    weo: str = WEO_URL
    sdg: str = SDG_BASE
    wdi_years: tuple[int, int] = (1960, 2025)
    #: The WDI bulk CSV zip (e.g. WDI_BULK_URL); when set, it replaces the 43 API queries.
    wb_bulk: str | None = None


@dataclass(frozen=True)
class FetchReport:
    """What a fetch did: the pack folder built, the downloads, and the import report."""

    folder: Path
    downloads: tuple[Download, ...]
    installed: ImportReport | None
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def message(self) -> str:
        """One sentence for the CLI."""
        done = f"Fetched {len(self.downloads)} files from the publishers into {self.folder}"
        return f"{done}; {self.installed.message}" if self.installed else done + "."


def _provenance(today: str, sources: FetchSources) -> dict[str, dict[str, str]]:
    wpp_about = {
        "source": f"UN DESA Population Division, World Population Prospects 2024, CSV files "
        f"({sources.wpp})",
        "edition": "WPP 2024",
        "licence": "CC BY 3.0 IGO",
        "attribution": WPP_ATTRIBUTION,
    }
    wb_about = {
        "source": f"World Bank, World Development Indicators API ({sources.worldbank})",
        "edition": f"WDI API, fetched {today}",
        "licence": "CC BY 4.0",
        "attribution": WB_ATTRIBUTION,
    }
    out = {d: wpp_about for d in ("wpp_locations", "wpp_location_groups")}
    out.update({d: wpp_about for d in ("wpp_population_age5", "wpp_population_total")})
    out.update({d: wpp_about for d in ("wpp_indicators", "wpp_mortality", "wpp_fertility")})
    out.update({d: wb_about for d in ("wb_wdi", "wb_wdi_indicators", "wb_poverty")})
    out["imf_weo"] = {
        "source": f"IMF, World Economic Outlook database ({sources.weo})",
        "edition": f"WEO file {sources.weo.rsplit('/', 1)[-1]}, fetched {today}",
        "licence": "IMF Copyright and Usage terms (attribute; do not redistribute)",
        "attribution": IMF_ATTRIBUTION
        if "Oct2025" in sources.weo
        else "Source: IMF, World Economic Outlook Database.",
    }
    ilo_about = {
        "source": f"ILO, ILOSTAT bulk download {ilostat.INDICATOR} ({sources.ilostat})",
        "edition": f"ILOSTAT, fetched {today}",
        "licence": "ILOSTAT terms (reuse with attribution)",
        "attribution": ILO_ATTRIBUTION,
    }
    out["ilo_sdg131_country"] = ilo_about
    out["ilo_sdg131_global"] = ilo_about
    out["unsd_sdg131"] = {
        "source": f"UN Statistics Division, SDG Global Database API ({sources.sdg})",
        "edition": f"SDG API, fetched {today}",
        "licence": "UN SDG data free with attribution",
        "attribution": UNSD_ATTRIBUTION.replace(", 2020.", "."),
    }
    return out


@dataclass
class _Run:
    sources: FetchSources
    downloader: Downloader
    progress: ProgressCallback | None
    total: int
    done: int = 0
    downloads: list[Download] = field(default_factory=list)

    def get(self, name: str, url: str, filename: str | None = None) -> Path:
        if self.progress:
            self.progress(f"downloading {name}", self.done, self.total)
        d = self.downloader.get(name, url, filename)
        self.downloads.append(d)
        self.done += 1
        return d.path

    def paged(self, name: str, url: str, pages: Callable[[Path], int], param: str) -> list[Path]:
        first = self.get(name, f"{url}&{param}=1", f"{name}-1.json")
        out = [first]
        for page in range(2, pages(first) + 1):
            self.total += 1
            out.append(self.get(f"{name} p{page}", f"{url}&{param}={page}", f"{name}-{page}.json"))
        return out


def fetch_pack(
    out: Path | None = None,
    *,
    sources: FetchSources | None = None,
    timeout: float = 60.0,
    retries: int = 3,
    backoff: float = 1.0,
    pins: Mapping[str, str] | None = None,
    progress: ProgressCallback | None = None,
    install: bool = True,
) -> FetchReport:
    """Download the official files, build a pack folder, and install it.

    Parameters
    ----------
    out
        Folder for the pack (laid out like ``../shared/data``); a temporary folder if None
        (removed after the install).
    sources
        Base URLs of the publishers (defaults: the official ones, see docs/data-pack.md).
    timeout, retries, backoff
        Per-request timeout in seconds, further attempts on a transport error or 5xx/429,
        and the first back-off in seconds (doubled each retry).
    pins
        Expected SHA-256 per download name (e.g. ``{"wpp population_medium": "..."}``).
    progress
        ``(description, done, total)`` callback for a progress bar.
    install
        Install the pack once built (the default); False only builds the folder.

    Raises
    ------
    FetchError
        A download failed after its retries, or a pinned checksum did not match.
    DataPackError
        The files downloaded do not make a valid pack (nothing is installed).
    """
    sources = sources or FetchSources()
    scratch = tempfile.TemporaryDirectory(prefix="socialcover-fetch-")
    folder = Path(out) if out is not None else Path(scratch.name) / "pack"
    folder.mkdir(parents=True, exist_ok=True)
    downloads_dir = Path(scratch.name) / "downloads"
    downloader = Downloader(
        downloads_dir, timeout=timeout, retries=retries, backoff=backoff, pins=dict(pins or {})
    )
    n_wb = len(worldbank.WDI_INDICATORS) + len(worldbank.POVERTY_COLUMNS)
    n_wb = 1 if sources.wb_bulk else n_wb + 1
    run = _Run(sources, downloader, progress, total=n_wb + len(wpp.FILES) + 2 + 12 + 2)
    try:
        warnings = _build(run, folder)
        report: ImportReport | None = None
        if install:
            if progress:
                progress("installing", run.done, run.total)
            label = (
                str(folder)
                if out is not None
                else f"data fetch from the publishers ({len(run.downloads)} files; "
                "see source-fetch_log.json)"
            )
            report = install_pack(folder, progress=None, origin="fetch", source_label=label)
        if progress:
            progress("done", run.total, run.total)
        return FetchReport(folder, tuple(run.downloads), report, tuple(warnings))
    finally:
        downloader.close()
        if out is None:
            shutil.rmtree(folder, ignore_errors=True)
        scratch.cleanup()


def _build(run: _Run, folder: Path) -> list[str]:
    s = run.sources
    warnings: list[str] = []
    if s.wb_bulk:
        bulk_zip = run.get("wb bulk", s.wb_bulk, "wdi.zip")
        wb_rows, meta = worldbank.read_bulk_zip(bulk_zip, run.downloader.folder)
        wb_rows = wb_rows.filter(wb_rows["year"].is_between(*s.wdi_years))
    else:
        meta_pages = run.paged(
            "wb countries", f"{s.worldbank}/country?format=json&per_page=500",
            worldbank.page_count, "page",
        )  # fmt: skip
        meta = worldbank.countries(meta_pages)
    income = {code: m["income"] for code, m in meta.items() if not m["aggregate"]}
    files = {k: run.get(f"wpp {k}", f"{s.wpp}/{v}", v) for k, v in wpp.FILES.items()}
    locations, groups = wpp.locations(files["indicators"], income)
    kept = set(locations["loc_code"].to_list())
    known = set(locations["iso3"].drop_nulls().to_list()) | set(ISO3_ALIASES)
    totals, indicators = wpp.indicators_and_totals(files["indicators"])
    age5 = wpp.population_age5(files["population_medium"], files["population_other"])
    fert = wpp.fertility(files["fertility"])
    mort = wpp.mortality([files["life_table_past"], files["life_table_future"]])
    tables = {
        "wpp_locations": locations,
        "wpp_location_groups": groups,
        "wpp_population_age5": age5,
        "wpp_population_total": totals,
        "wpp_indicators": indicators,
        "wpp_mortality": mort,
        "wpp_fertility": fert,
    }
    for name, frame in tables.items():
        if "loc_code" in frame.columns and name != "wpp_locations":
            tables[name] = frame.filter(frame["loc_code"].is_in(sorted(kept)))
    if not s.wb_bulk:
        first, last = s.wdi_years
        wb_paths: list[Path] = []
        for code in (*worldbank.WDI_INDICATORS, *worldbank.POVERTY_COLUMNS):
            url = (
                f"{s.worldbank}/country/all/indicator/{code}?format=json&per_page=20000"
                f"&date={first}:{last}"
            )
            wb_paths += run.paged(f"wb {code}", url, worldbank.page_count, "page")
        wb_rows = worldbank.indicator_rows(wb_paths)
    aggregates = {c for c, m in meta.items() if m["aggregate"]}
    unknown = sorted(set(wb_rows["wb_code"].unique().to_list()) - known - aggregates)
    if unknown:
        warnings.append(
            f"World Bank economies not in WPP, kept without iso3: {', '.join(unknown)}."
        )
    tables["wb_wdi"] = worldbank.wdi(wb_rows, meta, known)
    tables["wb_wdi_indicators"] = worldbank.wdi_indicators(wb_rows)
    tables["wb_poverty"] = worldbank.poverty(wb_rows, meta, known)
    bulk = ilostat.read_bulk(
        run.get("ilostat", f"{s.ilostat}?id={ilostat.INDICATOR}&format=.csv.gz", "ilostat.csv.gz")
    )
    tables["ilo_sdg131_country"] = ilostat.country_latest(bulk, known)
    tables["ilo_sdg131_global"] = ilostat.global_series(bulk)
    tables["imf_weo"] = weo.read_weo(run.get("imf weo", s.weo, "weo.tsv"), known)
    iso3_by_m49 = {
        int(r["loc_code"]): str(r["iso3"])
        for r in locations.filter(locations["iso3"].is_not_null()).iter_rows(named=True)
    }
    sdg_paths: list[Path] = []
    for series in unsd.SERIES:
        sdg_paths += run.paged(
            f"sdg {series}", f"{s.sdg}?seriesCode={series}&pageSize=5000", unsd.page_count, "page"
        )
    tables["unsd_sdg131"] = unsd.read_series(sdg_paths, iso3_by_m49)
    if run.progress:
        run.progress("writing the pack", run.done, run.total)
    for dataset_id, frame in tables.items():
        write_dataset(frame, folder, dataset_id)
    today = datetime.now(UTC).date().isoformat()
    (folder / "provenance.json").write_text(
        json.dumps(_provenance(today, s), indent=2) + "\n", encoding="utf-8"
    )
    (folder / "fetch_log.json").write_text(
        json.dumps({"downloads": [d.to_dict() for d in run.downloads], "warnings": warnings},
                   indent=2) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    run.done += 1
    return warnings
