"""`data fetch` against a local HTTP server serving tiny files in the publishers' own layouts.

The files are written here in the official formats (WPP 2024 CSV columns, World Bank API v2
JSON pages, the ILOSTAT bulk csv.gz, the IMF WEO tab-separated UTF-16 file, UN SDG API JSON),
filled with the numbers of the demo country so the round trip can be checked: what `fetch`
builds and installs must equal the demo pack the numbers came from. No test touches the
internet: the server listens on 127.0.0.1 on a random port.
"""

from __future__ import annotations

import gzip
import io
import json
import threading
import zipfile
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import polars as pl
import pytest
from typer.testing import CliRunner

from socialcover.cli.app import app
from socialcover.data._home import pack_root
from socialcover.data._store import scan
from socialcover.data.catalog import DATASETS
from socialcover.data.demo import build_demo_pack, install_demo
from socialcover.data.fetch import FetchError, FetchSources, fetch_pack
from socialcover.data.fetch.worldbank import POVERTY_COLUMNS

WPP_HEAD = (
    "SortOrder,LocID,Notes,ISO3_code,ISO2_code,SDMX_code,LocTypeID,LocTypeName,ParentID,"
    "Location,VarID,Variant,Time"
)
IND_COLS = [
    "TPopulation1Jan",
    "TPopulation1July",
    "TPopulationMale1July",
    "TPopulationFemale1July",
    "PopDensity",
    "PopSexRatio",
    "MedianAgePop",
    "NatChange",
    "NatChangeRT",
    "PopChange",
    "PopGrowthRate",
    "DoublingTime",
    "Births",
    "Births1519",
    "CBR",
    "TFR",
    "NRR",
    "MAC",
    "SRB",
    "Deaths",
    "DeathsMale",
    "DeathsFemale",
    "CDR",
    "LEx",
    "LExMale",
    "LExFemale",
    "LE15",
    "LE15Male",
    "LE15Female",
    "LE65",
    "LE65Male",
    "LE65Female",
    "LE80",
    "LE80Male",
    "LE80Female",
    "InfantDeaths",
    "IMR",
    "LBsurvivingAge1",
    "Under5Deaths",
    "Q5",
    "Q0040",
    "Q0040Male",
    "Q0040Female",
    "Q0060",
    "Q0060Male",
    "Q0060Female",
    "Q1550",
    "Q1550Male",
    "Q1550Female",
    "Q1560",
    "Q1560Male",
    "Q1560Female",
    "NetMigrations",
    "CNMR",
]
ILO_HEAD = (
    "ref_area,source,indicator,sex,classif1,time,obs_value,obs_status,note_classif,"
    "note_indicator,note_source"
)
WEO_HEAD = [
    "WEO Country Code", "ISO", "WEO Subject Code", "Country", "Subject Descriptor",
    "Subject Notes", "Units", "Scale", "Country/Series-specific Notes",
    *[str(y) for y in range(1980, 2031)], "Estimates Start After",
]  # fmt: skip
#: (LocID, ISO3, LocTypeID, LocTypeName, ParentID, name): the demo country and its groups.
LOCS = [
    (900, "", 1, "World", 0, "World"),
    (903, "", 2, "Geographic region", 900, "Africa"),
    (910, "", 3, "Subregion", 903, "Eastern Africa"),
    (1834, "", 12, "SDG region", 900, "Sub-Saharan Africa"),
    (1501, "", 25, "Income group", 1517, "Lower-middle-income countries"),
    (9990, "XDM", 4, "Country/Area", 910, "Demoland"),
]


def _gz(text: str) -> bytes:
    return gzip.compress(text.encode("utf-8"), mtime=0)


def _read(pack: Path, dataset_id: str) -> pl.DataFrame:
    spec = next(s for s in DATASETS if s.id == dataset_id)
    return pl.read_csv(
        pack / spec.path, schema_overrides=spec.columns, null_values=[""], infer_schema_length=0
    )


