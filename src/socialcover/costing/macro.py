"""Macro-economic paths of a costing projection, with the provenance of every assumption.

Nominal GDP follows the IMF WEO (October 2025) levels for the years WEO projects (to 2030),
then grows with the real-growth and inflation assumptions (RAP ECO sheet, METHODS.md B2.3)::

    GDP_nom[t] = GDP_nom[t-1] x (1 + g[t]) x (1 + d[t])      d = GDP-deflator inflation
    CPI[t]     = CPI[t-1] x (1 + p[t])
    PL[t]      = PL[t0] x CPI[t] / CPI[t0]                    poverty line indexed to prices
    e[t]       = e[t-1] x (1 + p[t]) / (1 + p_US)              relative PPP after the WEO years
    GovExp[t]  = GovExp_share[t] x GDP_nom[t]

In the WEO years ``g`` and ``p`` are WEO's, and ``d`` is implied by WEO's nominal and real GDP,
so the path reproduces WEO's nominal GDP exactly; afterwards ``d = p``. Monte Carlo shifts of
growth and inflation move the whole path (every year after the base year).

Defaults from the data pack (each recorded with ``is_default`` and its source):

- real growth and inflation: means of WEO's real GDP growth and average CPI inflation over the
  five last WEO years (the IMF medium-term outlook; the recent actual years include the 2020
  shock), with WDI's last five years as the fallback;
- government expenditure: WEO general government total expenditure (% of GDP), held at its
  last WEO value afterwards; WDI central-government expense as the fallback;
- exchange rate: implied by WEO's GDP in national currency and in US$;
- poverty line: no national line in LCU is in the pack, so the default is the World Bank
  international line of $3.00 a day (2021 PPP) x the 2021 PPP conversion factor (WEO PPPEX,
  a GDP PPP in the same currency units as WEO's GDP; WDI PA.NUS.PPP as the fallback; PIP
  itself uses the household-consumption PPP, not in the pack), brought to the base year with
  WEO's CPI. A scenario may give a national line instead.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from socialcover.costing import inputs
from socialcover.costing.national import population_factor
from socialcover.costing.scenario import Macro, Scenario
from socialcover.errors import NotFoundError

IPL_USD_PPP_DAY = 3.00
IPL_PPP_YEAR = 2021
DAYS = 365.0


@dataclass(frozen=True)
class MacroBase:
    """Per country-year rates and base-year levels (everything the paths are built from).

    Rates are fractions per year, ``[country, year]``; the base-year column is unused (0).
    """

    iso3s: tuple[str, ...]
    years: tuple[int, ...]
    gdp0: np.ndarray  # [C] nominal GDP, LCU
    growth: np.ndarray  # real GDP growth
    deflator: np.ndarray  # GDP deflator inflation
    cpi: np.ndarray  # CPI inflation
    fx_change: np.ndarray  # change of the LCU per US$ rate before any inflation shift
    fx0: np.ndarray  # [C] LCU per US$ at the base year
    gov_share: np.ndarray  # [C, Y] fraction of GDP
    poverty_line0: np.ndarray  # [C] LCU per person per year at the base year
    ppp0: np.ndarray  # [C] LCU per international $ at the base year
    pop_total: np.ndarray  # [V?, C, Y] persons (medium variant)
    pop_working: np.ndarray  # [C, Y] persons aged 15-64
    missing: dict[str, str]  # iso3 -> reason it cannot be costed
    provenance: list[dict[str, Any]] = field(default_factory=list)
    # [C, Y] True where a year's rates are the growth and inflation assumptions (after WEO)
    assumed: np.ndarray | None = None
    growth_assumption_pct: np.ndarray | None = None  # [C]
    inflation_assumption_pct: np.ndarray | None = None  # [C]
    us_inflation_pct: float = float("nan")


@dataclass(frozen=True)
class MacroPaths:
    """Level paths ``[..., country, year]`` (leading axes for Monte Carlo draws)."""

    gdp_lcu: np.ndarray
    gdp_usd: np.ndarray
    gdp_per_capita_lcu: np.ndarray
    cpi_index: np.ndarray  # 1 at the base year
    wage_index: np.ndarray  # 1 at the base year
    gdp_per_capita_index: np.ndarray  # 1 at the base year
    exchange_rate: np.ndarray
    gov_expenditure_lcu: np.ndarray
    poverty_line_lcu: np.ndarray
    real_growth_pct: np.ndarray
    inflation_pct: np.ndarray


def _mean_last(arr: np.ndarray, n: int = 5) -> np.ndarray:
    """Mean of the last ``n`` non-missing values along the last axis."""
    out = np.full(arr.shape[0], np.nan)
    for i, row in enumerate(arr):
        vals = row[np.isfinite(row)]
        if vals.size:
            out[i] = vals[-n:].mean()
    return out


def _latest(arr: np.ndarray) -> np.ndarray:
    return _mean_last(arr, 1)


def build_base(
    macro: Macro, iso3s: Sequence[str], years: Sequence[int], variant: str = "medium"
) -> MacroBase:
    """Resolve every macro assumption for the countries (defaults from the pack, or overrides)."""
    iso3s, years = tuple(iso3s), tuple(years)
    base = years[0]
    last_weo = inputs.weo_last_year()
    span = tuple(range(min(base, IPL_PPP_YEAR, last_weo - 6), max(last_weo, years[-1]) + 1))
    b = span.index(base)
    w = inputs.weo(iso3s, span)
    wdi_span = tuple(range(span[0], min(span[-1], 2025) + 1))
    tail = slice(span.index(last_weo) - 4, span.index(last_weo) + 1)
    n_c = len(iso3s)
    prov: list[dict[str, Any]] = []
    missing: dict[str, str] = {}

    def record(
        name: str, values: np.ndarray | float, unit: str, default: bool, source: str
    ) -> None:
        vals = np.broadcast_to(np.asarray(values, dtype=float), (n_c,))
        for iso, v in zip(iso3s, vals, strict=True):
            prov.append(
                {
                    "iso3": iso,
                    "assumption": name,
                    "value": float(v),
                    "unit": unit,
                    "is_default": default,
                    "source": source,
                }
            )

    # --- growth and inflation assumptions (after the WEO years) ---
    def recent_mean(
        assumption: str, override: float | None, wdi_code: str, what: str
    ) -> np.ndarray:
        """The scenario's value, else WEO's mean of its last 5 years, else WDI's."""
        if override is not None:
            values = np.full(n_c, override)
            record(assumption, values, "% per year", False, "user")
            return values
        weo_mean = _mean_last(w[assumption][:, tail])
        wdi_mean = _mean_last(inputs.wdi(wdi_code, iso3s, wdi_span))
        src = np.where(
            np.isfinite(weo_mean),
            f"IMF WEO Oct 2025, mean {what} {last_weo - 4}-{last_weo}",
            f"WDI {wdi_code}, mean of last 5 years",
        )
        values = np.where(np.isfinite(weo_mean), weo_mean, wdi_mean)
        prov.extend(
            {
                "iso3": iso,
                "assumption": assumption,
                "value": float(v),
                "unit": "% per year",
                "is_default": True,
                "source": str(s),
            }
            for iso, v, s in zip(iso3s, values, src, strict=True)
        )
        return values

    g_assume = recent_mean(
        "real_growth_pct", macro.real_growth_pct, "NY.GDP.MKTP.KD.ZG", "real GDP growth"
    )
    p_assume = recent_mean("inflation_pct", macro.inflation_pct, "FP.CPI.TOTL.ZG", "CPI inflation")
    if macro.us_inflation_pct is not None:
        us_infl = float(macro.us_inflation_pct)
        record("us_inflation_pct", us_infl, "% per year", False, "user")
    else:
        us_infl, us_source = _us_inflation_default(span, tail, last_weo)
        record("us_inflation_pct", us_infl, "% per year", True, us_source)

    # --- year-by-year rates over the projection years ---
    n_y = len(years)
    ys = np.array(years)
    weo_ok = macro.follow_weo & (ys <= last_weo)  # [Y]
    idx = np.array([span.index(y) for y in years])
    gdp_w = w["gdp_lcu"][:, idx]
    g_w = w["real_growth_pct"][:, idx] / 100
    p_w = w["inflation_pct"][:, idx] / 100
    nominal_w = np.full((n_c, n_y), np.nan)
    nominal_w[:, 1:] = gdp_w[:, 1:] / gdp_w[:, :-1] - 1
    fx_w = w["exchange_rate_lcu_per_usd"][:, idx]
    fx_change_w = np.full((n_c, n_y), np.nan)
    fx_change_w[:, 1:] = fx_w[:, 1:] / fx_w[:, :-1] - 1
    use = weo_ok[None, :] & np.isfinite(g_w) & np.isfinite(p_w) & np.isfinite(nominal_w)
    use &= np.isfinite(fx_change_w)
    # once WEO is missing for a year, the assumption carries on (no jumping back)
    use = np.cumprod(use | (np.arange(n_y) == 0)[None, :], axis=1).astype(bool)
    g = np.where(use, g_w, g_assume[:, None] / 100)
    p = np.where(use, p_w, p_assume[:, None] / 100)
    d = np.where(use, (1 + nominal_w) / (1 + g_w) - 1, p_assume[:, None] / 100)
    fx_change = np.where(use, fx_change_w, (1 + p) / (1 + us_infl / 100) - 1)
    for arr in (g, p, d, fx_change):
        arr[:, 0] = 0.0

    # --- base-year levels (the latest WEO value up to the base year, extrapolated when WEO
    # stops short of it, as for Afghanistan, Lebanon and Sri Lanka in the October 2025 WEO) ---
    grow = (1 + g_assume / 100) * (1 + p_assume / 100)
    rel_infl = (1 + p_assume / 100) / (1 + us_infl / 100)

    srcs = inputs.macro_sources(iso3s, span)

    def carried(key: str, gap: np.ndarray) -> list[str]:
        out = []
        for c in range(n_c):
            g = int(gap[c])
            label = str(srcs[key][c, b - g] or "no value in the pack")
            note = ", carried to the base year with the growth and inflation assumptions"
            out.append(f"{label}, {base - g}" + (note if g else ""))
        return out

    gdp_v, gdp_gap = _latest_upto(w["gdp_lcu"], b)
    gdp0 = gdp_v * grow**gdp_gap
    for iso, v, text in zip(iso3s, gdp0, carried("gdp_lcu", gdp_gap), strict=True):
        prov.append(
            {
                "iso3": iso,
                "assumption": "gdp_lcu_base_year",
                "value": float(v),
                "unit": "LCU",
                "is_default": True,
                "source": text,
            }
        )
    if macro.exchange_rate_lcu_per_usd is not None:
        fx0 = np.full(n_c, macro.exchange_rate_lcu_per_usd)
        record("exchange_rate_lcu_per_usd", fx0, "LCU per US$", False, "user")
    else:
        fx_v, fx_gap = _latest_upto(w["exchange_rate_lcu_per_usd"], b)
        fx0 = fx_v * rel_infl**fx_gap
        fb = inputs.wdi("PA.NUS.FCRF", iso3s, tuple(range(span[0], base + 1)))
        src = np.where(
            np.isfinite(fx0),
            carried("exchange_rate_lcu_per_usd", fx_gap),
            "WDI PA.NUS.FCRF, latest year up to the base year",
        )
        fx0 = np.where(np.isfinite(fx0), fx0, _latest(fb))
        for iso, v, s in zip(iso3s, fx0, src, strict=True):
            prov.append(
                {
                    "iso3": iso,
                    "assumption": "exchange_rate_lcu_per_usd",
                    "value": float(v),
                    "unit": "LCU per US$",
                    "is_default": True,
                    "source": str(s),
                }
            )
    if macro.gov_expenditure_pct_gdp is not None:
        gov = np.full((n_c, n_y), macro.gov_expenditure_pct_gdp / 100)
        record(
            "gov_expenditure_pct_gdp",
            macro.gov_expenditure_pct_gdp,
            "% of GDP",
            False,
            "user (all years)",
        )
    else:
        gx = w["gov_expenditure_pct_gdp"]
        upto = np.array([span.index(min(y, last_weo)) for y in years])
        gov = gx[:, upto].copy()
        # held at the latest available value
        latest_gx = np.array(
            [
                row[np.isfinite(row)][-1] if np.isfinite(row).any() else np.nan
                for row in gx[:, : span.index(last_weo) + 1]
            ]
        )
        gov = np.where(np.isfinite(gov), gov, latest_gx[:, None])
        fb = _latest(inputs.wdi("GC.XPN.TOTL.GD.ZS", iso3s, wdi_span))
        base_src = [str(srcs["gov_expenditure_pct_gdp"][c, b] or "") for c in range(n_c)]
        src = np.where(
            np.isfinite(gov[:, 0]) & np.array([bool(x) for x in base_src]),
            np.array(
                [f"{x}, {base}; after {last_weo} held at its latest value" for x in base_src],
                dtype=object,
            ),
            "latest value up to the base year (WEO GGX_NGDP, else WDI GC.XPN.TOTL.GD.ZS, "
            "central government expense)",
        )
        gov = np.where(np.isfinite(gov), gov, fb[:, None]) / 100
        for iso, v, s in zip(iso3s, gov[:, 0] * 100, src, strict=True):
            prov.append(
                {
                    "iso3": iso,
                    "assumption": "gov_expenditure_pct_gdp",
                    "value": float(v),
                    "unit": "% of GDP (base year)",
                    "is_default": True,
                    "source": str(s),
                }
            )

    ppp_w = w["ppp_lcu_per_intl_dollar"]
    cpi_v, cpi_gap = _latest_upto(w["cpi_index"], b)
    cpi_ratio = (
        cpi_v * (1 + p_assume / 100) ** cpi_gap / w["cpi_index"][:, span.index(IPL_PPP_YEAR)]
    )
    if macro.ppp_lcu_per_intl_dollar is not None:
        ppp0 = np.full(n_c, macro.ppp_lcu_per_intl_dollar)
        ppp21 = ppp0 / cpi_ratio
        record("ppp_lcu_per_intl_dollar", ppp0, "LCU per international $", False, "user")
    else:
        ppp_v, ppp_gap = _latest_upto(ppp_w, b)
        ppp0 = ppp_v * rel_infl**ppp_gap
        ppp_src = carried("ppp_lcu_per_intl_dollar", ppp_gap)
        for iso, v, text in zip(iso3s, ppp0, ppp_src, strict=True):
            prov.append(
                {
                    "iso3": iso,
                    "assumption": "ppp_lcu_per_intl_dollar",
                    "value": float(v),
                    "unit": "LCU per international $",
                    "is_default": True,
                    "source": text,
                }
            )
        # WEO first: its PPP is in the same currency units as its GDP (WDI's is not always:
        # Somalia's WDI PPP is in shillings where WEO reports US dollars)
        ppp21 = ppp_w[:, span.index(IPL_PPP_YEAR)]
        wdi21 = inputs.wdi("PA.NUS.PPP", iso3s, (IPL_PPP_YEAR,))[:, 0]
        ppp21 = np.where(np.isfinite(ppp21), ppp21, wdi21)
    if macro.poverty_line_lcu_year is not None:
        pl0 = np.full(n_c, macro.poverty_line_lcu_year)
        record(
            "poverty_line_lcu_year",
            pl0,
            "LCU per person per year",
            False,
            "user (national poverty line)",
        )
    else:
        pl0 = IPL_USD_PPP_DAY * DAYS * ppp21 * cpi_ratio
        record(
            "poverty_line_lcu_year",
            pl0,
            "LCU per person per year",
            True,
            "international poverty line $3.00/day (2021 PPP) x 2021 PPP conversion factor "
            "(IMF WEO PPPEX, a GDP PPP; WDI PA.NUS.PPP if missing) x CPI 2021 to base year "
            "(chained WEO CPI inflation); no national poverty line in LCU is in the data pack",
        )

    pop = inputs.population(iso3s, years, variant)
    pop_total = pop.sum(axis=(2, 3))
    pop_working = pop[:, :, :, 15:65].sum(axis=(2, 3))

    for iso, label in inputs.weo_fiscal_years(iso3s).items():
        prov.append(
            {
                "iso3": iso,
                "assumption": "gdp_fiscal_year",
                "value": None,
                "unit": "flag",
                "is_default": True,
                "source": f"IMF WEO Oct 2025 reports GDP on a fiscal-year basis ({label}): "
                "the fiscal year starting in year t is used as year t, not calendarised; "
                "population is WPP's calendar year, so % of GDP mixes the two bases "
                "(give calendar-year GDP under national: to change it)",
            }
        )
    missing.update(
        _missing(iso3s, gdp0, fx0, g_assume + p_assume, gov[:, 0], ppp0 + pl0, pop_total[:, 0])
    )
    return MacroBase(
        iso3s=iso3s,
        years=years,
        gdp0=gdp0,
        growth=g,
        deflator=d,
        cpi=p,
        fx_change=fx_change,
        fx0=fx0,
        gov_share=gov,
        poverty_line0=pl0,
        ppp0=ppp0,
        pop_total=pop_total,
        pop_working=pop_working,
        missing=missing,
        provenance=prov,
        assumed=~use,
        growth_assumption_pct=g_assume,
        inflation_assumption_pct=p_assume,
        us_inflation_pct=us_infl,
    )


