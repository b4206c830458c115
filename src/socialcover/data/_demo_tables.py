"""Macro, poverty and coverage tables of the fictional demo country Demoland (XDM).

Simple national-accounts arithmetic keeps the series consistent with each other and with the
demo population: nominal GDP = real GDP x deflator / 100 (base 2015), US$ GDP = LCU GDP /
exchange rate, the exchange rate drifts with the inflation gap to 2% (relative PPP), per capita
values divide by the pack's own mid-year population, government debt follows
``D(t) = D(t-1) - net lending(t)``. Coverage series follow the SDG 1.3.1 definitions (ILO 2024,
*World Social Protection Report 2024-26*, annex 2) with made-up values. Units are those of
``../shared/data/SOURCES.md``.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from socialcover.data import _demography as dm
from socialcover.data.catalog import (
    BY_ID,
    WEO_UNITS,
)
from socialcover.data.catalog import (
    ILO_CONTINGENCY_LABELS as CONTINGENCY_LABELS,
)
from socialcover.data.catalog import (
    ILO_GLOBAL_CONTINGENCIES as GLOBAL_NAMES,
)

ISO3, M49, NAME = "XDM", 9990, "Demoland"
LAST_ACTUAL = 2024

WDI_TITLES: dict[str, str] = {
    "BX.TRF.PWKR.CD.DT": "Personal remittances, received (current US$)",
    "FP.CPI.TOTL.ZG": "Inflation, consumer prices (annual %)",
    "GC.DOD.TOTL.GD.ZS": "Central government debt, total (% of GDP)",
    "GC.NLD.TOTL.GD.ZS": "Net lending (+) / net borrowing (-) (% of GDP)",
    "GC.REV.XGRT.GD.ZS": "Revenue, excluding grants (% of GDP)",
    "GC.TAX.TOTL.GD.ZS": "Tax revenue (% of GDP)",
    "GC.XPN.TOTL.GD.ZS": "Expense (% of GDP)",
    "NY.GDP.DEFL.KD.ZG": "Inflation, GDP deflator (annual %)",
    "NY.GDP.MKTP.CD": "GDP (current US$)",
    "NY.GDP.MKTP.KD.ZG": "GDP growth (annual %)",
    "NY.GDP.PCAP.CD": "GDP per capita (current US$)",
    "NY.GDP.PCAP.KD.ZG": "GDP per capita growth (annual %)",
    "NY.GDP.PCAP.PP.CD": "GDP per capita, PPP (current international $)",
    "NY.GNP.PCAP.CD": "GNI per capita, Atlas method (current US$)",
    "PA.NUS.FCRF": "Official exchange rate (LCU per US$, period average)",
    "PA.NUS.PPP": "PPP conversion factor, GDP (LCU per international $)",
    "SE.XPD.TOTL.GD.ZS": "Government expenditure on education, total (% of GDP)",
    "SL.EMP.TOTL.SP.ZS": "Employment to population ratio, 15+, total (%) (modeled ILO estimate)",
    "SL.EMP.VULN.FE.ZS": "Vulnerable employment, female (% of female employment) "
    "(modeled ILO estimate)",
    "SL.EMP.VULN.MA.ZS": "Vulnerable employment, male (% of male employment) "
    "(modeled ILO estimate)",
    "SL.EMP.WORK.FE.ZS": "Wage and salaried workers, female (% of female employment) "
    "(modeled ILO estimate)",
    "SL.EMP.WORK.MA.ZS": "Wage and salaried workers, male (% of male employment) "
    "(modeled ILO estimate)",
    "SL.TLF.CACT.FE.ZS": "Labor force participation rate, female (% of female population "
    "ages 15+) (modeled ILO estimate)",
    "SL.TLF.CACT.MA.ZS": "Labor force participation rate, male (% of male population ages 15+) "
    "(modeled ILO estimate)",
    "SL.TLF.TOTL.IN": "Labor force, total",
    "SL.UEM.TOTL.ZS": "Unemployment, total (% of total labor force) (modeled ILO estimate)",
    "SP.POP.0014.TO.ZS": "Population ages 0-14 (% of total population)",
    "SP.POP.65UP.TO.ZS": "Population ages 65 and above (% of total population)",
    "SP.POP.DPND": "Age dependency ratio (% of working-age population)",
    "SP.POP.TOTL": "Population, total",
}

WEO_LABELS: dict[str, str] = {
    "GGR": "General government revenue",
    "GGR_NGDP": "General government revenue",
    "GGX": "General government total expenditure",
    "GGX_NGDP": "General government total expenditure",
    "GGXCNL_NGDP": "General government net lending/borrowing",
    "GGXONLB_NGDP": "General government primary net lending/borrowing",
    "GGXWDG_NGDP": "General government gross debt",
    "LE": "Employment",
    "LP": "Population",
    "LUR": "Unemployment rate",
    "NGDP": "Gross domestic product, current prices",
    "NGDPD": "Gross domestic product, current prices",
    "NGDPDPC": "Gross domestic product per capita, current prices",
    "NGDPPC": "Gross domestic product per capita, current prices",
    "NGDP_D": "Gross domestic product, deflator",
    "NGDP_R": "Gross domestic product, constant prices",
    "NGDP_RPCH": "Gross domestic product, constant prices",
    "PCPI": "Inflation, average consumer prices",
    "PCPIEPCH": "Inflation, end of period consumer prices",
    "PCPIPCH": "Inflation, average consumer prices",
    "PPPEX": "Implied PPP conversion rate",
    "PPPGDP": "Gross domestic product, current prices",
    "PPPPC": "Gross domestic product per capita, current prices",
}

#: Latest coverage (%, 2023) by contingency and sex (T, F, M); None = not published.
COVERAGE_2023: dict[str, tuple[float | None, float | None, float | None]] = {
    "SOC_CONTIG_TOTAL": (21.3, 19.9, 22.7),
    "SOC_CONTIG_CHILD": (9.8, None, None),
    "SOC_CONTIG_MAT": (None, 11.5, None),
    "SOC_CONTIG_DISAB": (8.1, 6.9, 9.3),
    "SOC_CONTIG_UNE": (2.5, 1.9, 3.0),
    "SOC_CONTIG_PENSION": (27.4, 19.8, 36.9),
    "SOC_CONTIG_VULN": (7.4, None, None),
    "SOC_CONTIG_POOR": (10.2, None, None),
    "SOC_CONTIG_INJ": (14.7, 9.1, 18.6),
}


def _path(start: float, end: float, years: np.ndarray, mid: float, width: float) -> np.ndarray:
    """A logistic path from ``start`` to ``end`` centred on ``mid``."""
    out: np.ndarray = start + (end - start) / (1 + np.exp(-(years - mid) / width))
    return out


def macro_series(totals: pl.DataFrame) -> dict[str, np.ndarray]:
    """Annual macro series 1960-2030 (index 0 = 1960), consistent with each other."""
    years = np.arange(1960, 2031).astype(float)
    pop = (
        totals.filter(pl.col("year").is_between(1960, 2030)).sort("year")["pop_jul1"].to_numpy()
    ).astype(float)
    growth = _path(2.5, 5.2, years, 2003, 6) - 0.4 * np.cos((years - 1960) / 3.1)  # real, %
    inflation = _path(14.0, 5.5, years, 2000, 5)  # CPI, %
    deflator_infl = inflation - 0.3
    i15 = 2015 - 1960
    real = np.cumprod(1 + growth / 100)
    real = 5200.0 * real / real[i15]  # bn LCU at 2015 prices
    deflator = np.cumprod(1 + deflator_infl / 100)
    deflator = 100 * deflator / deflator[i15]
    cpi = np.cumprod(1 + inflation / 100)
    cpi = 100 * cpi / cpi[2010 - 1960]
    fx = np.cumprod(1 + (inflation - 2.0) / 100)
    fx = 98.0 * fx / fx[i15]  # LCU per US$
    nominal = real * deflator / 100
    revenue_pct = _path(14.0, 18.5, years, 2008, 8)
    spending_pct = revenue_pct + 3.2
    debt = np.zeros_like(years)
    debt[0] = 0.30 * nominal[0]
    for i in range(1, len(years)):
        debt[i] = debt[i - 1] + (spending_pct[i] - revenue_pct[i]) / 100 * nominal[i]
    ppp = fx * 0.38
    share = dm.model_year  # age structure per year
    age = np.array([share(int(y)).shares.sum(axis=0) for y in years])  # (Y, 21)
    lur = _path(9.0, 6.5, years, 2010, 6)
    pop15 = age[:, 3:].sum(axis=1) * pop
    employed = pop15 * _path(0.60, 0.66, years, 2000, 10)
    return {
        "year": years,
        "pop": pop,
        "growth": growth,
        "inflation": inflation,
        "deflator_infl": deflator_infl,
        "real": real,
        "deflator": deflator,
        "cpi": cpi,
        "fx": fx,
        "nominal": nominal,
        "revenue_pct": revenue_pct,
        "spending_pct": spending_pct,
        "debt_pct": debt / nominal * 100,
        "ppp": ppp,
        "lur": lur,
        "employed": employed,
        "pop15": pop15,
        "share_0_14": age[:, :3].sum(axis=1) * 100,
        "share_65": age[:, 13:].sum(axis=1) * 100,
        "share_15_64": age[:, 3:13].sum(axis=1) * 100,
    }


def weo(totals: pl.DataFrame) -> pl.DataFrame:
    """IMF WEO-layout rows for Demoland, 1980-2030 (projections after 2024)."""
    m = macro_series(totals)
    values = {
        "NGDP": m["nominal"],
        "NGDPD": m["nominal"] / m["fx"],
        "NGDPPC": m["nominal"] * 1e9 / m["pop"],
        "NGDPDPC": m["nominal"] / m["fx"] * 1e9 / m["pop"],
        "PPPGDP": m["nominal"] / m["ppp"],
        "PPPPC": m["nominal"] / m["ppp"] * 1e9 / m["pop"],
        "PPPEX": m["ppp"],
        "NGDP_R": m["real"],
        "NGDP_RPCH": m["growth"],
        "NGDP_D": m["deflator"],
        "PCPI": m["cpi"],
        "PCPIPCH": m["inflation"],
        "PCPIEPCH": m["inflation"] - 0.2,
        "GGR": m["revenue_pct"] / 100 * m["nominal"],
        "GGX": m["spending_pct"] / 100 * m["nominal"],
        "GGR_NGDP": m["revenue_pct"],
        "GGX_NGDP": m["spending_pct"],
        "GGXCNL_NGDP": m["revenue_pct"] - m["spending_pct"],
        "GGXONLB_NGDP": m["revenue_pct"] - m["spending_pct"] + 1.9,
        "GGXWDG_NGDP": m["debt_pct"],
        "LUR": m["lur"],
        "LE": m["employed"] / 1e6,
        "LP": m["pop"] / 1e6,
    }
    rows = []
    for code, series in values.items():
        for i, year in enumerate(m["year"]):
            y = int(year)
            if y < 1980:
                continue
            base = "2015" if code in ("NGDP_R", "NGDP_D") else ("2010" if code == "PCPI" else None)
            rows.append(
                (
                    ISO3,
                    ISO3,
                    False,
                    y,
                    code,
                    WEO_LABELS[code],
                    WEO_UNITS[code],
                    round(float(series[i]), 3),
                    str(LAST_ACTUAL),
                    LAST_ACTUAL,
                    y > LAST_ACTUAL,
                    base,
                )
            )
    return pl.DataFrame(rows, schema=BY_ID["imf_weo"].columns, orient="row")


def wdi(totals: pl.DataFrame) -> pl.DataFrame:
    """World Bank WDI-layout rows for Demoland, 1960-2025."""
    m = macro_series(totals)
    gdp_usd = m["nominal"] / m["fx"] * 1e9
    pop_growth = np.concatenate([[np.nan], m["pop"][1:] / m["pop"][:-1] - 1])
    labour = m["employed"] / (1 - m["lur"] / 100)
    values = {
        "NY.GDP.MKTP.CD": gdp_usd,
        "NY.GDP.PCAP.CD": gdp_usd / m["pop"],
        "NY.GDP.PCAP.PP.CD": m["nominal"] / m["ppp"] * 1e9 / m["pop"],
        "NY.GDP.MKTP.KD.ZG": m["growth"],
        "NY.GDP.PCAP.KD.ZG": ((1 + m["growth"] / 100) / (1 + pop_growth) - 1) * 100,
        "NY.GDP.DEFL.KD.ZG": m["deflator_infl"],
        "FP.CPI.TOTL.ZG": m["inflation"],
        "PA.NUS.FCRF": m["fx"],
        "PA.NUS.PPP": m["ppp"],
        "NY.GNP.PCAP.CD": gdp_usd / m["pop"] * 0.97,
        "GC.XPN.TOTL.GD.ZS": m["spending_pct"] - 4.0,
        "GC.REV.XGRT.GD.ZS": m["revenue_pct"] - 2.5,
        "GC.TAX.TOTL.GD.ZS": m["revenue_pct"] - 4.5,
        "GC.DOD.TOTL.GD.ZS": m["debt_pct"] - 6.0,
        "GC.NLD.TOTL.GD.ZS": m["revenue_pct"] - m["spending_pct"] + 1.5,
        "SL.UEM.TOTL.ZS": m["lur"],
        "SL.TLF.TOTL.IN": labour,
        "SL.EMP.TOTL.SP.ZS": m["employed"] / m["pop15"] * 100,
        "SL.EMP.WORK.FE.ZS": _path(12, 34, m["year"], 2010, 9),
        "SL.EMP.WORK.MA.ZS": _path(22, 45, m["year"], 2010, 9),
        "SL.EMP.VULN.FE.ZS": _path(84, 60, m["year"], 2010, 9),
        "SL.EMP.VULN.MA.ZS": _path(70, 48, m["year"], 2010, 9),
        "SL.TLF.CACT.FE.ZS": _path(58, 66, m["year"], 2000, 10),
        "SL.TLF.CACT.MA.ZS": _path(78, 74, m["year"], 2000, 10),
        "SP.POP.TOTL": m["pop"],
        "SP.POP.65UP.TO.ZS": m["share_65"],
        "SP.POP.0014.TO.ZS": m["share_0_14"],
        "SP.POP.DPND": (m["share_0_14"] + m["share_65"]) / m["share_15_64"] * 100,
        "BX.TRF.PWKR.CD.DT": gdp_usd * 0.031,
        "SE.XPD.TOTL.GD.ZS": _path(3.1, 4.8, m["year"], 2000, 8),
    }
    rows = []
    for code, series in values.items():
        for i, year in enumerate(m["year"]):
            y = int(year)
            if y > 2025 or (code.startswith("SL.") and y < 1991) or np.isnan(series[i]):
                continue
            value = round(float(series[i]), 0 if code in ("SP.POP.TOTL",) else 4)
            rows.append((ISO3, ISO3, NAME, False, y, code, WDI_TITLES[code], value))
    return pl.DataFrame(rows, schema=BY_ID["wb_wdi"].columns, orient="row")


def wdi_indicators() -> pl.DataFrame:
    """Titles and licences of the WDI indicators."""
    rows = [(code, title, "CC-BY-4.0") for code, title in sorted(WDI_TITLES.items())]
    return pl.DataFrame(rows, schema=BY_ID["wb_wdi_indicators"].columns, orient="row")


def poverty() -> pl.DataFrame:
    """Four survey years of poverty and inequality; quintile shares sum to 100."""
    surveys = {
        # year: (hc 3.00, gini, national hc, mean, b40 mean)
        2005: (47.8, 44.1, 45.2, None, None),
        2011: (41.0, 42.6, 40.1, None, None),
        2016: (35.2, 41.3, 36.4, 4.21, 1.86),
        2021: (30.4, 40.2, 33.0, 5.08, 2.31),
    }
    rows = []
    for year, (hc, gini, national, mean, b40) in surveys.items():
        q5 = round(20 + gini * 0.68, 1)
        q1 = round(max(2.0, 10.5 - gini * 0.11), 1)
        q2, q3 = round(q1 + 4.2, 1), round(q1 + 8.4, 1)
        q4 = round(100 - q1 - q2 - q3 - q5, 1)
        rows.append(
            (
                ISO3,
                ISO3,
                NAME,
                False,
                year,
                hc,
                round(hc * 0.31, 1),
                gini,
                national,
                mean,
                b40,
                round(q1 * 0.4, 1),
                q1,
                q2,
                q3,
                q4,
                q5,
                round(q5 * 0.66, 1),
                hc,
                min(99.0, round(hc + 16.5, 1)),
                min(99.0, round(hc + 37.0, 1)),
            )
        )
    return pl.DataFrame(rows, schema=BY_ID["wb_poverty"].columns, orient="row")


def coverage_country() -> pl.DataFrame:
    """ILOSTAT-layout SDG 1.3.1 rows: latest year per series, all years for the headline."""
    rows = []
    sexes = ("SEX_T", "SEX_F", "SEX_M")
    for code, values in COVERAGE_2023.items():
        for sex, value in zip(sexes, values, strict=True):
            if value is not None:
                rows.append((ISO3, "xdm", sex, code, CONTINGENCY_LABELS[code], 2023, value, 1))
    for year, value in ((2015, 12.0), (2017, 14.5), (2019, 16.8), (2021, 19.5)):
        label = CONTINGENCY_LABELS["SOC_CONTIG_TOTAL"]
        rows.append((ISO3, "xdm", "SEX_T", "SOC_CONTIG_TOTAL", label, year, value, 0))
    return pl.DataFrame(rows, schema=BY_ID["ilo_sdg131_country"].columns, orient="row")


def coverage_global() -> pl.DataFrame:
    """ILO global-layout rows 2009-2023 for 'World' (X01), which is Demoland in the demo."""
    rows = []
    sex_names = {"SEX_T": "both", "SEX_F": "female", "SEX_M": "male"}
    for code, values in COVERAGE_2023.items():
        if code not in GLOBAL_NAMES:
            continue
        for sex, latest in zip(sex_names, values, strict=True):
            if latest is None:
                continue
            for year in range(2009, 2024):
                value = round(latest * (0.55 + 0.45 * (year - 2009) / 14), 3)
                rows.append(("X01", "World", year, sex_names[sex], code, GLOBAL_NAMES[code], value))
    return pl.DataFrame(rows, schema=BY_ID["ilo_sdg131_global"].columns, orient="row")


def coverage_unsd() -> pl.DataFrame:
    """UN SDG database (2020 edition) layout rows for Demoland."""
    ilo = "[ILO] Proportion of "
    series = [
        ("SI_COV_BENFTS", ilo + "population covered by at least one social protection "
         "benefit, by sex (%)", "both", "total", {2016: 12.9, 2019: 16.5}),
        ("SI_COV_CHLD", ilo + "children/households receiving child/family cash benefit, by "
         "sex (%)", "both", "total", {2019: 8.5}),
        ("SI_COV_MATNL", ilo + "mothers with newborns receiving maternity cash benefit (%)",
         "female", "total", {2019: 10.2}),
        ("SI_COV_DISAB", ilo + "population with severe disabilities receiving disability cash "
         "benefit, by sex (%)", "both", "total", {2019: 7.2}),
        ("SI_COV_UEMP", ilo + "unemployed persons receiving unemployment cash benefit, by sex "
         "(%)", "both", "total", {2019: 2.1}),
        ("SI_COV_PENSN", ilo + "population above statutory pensionable age receiving a "
         "pension, by sex (%)", "both", "total", {2016: 22.1, 2019: 25.0}),
        ("SI_COV_POOR", ilo + "poor population receiving social assistance cash benefit, by "
         "sex (%)", "both", "total", {2019: 9.0}),
        ("SI_COV_VULN", ilo + "vulnerable population receiving social assistance cash "
         "benefit, by sex (%)", "both", "total", {2019: 6.6}),
        ("SI_COV_WKINJRY", ilo + "employed population covered in the event of work injury, "
         "by sex (%)", "both", "total", {2019: 13.3}),
    ]  # fmt: skip
    rows = []
    for code, text, sex, quantile, values in series:
        for year, value in values.items():
            rows.append(
                (
                    code,
                    text,
                    "ILO",
                    M49,
                    ISO3,
                    NAME,
                    False,
                    year,
                    sex,
                    quantile,
                    "E: estimated data",
                    value,
                )
            )
    wb = "[World Bank] Proportion of population covered by "
    for code, text, q1, total in (
        ("SI_COV_SOCAST", wb + "social assistance programs (%)", 28.1, 17.9),
        ("SI_COV_SOCINS", wb + "social insurance programs (%)", 1.2, 6.5),
        ("SI_COV_LMKT", wb + "labor market programs (%)", 0.8, 1.9),
    ):
        for quantile, value in (("q1", q1), ("total", total)):
            rows.append(
                (
                    code,
                    text,
                    "World Bank",
                    M49,
                    ISO3,
                    NAME,
                    False,
                    2015,
                    "both",
                    quantile,
                    "CA: country adjusted data",
                    value,
                )
            )
    return pl.DataFrame(rows, schema=BY_ID["unsd_sdg131"].columns, orient="row")