def _wpp_prefix(loc: tuple[int, str, int, str, int, str], time: int, variant: str) -> list[str]:
    code, iso3, type_id, type_name, parent, name = loc
    var_id = {"Medium": 2, "High": 3, "Low": 4}.get(variant, 5)
    iso2 = "XD" if iso3 else ""
    return [str(code), str(code), "", iso3, iso2, "", str(type_id), type_name, str(parent),
            name, str(var_id), variant, str(time)]  # fmt: skip


def _line(cells: list[str]) -> str:
    return ",".join(f'"{c}"' if "," in c else c for c in cells) + "\n"


def official_files(demo: Path) -> dict[str, bytes]:
    """The demo country's numbers in the publishers' layouts, keyed by file name."""
    files: dict[str, bytes] = {}
    age5 = _read(demo, "wpp_population_age5").filter(pl.col("loc_code") == 9990)
    head = WPP_HEAD + ",MidPeriod,AgeGrp,AgeGrpStart,AgeGrpSpan,PopMale,PopFemale,PopTotal\n"
    medium, other = [head], [head]
    for loc in LOCS:
        for (year, start, label), grp in age5.group_by("year", "age_start", "age_group"):
            sexes = {r["sex"]: r for r in grp.iter_rows(named=True)}
            m, f = sexes["male"], sexes["female"]
            span = "-1" if label == "100+" else "5"
            base = [f"{year}.5", str(label), str(start), span]
            for variant, col, rows in (
                ("Medium", "population", medium),
                ("Low", "population_low", other),
                ("High", "population_high", other),
            ):
                if m[col] is None:
                    continue
                vals = [f"{m[col] / 1000:.3f}", f"{f[col] / 1000:.3f}",
                        f"{(m[col] + f[col]) / 1000:.3f}"]  # fmt: skip
                rows.append(_line(_wpp_prefix(loc, int(year), variant) + base + vals))  # type: ignore[arg-type]
        # A year the pack does not keep, and a variant fetch must ignore.
        medium.append(_line([*_wpp_prefix(loc, 2021, "Medium"), "2021.5", "0-4", "0", "5",
                             "1.000", "1.000", "2.000"]))  # fmt: skip
        other.append(_line([*_wpp_prefix(loc, 2050, "Constant fertility"), "2050.5", "0-4",
                            "0", "5", "9.000", "9.000", "18.000"]))  # fmt: skip
    files["WPP2024_PopulationByAge5GroupSex_Medium.csv.gz"] = _gz("".join(medium))
    files["WPP2024_PopulationByAge5GroupSex_OtherVariants.csv.gz"] = _gz("".join(other))

    total = _read(demo, "wpp_population_total").filter(pl.col("loc_code") == 9990)
    ind = _read(demo, "wpp_indicators").filter(pl.col("loc_code") == 9990)
    both = total.join(ind.drop("variant"), on=["loc_code", "iso3", "year"])
    rows = ["\ufeff" + WPP_HEAD + "," + ",".join(IND_COLS) + "\n"]
    for loc in LOCS:
        for r in both.iter_rows(named=True):
            values = dict.fromkeys(IND_COLS, "")
            values.update(
                TPopulation1Jan=f"{r['pop_jan1'] / 1000:.3f}",
                TPopulation1July=f"{r['pop_jul1'] / 1000:.3f}",
                TPopulationMale1July=f"{r['pop_male_jul1'] / 1000:.3f}",
                TPopulationFemale1July=f"{r['pop_female_jul1'] / 1000:.3f}",
                Births=f"{r['births'] / 1000:.3f}",
                Deaths=f"{r['deaths'] / 1000:.3f}",
                PopChange=f"{r['pop_change'] / 1000:.3f}",
                CBR=str(r["cbr_per1000"]),
                CDR=str(r["cdr_per1000"]),
                NatChangeRT=str(r["natural_change_rate_per1000"]),
                CNMR=str(r["net_migration_rate_per1000"]),
                PopGrowthRate=str(r["growth_rate_pct"]),
                TFR=str(r["tfr"]),
                LEx=str(r["e0_both"]),
                LExMale=str(r["e0_male"]),
                LExFemale=str(r["e0_female"]),
                SRB=f"{r['sex_ratio_at_birth'] * 100:.1f}",
            )
            rows.append(_line(_wpp_prefix(loc, r["year"], "Medium") + list(values.values())))
    files["WPP2024_Demographic_Indicators_Medium.csv.gz"] = _gz("".join(rows))

    fert = _read(demo, "wpp_fertility").filter(pl.col("loc_code") == 9990)
    rows = [WPP_HEAD + ",MidPeriod,AgeGrp,AgeGrpStart,AgeGrpSpan,ASFR,PASFR,Births\n"]
    for loc in LOCS:
        for r in fert.iter_rows(named=True):
            start = int(r["mother_age_group"].split("-")[0])
            for year in range(r["period_start"], r["period_start"] + 5):
                cells = [f"{year}.5", r["mother_age_group"], str(start), "5",
                         f"{r['asfr'] * 1000:.4f}", str(r["pct_of_tfr"]), ""]  # fmt: skip
                rows.append(_line(_wpp_prefix(loc, year, "Medium") + cells))
        rows.append(_line([*_wpp_prefix(loc, 2000, "Medium"), "2000.5", "10-14", "10", "5",
                           "3.0", "0.1", ""]))  # fmt: skip
    files["WPP2024_Fertility_by_Age5.csv.gz"] = _gz("".join(rows))

    mort = _read(demo, "wpp_mortality").filter(pl.col("loc_code") == 9990)
    lt_head = WPP_HEAD + ",MidPeriod,SexID,Sex,AgeGrp,AgeGrpStart,AgeGrpSpan,mx,qx,px,lx,dx,Lx,"
    lt_head += "Sx,Tx,ex,ax\n"
    past, future = [lt_head], [lt_head]
    sex_names = {"male": ("1", "Male"), "female": ("2", "Female"), "both": ("3", "Total")}
    for loc in LOCS:
        for r in mort.iter_rows(named=True):
            for year in range(r["period_start"], r["period_start"] + 5):
                sid, sname = sex_names[r["sex"]]
                cells = [f"{year}.5", sid, sname, r["age_group"], str(r["age_start"]), "5",
                         repr(r["mx"])] + [""] * 9  # fmt: skip
                target = past if year <= 2023 else future
                target.append(_line(_wpp_prefix(loc, year, "Medium") + cells))
    files["WPP2024_Life_Table_Abridged_Medium_1950-2023.csv.gz"] = _gz("".join(past))
    files["WPP2024_Life_Table_Abridged_Medium_2024-2100.csv.gz"] = _gz("".join(future))

    countries = [
        {"page": 1, "pages": 1, "per_page": "500", "total": 2},
        [
            {"id": "XDM", "iso2Code": "XD", "name": "Demoland",
             "region": {"id": "SSF", "iso2code": "ZG", "value": "Sub-Saharan Africa "},
             "incomeLevel": {"id": "LMC", "iso2code": "XN", "value": "Lower middle income"}},
            {"id": "WLD", "iso2Code": "1W", "name": "World",
             "region": {"id": "NA", "iso2code": "NA", "value": "Aggregates"},
             "incomeLevel": {"id": "NA", "iso2code": "NA", "value": "Aggregates"}},
        ],
    ]  # fmt: skip
    files["wb/country"] = json.dumps(countries).encode()
    wdi = _read(demo, "wb_wdi")
    pov = _read(demo, "wb_poverty")
    for code, column in POVERTY_COLUMNS.items():
        part = pov.select("wb_code", "name", "year", value=pl.col(column)).filter(
            pl.col("value").is_not_null()
        )
        wdi = pl.concat([wdi, part.select(
            iso3=pl.col("wb_code"), wb_code="wb_code", country_name="name",
            is_aggregate=pl.lit(False), year="year", indicator=pl.lit(code),
            indicator_label=pl.lit(code), value="value",
        )])  # fmt: skip
    world = wdi.filter(pl.col("indicator") == "SP.POP.TOTL").with_columns(
        wb_code=pl.lit("WLD"), country_name=pl.lit("World")
    )
    wdi = pl.concat([wdi, world])
    for code, grp in wdi.group_by("indicator"):
        obs = [
            {"indicator": {"id": code[0], "value": r["indicator_label"]},
             "country": {"id": r["wb_code"][:2], "value": r["country_name"]},
             "countryiso3code": r["wb_code"], "date": str(r["year"]), "value": r["value"],
             "unit": "", "obs_status": "", "decimal": 1}
            for r in grp.sort("year", descending=True).iter_rows(named=True)
        ]  # fmt: skip
        pages = [obs[: len(obs) // 2], obs[len(obs) // 2 :]] if code[0] == "SP.POP.TOTL" else [obs]
        for i, page in enumerate(pages, start=1):
            info = {"page": i, "pages": len(pages), "per_page": 20000, "total": len(obs),
                    "sourceid": "2", "lastupdated": "2026-07-01"}  # fmt: skip
            files[f"wb/indicator/{code[0]}/{i}"] = json.dumps([info, page]).encode()

    files["wbbulk"] = _wdi_bulk_zip(wdi)

    ilo_rows = [ILO_HEAD + "\n"]
    for r in _read(demo, "ilo_sdg131_country").iter_rows(named=True):
        ilo_rows.append(
            f"{r['iso3']},XA:1,SDG_0131_SEX_SOC_RT,{r['sex']},{r['contingency']},{r['year']},"
            f"{r['value_pct']},,,,\n"
        )
    # An older value of a non-headline series: the country file keeps only the latest.
    ilo_rows.append("XDM,XA:1,SDG_0131_SEX_SOC_RT,SEX_T,SOC_CONTIG_CHILD,2019,5.5,,,,\n")
    sex_codes = {"both": "SEX_T", "female": "SEX_F", "male": "SEX_M"}
    for r in _read(demo, "ilo_sdg131_global").iter_rows(named=True):
        ilo_rows.append(
            f"X01,XA:1,SDG_0131_SEX_SOC_RT,{sex_codes[r['sex']]},{r['ilo_classif1']},{r['year']},"
            f"{r['coverage_pct']},,,,\n"
        )
    files["ilostat"] = _gz("".join(ilo_rows))

    weo = _read(demo, "imf_weo")
    out = io.StringIO()
    out.write("\t".join(WEO_HEAD) + "\n")
    for (code,), grp in weo.group_by("indicator"):
        values = dict(zip(grp["year"].to_list(), grp["value"].to_list(), strict=True))
        unit = grp["unit"][0]
        # NGDP is published in millions here, to check the rescaling to billions.
        scale = "Millions" if code == "NGDP" else unit.split(" ")[0].capitalize()
        factor = 1000 if code == "NGDP" else 1
        cells = ["999", "XDM", code, "Demoland", grp["indicator_label"][0], "", unit, scale, ""]
        cells += [f"{values[y] * factor:,.3f}" if y in values else "n/a" for y in range(1980, 2031)]
        out.write("\t".join([*cells, "2024"]) + "\n")
    files["weo"] = b"\xff\xfe" + out.getvalue().encode("utf-16-le")

    sdg = _read(demo, "unsd_sdg131")
    sex_dims = {"both": "BOTHSEX", "female": "FEMALE", "male": "MALE"}
    for series in sdg["series"].unique().to_list():
        data = [
            {"goal": ["1"], "target": ["1.3"], "indicator": ["1.3.1"], "series": series,
             "seriesDescription": r["series_description"], "geoAreaCode": str(r["m49_code"]),
             "geoAreaName": r["geo_name"], "timePeriodStart": float(r["year"]),
             "value": str(r["value_pct"]), "valueType": "Float",
             "attributes": {"Nature": r["nature"].split(":")[0], "Units": "PERCENT"},
             "dimensions": {"Sex": sex_dims[r["sex"]], "Reporting Type": "G",
                            "Quantile": "_T" if r["quantile"] == "total"
                            else r["quantile"].upper()}}
            for r in sdg.filter(pl.col("series") == series).iter_rows(named=True)
        ]  # fmt: skip
        files[f"sdg/{series}"] = json.dumps({"totalPages": 1, "data": data}).encode()
    return files


def _wdi_bulk_zip(wdi: pl.DataFrame) -> bytes:
    """The WDI bulk download: WDICSV.csv (wide, one column per year) and WDICountry.csv."""
    years = list(range(1960, 2026))
    head = ["Country Name", "Country Code", "Indicator Name", "Indicator Code", *map(str, years)]
    lines = ["\ufeff" + ",".join(f'"{h}"' for h in head) + ","]  # the file ends rows with ","
    for (code, name, ind), grp in wdi.group_by("wb_code", "country_name", "indicator"):
        values = dict(zip(grp["year"].to_list(), grp["value"].to_list(), strict=True))
        label = grp["indicator_label"][0]
        cells = [f'"{name}"', f'"{code}"', f'"{label}"', f'"{ind}"']
        cells += [repr(values[y]) if y in values else "" for y in years]
        lines.append(",".join(cells) + ",")
    country = (
        '"Country Code","Short Name","Table Name","Long Name","2-alpha code","Currency Unit",'
        '"Special Notes","Region","Income Group"\n'
        '"XDM","Demoland","Demoland","Republic of Demoland","XD","Demo dollar","",'
        '"Sub-Saharan Africa","Lower middle income"\n'
        '"WLD","World","World","World","1W","","","",""\n'
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("WDICSV.csv", "\n".join(lines) + "\n")
        zf.writestr("WDICountry.csv", country)
    return buf.getvalue()


class Server:
    """A local HTTP server routing the publishers' URL shapes to the fixture files."""

    def __init__(self, files: dict[str, bytes]):
        self.files = files
        self.hits: list[str] = []
        self.fail: dict[str, list[int]] = {}  # route -> statuses to answer first
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.hits.append(self.path)
                key = server.route(self.path)
                queued = server.fail.get(key or "", [])
                if queued:
                    self.send_error(queued.pop(0))
                    return
                body = server.files.get(key or "")
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def route(self, raw: str) -> str | None:
        url = urlsplit(raw)
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        parts = url.path.strip("/").split("/")
        if parts[0] == "wpp":
            return parts[-1]
        if parts[0] == "wb" and parts[1:] == ["country"]:
            return "wb/country" if q.get("page", "1") == "1" else None
        if parts[0] == "wb" and "indicator" in parts:
            return f"wb/indicator/{parts[-1]}/{q.get('page', '1')}"
        if parts[0] == "ilostat" and q.get("id") == "SDG_0131_SEX_SOC_RT_A":
            return "ilostat"
        if parts[0] == "wbbulk":
            return "wbbulk"
        if parts[0] == "weo":
            return "weo"
        if parts[0] == "sdg":
            return f"sdg/{q.get('seriesCode')}"
        return None

    def sources(self) -> FetchSources:
        b = self.base
        return FetchSources(wpp=f"{b}/wpp", worldbank=f"{b}/wb", ilostat=f"{b}/ilostat/",
                            weo=f"{b}/weo/WEOOct2025all.ashx", sdg=f"{b}/sdg")  # fmt: skip

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def demo_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_pack(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def server(demo_pack: Path) -> Iterator[Server]:
    s = Server(official_files(demo_pack))
    yield s
    s.close()


def _frame(
    dataset_id: str, where: Callable[[pl.LazyFrame], pl.LazyFrame] | None = None
) -> pl.DataFrame:
    lf = scan(dataset_id)
    return (where(lf) if where else lf).collect()


def test_fetch_rebuilds_the_pack_from_official_layouts(
    server: Server, demo_pack: Path, sc_home: Path
) -> None:
    seen: list[tuple[str, int, int]] = []
    report = fetch_pack(sources=server.sources(), progress=lambda d, i, n: seen.append((d, i, n)))
    assert report.installed is not None and report.installed.changed
    assert report.installed.manifest.origin == "fetch"
    assert seen[-1][1] == seen[-1][2]  # the bar ends full
    assert all(len(d.sha256) == 64 for d in report.downloads)
    wb_pages = [h for h in server.hits if "SP.POP.TOTL" in h]
    assert len(wb_pages) == 2  # the second page of a paged answer was fetched

    demo = {s.id: _read(demo_pack, s.id) for s in DATASETS}
    only_demo = lambda lf: lf.filter(pl.col("loc_code") == 9990)  # noqa: E731
    age5 = _frame("wpp_population_age5", only_demo).sort("year", "sex", "age_start")
    want = demo["wpp_population_age5"].filter(pl.col("loc_code") == 9990)
    want = want.sort("year", "sex", "age_start")
    assert age5.height == want.height == 23 * 42
    cols = ["year", "sex", "age_start", "population", "population_low", "population_high"]
    assert age5.select(cols).equals(want.select(cols))

    totals = _frame("wpp_population_total", only_demo).sort("year")
    want_t = demo["wpp_population_total"].filter(pl.col("loc_code") == 9990).sort("year")
    assert totals["pop_jul1"].equals(want_t["pop_jul1"])
    ind = _frame("wpp_indicators", only_demo).sort("year")
    want_i = demo["wpp_indicators"].filter(pl.col("loc_code") == 9990).sort("year")
    assert ind["births"].equals(want_i["births"])
    assert (ind["sex_ratio_at_birth"] - want_i["sex_ratio_at_birth"]).abs().max() < 0.001

    fert = _frame("wpp_fertility", only_demo).sort("period_start", "mother_age_group")
    want_f = demo["wpp_fertility"].filter(pl.col("loc_code") == 9990)
    want_f = want_f.sort("period_start", "mother_age_group")
    assert fert.height == want_f.height  # the 10-14 row was dropped
    assert (fert["asfr"] - want_f["asfr"]).abs().max() < 1e-6
    assert (fert["tfr_period"] - want_f["tfr_period"]).abs().max() < 1e-3
    mort = _frame("wpp_mortality", only_demo).sort("period_start", "sex", "age_start")
    want_m = demo["wpp_mortality"].filter(pl.col("loc_code") == 9990)
    want_m = want_m.sort("period_start", "sex", "age_start")
    assert ((mort["mx"] / want_m["mx"]) - 1).abs().max() < 1e-6

    locs = _frame("wpp_locations").filter(pl.col("iso3") == "XDM").row(0, named=True)
    demo_locs = demo["wpp_locations"].filter(pl.col("iso3") == "XDM").row(0, named=True)
    for col in ("geo_subregion_code", "geo_area_name", "sdg_region_name", "wb_income_group"):
        assert locs[col] == demo_locs[col], col

    weo = _frame("imf_weo").sort("indicator", "year")
    want_w = demo["imf_weo"].sort("indicator", "year")
    assert weo.height == want_w.height
    assert ((weo["value"] - want_w["value"]).abs() <= 1e-3 * want_w["value"].abs() + 1e-3).all()
    assert weo.filter(pl.col("year") == 2025)["is_projection"].all()

    wdi = _frame("wb_wdi")
    assert (
        wdi.filter(pl.col("wb_code") == "WLD")["iso3"].null_count()
        == wdi.filter(pl.col("wb_code") == "WLD").height
    )
    assert wdi.filter(pl.col("iso3") == "XDM").height == demo["wb_wdi"].height
    pov = _frame("wb_poverty").sort("year")
    assert pov["gini_index"].equals(demo["wb_poverty"].sort("year")["gini_index"])

    ilo = _frame("ilo_sdg131_country")
    assert ilo.height == demo["ilo_sdg131_country"].height  # the 2019 child value was dropped
    assert ilo.filter(pl.col("contingency") == "SOC_CONTIG_CHILD")["year"].to_list() == [2023]
    glob = _frame("ilo_sdg131_global")
    assert glob.height == demo["ilo_sdg131_global"].height
    sdg = _frame("unsd_sdg131").sort("series", "year", "sex", "quantile")
    want_s = demo["unsd_sdg131"].sort("series", "year", "sex", "quantile")
    assert sdg.select("series", "year", "sex", "quantile", "nature", "value_pct").equals(
        want_s.select("series", "year", "sex", "quantile", "nature", "value_pct")
    )
    log = json.loads((pack_root() / "current" / "source-fetch_log.json").read_text())
    assert {d["sha256"] for d in log["downloads"]} == {d.sha256 for d in report.downloads}
    assert "data fetch from the publishers" in report.installed.manifest.source_path
    # Fetching the same files again installs nothing new.
    again = fetch_pack(sources=server.sources())
    assert again.installed is not None and not again.installed.changed


def test_transient_errors_are_retried(server: Server, sc_home: Path) -> None:
    server.fail["weo"] = [503, 502]
    report = fetch_pack(sources=server.sources(), backoff=0.01)
    assert report.installed is not None and report.installed.changed
    assert sum(1 for h in server.hits if h.startswith("/weo")) == 3


def test_failed_fetch_names_the_url_and_leaves_the_live_pack(server: Server, sc_home: Path) -> None:
    install_demo()
    live = (pack_root() / "current").readlink()
    server.fail["ilostat"] = [404]
    with pytest.raises(FetchError) as info:
        fetch_pack(sources=server.sources(), retries=1, backoff=0.01)
    assert "ilostat" in info.value.message and "HTTP 404" in info.value.message
    assert "socialcover data import PATH" in info.value.hint
    assert sum(1 for h in server.hits if h.startswith("/ilostat")) == 1  # 404 is not retried
    assert (pack_root() / "current").readlink() == live


def test_pinned_checksum_mismatch_is_refused(server: Server, sc_home: Path) -> None:
    with pytest.raises(FetchError) as info:
        fetch_pack(sources=server.sources(), pins={"imf weo": "0" * 64})
    assert info.value.code == "data.fetch-checksum"
    assert not (pack_root() / "current").exists()


def test_cli_fetch_with_local_urls(server: Server, sc_home: Path) -> None:
    s = server.sources()
    out = CliRunner().invoke(
        app,
        ["data", "fetch", "--wpp-url", s.wpp, "--wb-url", s.worldbank, "--ilostat-url",
         s.ilostat, "--weo-url", s.weo, "--sdg-url", s.sdg],
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    assert "Fetched" in out.output and "Installed 14 datasets" in out.output


def test_a_changed_official_layout_is_named(server: Server, sc_home: Path) -> None:
    name = "WPP2024_Fertility_by_Age5.csv.gz"
    text = gzip.decompress(server.files[name]).decode().replace(",ASFR,", ",ASFR_per1000,", 1)
    server.files[name] = gzip.compress(text.encode(), mtime=0)
    with pytest.raises(FetchError) as info:
        fetch_pack(sources=server.sources())
    assert info.value.code == "data.fetch-bad-file"
    assert name in info.value.message and "ASFR" in info.value.message
    assert not (pack_root() / "current").exists()


def test_wdi_bulk_zip_gives_the_same_datasets_as_the_api(server: Server, sc_home: Path) -> None:
    from dataclasses import replace

    fetch_pack(sources=server.sources())
    by_api = {d: scan(d).collect() for d in ("wb_wdi", "wb_poverty", "wb_wdi_indicators")}
    sources = replace(server.sources(), wb_bulk=f"{server.base}/wbbulk/WDI_CSV.zip")
    hits_before = len(server.hits)
    report = fetch_pack(sources=sources)
    assert not any("/wb/" in h for h in server.hits[hits_before:])  # no API query at all
    assert report.installed is not None
    for dataset_id, frame in by_api.items():
        key = list(next(s for s in DATASETS if s.id == dataset_id).key)
        got = scan(dataset_id).collect().sort(key)
        want = frame.sort(key)
        assert got.select(key).equals(want.select(key)), dataset_id
        if "value" in got.columns:
            assert ((got["value"] - want["value"]).abs() <= 1e-9 * want["value"].abs()).all()