def _missing(
    iso3s: Sequence[str],
    gdp0: np.ndarray,
    fx0: np.ndarray,
    rates: np.ndarray,
    gov0: np.ndarray,
    prices: np.ndarray,
    pop0: np.ndarray,
) -> dict[str, str]:
    """Why each country that cannot be costed cannot (the first thing it lacks)."""
    checks = {
        "no GDP in national currency at the base year (WEO NGDP)": gdp0,
        "no exchange rate (WEO NGDP/NGDPD or WDI PA.NUS.FCRF)": fx0,
        "no real growth or inflation assumption (WEO or WDI)": rates,
        "no government expenditure (WEO GGX_NGDP or WDI)": gov0,
        "no PPP conversion factor or CPI (WEO PPPEX, PCPI)": prices,
        "no population (WPP 2024)": pop0,
    }
    out: dict[str, str] = {}
    for reason, arr in checks.items():
        for iso, v in zip(iso3s, arr, strict=True):
            if not np.isfinite(v) or v <= -1e300:
                out.setdefault(iso, reason)
    for iso, v in zip(iso3s, pop0, strict=True):
        if np.isfinite(v) and v <= 0:
            out.setdefault(iso, "no population (WPP 2024)")
    return out


def build_scenario_base(scenario: Scenario, iso3s: Sequence[str], variant: str) -> MacroBase:
    """:func:`build_base` for a scenario, with each country's own data (``national:``) in.

    A country with national data is built as if it were costed alone with its own macro
    overrides (the scenario's, overlaid by its own), then its GDP in national currency replaces
    WEO's in the years given: the base-year level, and the GDP-deflator growth of each later
    year given, so that the path passes through every value (real growth stays the assumed
    one). Its provenance says "user" (or the source the scenario gives).
    """
    base = build_base(scenario.macro, iso3s, scenario.years, variant)
    national = {k: v for k, v in scenario.national.items() if k in base.iso3s}
    if not national:
        return base
    years = list(scenario.years)
    prov = list(base.provenance)
    missing = dict(base.missing)
    arrays = {
        name: np.array(getattr(base, name), dtype=float, copy=True)
        for name in (
            "gdp0",
            "growth",
            "deflator",
            "cpi",
            "fx_change",
            "fx0",
            "gov_share",
            "poverty_line0",
            "ppp0",
            "pop_total",
            "pop_working",
            "growth_assumption_pct",
            "inflation_assumption_pct",
        )
    }
    assumed = np.array(base.assumed, copy=True)
    for iso, nat in national.items():
        c = base.iso3s.index(iso)
        given = {k: v for k, v in nat.macro.model_dump().items() if v is not None}
        own = build_base(scenario.macro.model_copy(update=given), [iso], scenario.years, variant)
        for name, arr in arrays.items():
            arr[c] = np.asarray(getattr(own, name))[0]
        assumed[c] = np.asarray(own.assumed)[0]
        source = nat.source or "user"
        rows = [
            {**r, "source": "user" if r["source"].startswith("user") else r["source"]}
            for r in own.provenance
        ]
        if nat.source:
            rows = [
                {**r, "source": nat.source if not r["is_default"] else r["source"]} for r in rows
            ]
        if nat.gdp_lcu:
            _national_gdp(arrays, c, years, nat.gdp_lcu)
            rows = [r for r in rows if r["assumption"] != "gdp_lcu_base_year"]
            rows.append(
                {
                    "iso3": iso,
                    "assumption": "gdp_lcu_base_year",
                    "value": float(arrays["gdp0"][c]),
                    "unit": "LCU",
                    "is_default": False,
                    "source": f"{source}: national GDP for "
                    + ", ".join(str(y) for y in sorted(nat.gdp_lcu)),
                }
            )
        prov = [r for r in prov if r["iso3"] != iso] + rows
        missing.pop(iso, None)
        missing.update(
            _missing(
                [iso],
                arrays["gdp0"][c : c + 1],
                arrays["fx0"][c : c + 1],
                arrays["growth_assumption_pct"][c : c + 1]
                + arrays["inflation_assumption_pct"][c : c + 1],
                arrays["gov_share"][c : c + 1, 0],
                arrays["ppp0"][c : c + 1] + arrays["poverty_line0"][c : c + 1],
                arrays["pop_total"][c : c + 1, 0],
            )
        )
    factor = population_factor(scenario, base.iso3s, years)
    arrays["pop_total"] = arrays["pop_total"] * factor
    arrays["pop_working"] = arrays["pop_working"] * factor
    for iso, nat in national.items():
        if nat.population:
            prov.append(
                {
                    "iso3": iso,
                    "assumption": "population",
                    "value": float(arrays["pop_total"][base.iso3s.index(iso), 0]),
                    "unit": "persons (base year)",
                    "is_default": False,
                    "source": f"{nat.source or 'user'}: national projection for "
                    + ", ".join(str(y) for y in sorted(nat.population))
                    + " (WPP 2024 age and sex structure scaled to it)",
                }
            )
    changes: dict[str, Any] = {**arrays, "assumed": assumed, "provenance": prov, "missing": missing}
    return dataclasses.replace(base, **changes)


def _national_gdp(
    arrays: dict[str, np.ndarray], c: int, years: list[int], gdp: dict[int, float]
) -> None:
    """Put a country's national GDP series into its base level and deflator path."""
    if years[0] in gdp:
        arrays["gdp0"][c] = gdp[years[0]]
    level = arrays["gdp0"][c]
    for t in range(1, len(years)):
        g = arrays["growth"][c, t]
        if years[t] in gdp:
            arrays["deflator"][c, t] = gdp[years[t]] / level / (1 + g) - 1
        level = level * (1 + g) * (1 + arrays["deflator"][c, t])


MAX_CARRY_YEARS = 5


def _latest_upto(arr: np.ndarray, b: int) -> tuple[np.ndarray, np.ndarray]:
    """Latest finite value at or before column ``b`` (at most 5 years back) and its distance."""
    vals = np.full(arr.shape[0], np.nan)
    gaps = np.zeros(arr.shape[0])
    for gap in range(0, min(MAX_CARRY_YEARS, b) + 1):
        col = arr[:, b - gap]
        take = ~np.isfinite(vals) & np.isfinite(col)
        vals[take] = col[take]
        gaps[take] = gap
    return vals, gaps


def build_paths(
    base: MacroBase,
    growth_shift: np.ndarray | float = 0.0,
    inflation_shift: np.ndarray | float = 0.0,
    pop_total: np.ndarray | None = None,
    pop_working: np.ndarray | None = None,
) -> MacroPaths:
    """Level paths from the rates; shifts (fractions, e.g. ``0.01``) broadcast on the left."""
    gs = np.asarray(growth_shift, dtype=float)
    ps = np.asarray(inflation_shift, dtype=float)
    after = np.zeros(len(base.years))
    after[1:] = 1.0
    g = base.growth + gs * after
    d = base.deflator + ps * after
    p = base.cpi + ps * after
    cum_real = np.cumprod(1 + g, axis=-1)
    cum_defl = np.cumprod(1 + d, axis=-1)
    cpi_index = np.cumprod(1 + p, axis=-1)
    gdp = base.gdp0[:, None] * cum_real * cum_defl
    fx = base.fx0[:, None] * np.cumprod((1 + base.fx_change) * (1 + p) / (1 + base.cpi), axis=-1)
    pt = base.pop_total if pop_total is None else pop_total
    pw = base.pop_working if pop_working is None else pop_working
    gdppc = gdp / pt
    per_worker = gdp / pw
    return MacroPaths(
        gdp_lcu=gdp,
        gdp_usd=gdp / fx,
        gdp_per_capita_lcu=gdppc,
        cpi_index=cpi_index,
        wage_index=per_worker / per_worker[..., :1],
        gdp_per_capita_index=gdppc / gdppc[..., :1],
        exchange_rate=fx,
        gov_expenditure_lcu=base.gov_share * gdp,
        poverty_line_lcu=base.poverty_line0[:, None] * cpi_index,
        real_growth_pct=np.broadcast_to(g * 100, gdp.shape),
        inflation_pct=np.broadcast_to(p * 100, gdp.shape),
    )


# Used only when the pack has no United States series (e.g. the demo pack): the Federal
# Reserve's longer-run inflation goal, stated as an assumption in the provenance.
US_INFLATION_FALLBACK_PCT = 2.0


def _us_inflation_default(span: Sequence[int], tail: slice, last_weo: int) -> tuple[float, str]:
    """US CPI inflation for US$ paths: WEO's recent mean, else a stated 2% assumption."""
    try:
        us = inputs.weo(("USA",), span)["inflation_pct"][:, tail]
        value = float(_mean_last(us)[0])
    except NotFoundError:
        value = float("nan")
    if np.isfinite(value):
        return (
            value,
            f"IMF WEO Oct 2025, United States mean CPI inflation {last_weo - 4}-{last_weo}",
        )
    return US_INFLATION_FALLBACK_PCT, (
        "assumed 2% (US Federal Reserve longer-run goal): the installed pack has no "
        "United States inflation series"
    )
