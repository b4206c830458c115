"""Benchmark: socialcover microsimulation against OpenFisca-Core on the same rule and people.

Two parts, run as a script (not a test)::

    .venv/bin/python benchmarks/microsim.py                     # 1M and 10M persons
    .venv/bin/python benchmarks/microsim.py --persons 1000000 --survey 1000000

1. **Rules engine vs OpenFisca.** The OpenFisca country template's ``basic_income`` (person:
   600 a month from the age of majority) and ``parenting_allowance`` (household: 600 a month
   when household salaries are at most 500 and a single adult has a child under 8, or any
   child is under 6), and the same rules in socialcover YAML (``RULES`` below), on the same
   population of N persons in households of 1 to 6. End to end: from NumPy arrays (generated
   once, seeded, timed apart) to results, including each tool's population building (OpenFisca:
   ``SimulationBuilder`` and ``set_input``; socialcover: an Arrow table given to ``run_rules``,
   which runs the compiled NumPy program for data in memory; its DuckDB path is timed too).
   ``--repeat`` interleaved rounds (default 3), each building everything again; medians are
   reported, with the first round's ratio. Every round's outputs are checked identical
   (socialcover pays per year: 12 x OpenFisca's month).
   Needs ``pip install -e '.[bench]'`` (openfisca-core, openfisca-country-template).

2. **Baseline + reform with SEs.** ``socialcover.microsim.simulate`` on a synthetic survey of
   the given size: rules, reform, cost, beneficiaries, FGT(0,1,2) at two lines, Gini, winners
   and losers, each with a design-based SE (``--breakdowns``: by decile, quintile and group
   too). The survey is generated once and written to Parquet; each run is a fresh process
   (``--repeat`` interleaved rounds, medians) that reads it, reporting ``simulate()``'s own
   time beside the whole process (interpreter start, imports, reading) and its peak memory
   (``ru_maxrss``). ``--before-src /path/to/other/src`` runs another revision the same way in
   the same rounds, checks its estimates equal, and prints the ratio::

       .venv/bin/python benchmarks/microsim.py --persons --before-src ../baseline/src

3. **Whole process, as a user runs it** (``--whole-process N``): the same two rules on the
   same N persons, read from one Parquet file by a fresh Python process per tool and round:
   interpreter start, imports, reading the file, building the population, computing, and
   checking the totals equal. Wall time of each process and its peak memory (``ru_maxrss``).

Timings depend on the machine; the development machine had 2 cores shared with other jobs.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import time
from typing import Any

import numpy as np

RULES = """
name: OpenFisca country template (basic income, parenting allowance)
inputs:
  salary: {unit: LCU/month, default: 0}
  role: {unit: category}
parameters:
  general.age_of_majority: {unit: years, values: {1945-01-01: 21, 1971-01-01: 18}}
  benefits.basic_income: {unit: LCU/month, values: {2015-12-01: 600}}
  benefits.parenting_allowance.amount: {unit: LCU/month, values: {2015-12-01: 600}}
  benefits.parenting_allowance.income_threshold: {unit: LCU/month, values: {2015-12-01: 500}}
variables:
  household_income: {entity: household, unit: LCU/month, formula: hh_sum(salary)}
programmes:
  basic_income:
    entity: person
    eligibility: age >= p.general.age_of_majority
    amount: annual(p.benefits.basic_income)
  parenting_allowance:
    entity: household
    eligibility: >-
      household_income <= p.benefits.parenting_allowance.income_threshold
      and ((hh_count(role == "adult") == 1 and hh_any(age < 8)) or hh_any(age < 6))
    amount: annual(p.benefits.parenting_allowance.amount)
income_before_programmes: 0
"""
PERIOD = "2024-01"


def population(n: int, seed: int = 1) -> dict[str, np.ndarray[Any, Any]]:
    """N persons in households of 1..6; ages, salaries (half zero), roles (adult from 18)."""
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 7, n // 2)
    sizes = sizes[: np.searchsorted(np.cumsum(sizes), n) + 1]
    hh = np.repeat(np.arange(len(sizes)), sizes)[:n]
    age = rng.integers(0, 90, n)
    salary = np.where(rng.random(n) < 0.5, 0.0, np.round(rng.exponential(400, n), 2))
    return {
        "person_id": np.arange(n, dtype=np.int64),
        "hh_id": hh.astype(np.int64),
        "age": age.astype(np.int64),
        "salary": salary,
        "role": np.where(age >= 18, "adult", "child"),
    }


def run_socialcover(
    people: dict[str, np.ndarray[Any, Any]], backend: str = "auto"
) -> tuple[float, dict[str, Any]]:
    import pyarrow as pa

    from socialcover.microsim import load_rules, run_rules

    t0 = time.perf_counter()  # imports above are outside the timing, as for OpenFisca
    rules = load_rules(text=RULES)
    # The population as Arrow columns; the role is a dictionary (categorical) column, as survey
    # files hold coded variables.
    role = people["role"]
    columns = {k: v for k, v in people.items() if k != "role"}
    columns["role"] = pa.DictionaryArray.from_arrays(
        pa.array((role != "adult").astype(np.int8)), pa.array(["adult", "child"])
    )
    # In memory, run_rules compiles the rules to a NumPy program ("auto"); backend="duckdb"
    # runs the compiled SQL (persons and households as two queries, see split_query.py).
    out = run_rules(
        rules,
        pa.table(columns),
        PERIOD,
        outputs=["basic_income", "parenting_allowance"],
        backend=backend,
    )
    # persons: one row per person, in input order; households: one row per household
    return time.perf_counter() - t0, {"persons": out.persons, "households": out.households}


def run_openfisca(people: dict[str, np.ndarray[Any, Any]]) -> tuple[float, dict[str, Any]]:
    from openfisca_core.simulation_builder import SimulationBuilder
    from openfisca_country_template import CountryTaxBenefitSystem

    t0 = time.perf_counter()  # building the tax-benefit system (parameters) is included
    tbs = CountryTaxBenefitSystem()
    n = len(people["age"])
    hh = people["hh_id"]
    n_hh = int(hh.max()) + 1
    builder = SimulationBuilder()
    builder.create_entities(tbs)
    builder.declare_person_entity("person", np.arange(n))
    household = builder.declare_entity("household", np.arange(n_hh))
    roles = np.where(people["role"] == "adult", "adult", "child")
    builder.join_with_persons(household, hh, roles)
    sim = builder.build(tbs)
    sim.set_input("age", PERIOD, people["age"])
    sim.set_input("salary", PERIOD, people["salary"])
    bi = sim.calculate("basic_income", PERIOD)
    pa = sim.calculate("parenting_allowance", PERIOD)
    return time.perf_counter() - t0, {"basic_income": bi, "parenting_allowance": pa}


def compare(sc: dict[str, Any], of: dict[str, Any], hh: np.ndarray[Any, Any]) -> None:
    """Identical outputs, person by person and household by household: socialcover's yearly
    amounts are 12 x OpenFisca's monthly ones."""
    persons = {k: sc["persons"][k].to_numpy() for k in sc["persons"].columns}
    households = {k: sc["households"][k].to_numpy() for k in sc["households"].columns}
    assert len(persons["basic_income"]) == len(hh), "persons differ"
    # persons come in input order: compared position by position
    assert np.array_equal(persons["basic_income"], 12 * of["basic_income"]), "basic_income"
    h_order = np.argsort(households["hh_id"])
    assert np.array_equal(households["hh_id"][h_order], np.arange(int(hh.max()) + 1))
    assert np.array_equal(
        households["parenting_allowance"][h_order], 12 * of["parenting_allowance"]
    ), "parenting_allowance differs"


RESULTS: dict[str, Any] = {"rules_vs_openfisca": [], "simulate": None, "whole_process": None}


def bench_rules(n: int, skip_openfisca: bool, repeat: int) -> None:
    """``repeat`` interleaved rounds (socialcover, its DuckDB path, OpenFisca), each from the
    same NumPy arrays and each building everything again; medians reported, first round too."""
    t0 = time.perf_counter()
    people = population(n)
    t_pop = time.perf_counter() - t0
    times: dict[str, list[float]] = {"sc": [], "db": [], "of": []}
    for _ in range(repeat):
        t_sc, sc = run_socialcover(people)  # the default for data in memory: the NumPy program
        t_db, db = run_socialcover(people, backend="duckdb")  # the compiled SQL, same round
        times["sc"].append(t_sc)
        times["db"].append(t_db)
        if skip_openfisca:
            continue
        try:
            t_of, of = run_openfisca(people)
        except ImportError:
            print("OpenFisca not installed (pip install -e '.[bench]')", flush=True)
            skip_openfisca = True
            continue
        times["of"].append(t_of)
        compare(sc, of, people["hh_id"])  # every round's outputs are checked
        compare(db, of, people["hh_id"])
        del sc, db, of
    med = {k: float(np.median(v)) for k, v in times.items() if v}
    line = (
        f"{n:>11,} persons  arrays {t_pop:6.2f} s  socialcover {med['sc']:6.2f} s "
        f"(DuckDB path {med['db']:6.2f} s)"
    )
    if "of" not in med:
        print(line, flush=True)
        return
    t_sc, t_db, t_of = med["sc"], med["db"], med["of"]
    first = times["of"][0] / times["sc"][0]
    RESULTS["rules_vs_openfisca"].append(
        {
            "persons": n,
            "rounds": repeat,
            "arrays_s": round(t_pop, 3),
            "socialcover_s": round(t_sc, 3),
            "socialcover_duckdb_s": round(t_db, 3),
            "openfisca_s": round(t_of, 3),
            "ratio": round(t_of / t_sc, 2),
            "ratio_duckdb": round(t_of / t_db, 2),
            "ratio_end_to_end": round((t_pop + t_of) / (t_pop + t_sc), 2),
            "first_round": {k: round(v[0], 3) for k, v in times.items()},
            "ratio_first_round": round(first, 2),
            "outputs_identical": True,
        }
    )
    print(
        f"{line}  OpenFisca {t_of:6.2f} s  ratio {t_of / t_sc:5.1f}x "
        f"(DuckDB path {t_of / t_db:4.1f}x; first round {first:4.1f}x; counting the arrays "
        f"for both {(t_pop + t_of) / (t_pop + t_sc):4.1f}x)  medians of {repeat}, "
        "outputs identical in every round",
        flush=True,
    )


SIMULATE = {
    "rules": "docs/examples/microsim/means_tested_transfer.yaml",
    "period": 2025,
    "reform": {"parameters": {"transfer.withdrawal_rate": 0.3}},
    "lines": {"national": "poverty_line", "international": 3.0 * 365 * 20},
}


def simulate_child(path: str, breakdowns: bool) -> None:
    """One process, one run (the ``--child`` mode): read the survey, simulate, report as JSON.

    Run with the PYTHONPATH of the code under test; prints its timings, its own peak memory
    (``ru_maxrss``) and the estimates checked against the other version's.
    """
    import resource

    t0 = time.perf_counter()
    import polars as pl

    # some revisions import the survey package lazily, inside simulate(): imported here for all
    import socialcover.survey
    from socialcover.microsim import measure_impact, simulate

    t_import = time.perf_counter() - t0
    t1 = time.perf_counter()
    survey = pl.read_parquet(path)
    t_read = time.perf_counter() - t1
    t2 = time.perf_counter()
    result = simulate(
        SIMULATE["rules"],
        survey,
        period=SIMULATE["period"],
        reform=SIMULATE["reform"],
        lines=SIMULATE["lines"],
        breakdowns=False,
    )
    t_sim = time.perf_counter() - t2
    t_full = None
    if breakdowns:
        t3 = time.perf_counter()
        measure_impact(result.run, lines={"national": "poverty_line"}, breakdowns=True)
        t_full = time.perf_counter() - t3
    out = {
        "source": socialcover.__file__,
        "import_s": t_import,
        "read_s": t_read,
        "simulate_s": t_sim,
        "breakdowns_s": t_full,
        "estimates": result.impact.table.height,
        "total": result.to_dict()["total"],
        # Linux reports KiB
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    print(json.dumps(out), flush=True)


def _run_child(src: str, path: str, breakdowns: bool) -> dict[str, Any]:
    import subprocess
    import sys

    cmd = [sys.executable, __file__, "--child", path, *(["--breakdowns"] if breakdowns else [])]
    env = {**os.environ, "PYTHONPATH": src}
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t0
    out: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    out["process_s"] = wall
    return out


def _same_estimates(a: dict[str, Any], b: dict[str, Any]) -> None:
    for scenario, block in a.items():
        for key, value in block.items():
            for part in ("estimate", "se"):
                x, y = value[part], b[scenario][key][part]
                assert abs(x - y) <= 1e-9 * max(abs(x), abs(y), 1e-300), (scenario, key, x, y)


def bench_simulate(n: int, repeat: int, before_src: str | None, breakdowns: bool) -> None:
    """``simulate()`` on one synthetic survey, in fresh processes: this code and, with
    ``before_src``, another revision on the same file, in interleaved rounds; medians."""
    import tempfile

    from socialcover.testing import synthetic_survey

    here = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")
    versions = {"after": here, **({"before": before_src} if before_src else {})}
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "survey.parquet")
        t0 = time.perf_counter()
        synthetic_survey(n, seed=3).write_parquet(path)
        t_gen = time.perf_counter() - t0
        runs: dict[str, list[dict[str, Any]]] = {v: [] for v in versions}
        for r in range(repeat):
            order = list(versions) if r % 2 == 0 else list(reversed(versions))
            for v in order:
                runs[v].append(_run_child(versions[v], path, breakdowns))
        for v in versions:
            for run in runs[v]:
                _same_estimates(runs["after"][0]["total"], run["total"])
    keys = ("process_s", "import_s", "read_s", "simulate_s", "breakdowns_s", "max_rss_mb")
    med = {
        v: {k: float(np.median([x[k] for x in rs])) for k in keys if rs[0][k] is not None}
        for v, rs in runs.items()
    }
    print(
        f"simulate: {n:,} persons (survey generated once in {t_gen:.1f} s, read from Parquet "
        f"by each process); medians of {repeat} interleaved rounds, estimates identical",
        flush=True,
    )
    for v, m in med.items():
        extra = f"  breakdowns {m['breakdowns_s']:6.2f} s" if "breakdowns_s" in m else ""
        print(
            f"    {v:6}  simulate() {m['simulate_s']:6.2f} s  whole process "
            f"{m['process_s']:6.2f} s (imports {m['import_s']:.2f} s, reading "
            f"{m['read_s']:.2f} s)  peak memory {m['max_rss_mb']:6.0f} MB{extra}",
            flush=True,
        )
    record: dict[str, Any] = {
        "persons": n,
        "rounds": repeat,
        "estimates": runs["after"][0]["estimates"],
        **{v: {k: round(x, 3) for k, x in m.items()} for v, m in med.items()},
    }
    if "before" in med:
        b, a = med["before"], med["after"]
        record["ratio_simulate"] = round(b["simulate_s"] / a["simulate_s"], 2)
        record["ratio_process"] = round(b["process_s"] / a["process_s"], 2)
        firsts = [
            rb["simulate_s"] / ra["simulate_s"]
            for rb, ra in zip(runs["before"], runs["after"], strict=True)
        ]
        record["ratio_simulate_each_round"] = [round(x, 2) for x in firsts]
        line = (
            f"    ratio before/after: simulate() {record['ratio_simulate']:.2f}x "
            f"(rounds: {', '.join(f'{x:.2f}' for x in firsts)}), whole process "
            f"{record['ratio_process']:.2f}x"
        )
        if "breakdowns_s" in a:
            record["ratio_breakdowns"] = round(b["breakdowns_s"] / a["breakdowns_s"], 2)
            line += f", breakdowns {record['ratio_breakdowns']:.2f}x"
        print(line, flush=True)
    RESULTS["simulate"] = record


def whole_process_child(tool: str, path: str) -> None:
    """One fresh process (``--whole-child TOOL``): read the persons, run the two rules with
    ``tool``, print the yearly totals and the peak memory as JSON."""
    import resource

    import pyarrow.parquet as pq

    table = pq.read_table(path)
    if tool == "socialcover":
        from socialcover.microsim import load_rules, run_rules

        out = run_rules(
            load_rules(text=RULES),
            table,
            PERIOD,
            outputs=["basic_income", "parenting_allowance"],
        )
        totals = {
            "basic_income": float(out.persons["basic_income"].to_numpy().sum()),
            "parenting_allowance": float(out.households["parenting_allowance"].to_numpy().sum()),
        }
    else:
        people = {name: table[name].to_numpy() for name in ("hh_id", "age", "salary")}
        people["role"] = table["role"].cast("string").to_numpy(zero_copy_only=False)
        _, of = run_openfisca(people)
        totals = {k: float(12 * v.astype(np.float64).sum()) for k, v in of.items()}
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"totals": totals, "max_rss_mb": rss}), flush=True)


def bench_whole_process(n: int, repeat: int) -> None:
    """Each tool in fresh processes on the same Parquet file, ``repeat`` interleaved rounds."""
    import subprocess
    import sys
    import tempfile

    import pyarrow as pa
    import pyarrow.parquet as pq

    people = population(n)
    role = people.pop("role")
    columns: dict[str, Any] = dict(people)
    columns["role"] = pa.DictionaryArray.from_arrays(
        pa.array((role != "adult").astype(np.int8)), pa.array(["adult", "child"])
    )
    runs: dict[str, list[dict[str, Any]]] = {"socialcover": [], "openfisca": []}
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "persons.parquet")
        pq.write_table(pa.table(columns), path)
        for r in range(repeat):
            order = list(runs) if r % 2 == 0 else list(reversed(runs))
            for tool in order:
                cmd = [sys.executable, __file__, "--whole-child", tool, path]
                t0 = time.perf_counter()
                done = subprocess.run(cmd, capture_output=True, text=True, check=True)
                out = json.loads(done.stdout.strip().splitlines()[-1])
                out["process_s"] = time.perf_counter() - t0
                runs[tool].append(out)
    for a, b in zip(runs["socialcover"], runs["openfisca"], strict=True):
        for k, x in a["totals"].items():
            assert abs(x - b["totals"][k]) <= 1e-9 * max(abs(x), 1.0), (k, x, b["totals"][k])
    med = {
        t: {k: float(np.median([x[k] for x in rs])) for k in ("process_s", "max_rss_mb")}
        for t, rs in runs.items()
    }
    ratio = med["openfisca"]["process_s"] / med["socialcover"]["process_s"]
    each = [
        o["process_s"] / s["process_s"]
        for s, o in zip(runs["socialcover"], runs["openfisca"], strict=True)
    ]
    print(
        f"whole process, {n:,} persons from Parquet: socialcover "
        f"{med['socialcover']['process_s']:.2f} s ({med['socialcover']['max_rss_mb']:.0f} MB)"
        f"  OpenFisca {med['openfisca']['process_s']:.2f} s "
        f"({med['openfisca']['max_rss_mb']:.0f} MB)  ratio {ratio:.1f}x "
        f"(rounds: {', '.join(f'{x:.1f}' for x in each)}); totals equal in every round",
        flush=True,
    )
    RESULTS["whole_process"] = {
        "persons": n,
        "rounds": repeat,
        **{t: {k: round(v, 3) for k, v in m.items()} for t, m in med.items()},
        "ratio": round(ratio, 2),
        "ratio_each_round": [round(x, 2) for x in each],
    }


def warm_up(skip_openfisca: bool) -> None:
    """Run both engines once on a tiny population: lazy imports and first-call set-up (Arrow
    kernels, DuckDB, OpenFisca's parameter tree) are not what is being measured."""
    tiny = population(1_000, seed=2)
    run_socialcover(tiny)
    run_socialcover(tiny, backend="duckdb")
    if not skip_openfisca:
        with contextlib.suppress(ImportError):
            run_openfisca(tiny)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--persons", type=int, nargs="*", default=[1_000_000, 10_000_000])
    ap.add_argument(
        "--survey",
        type=int,
        default=1_000_000,
        help="persons in the survey for the baseline+reform run (0 to skip)",
    )
    ap.add_argument("--skip-openfisca", action="store_true")
    ap.add_argument(
        "--repeat", type=int, default=3, help="interleaved rounds per size (medians reported)"
    )
    ap.add_argument(
        "--before-src",
        help="the src directory of another revision (e.g. ../baseline/src): simulate() is "
        "timed there too, in the same run, on the same survey",
    )
    ap.add_argument(
        "--breakdowns",
        action="store_true",
        help="also time the impact with deciles, quintiles and groups",
    )
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--whole-child", nargs=2, help=argparse.SUPPRESS)
    ap.add_argument(
        "--whole-process",
        type=int,
        default=0,
        help="persons for the whole-process comparison with OpenFisca (0 to skip)",
    )
    ap.add_argument(
        "--save",
        help="write the results as JSON (e.g. benchmarks/baselines/microsim.json); a part "
        "not run keeps its figures from the file",
    )
    args = ap.parse_args()
    if args.child:
        simulate_child(args.child, args.breakdowns)
        return
    if args.whole_child:
        whole_process_child(*args.whole_child)
        return
    load_start = _load()
    if args.persons:
        warm_up(args.skip_openfisca)
    for n in args.persons:
        bench_rules(n, args.skip_openfisca, args.repeat)
    if args.persons:
        RESULTS["machine"] = _machine(load_start)
    if args.whole_process:
        bench_whole_process(args.whole_process, args.repeat)
        RESULTS["whole_process"]["machine"] = _machine(load_start)
    if args.survey:
        bench_simulate(args.survey, args.repeat, args.before_src, args.breakdowns)
        RESULTS["simulate"]["machine"] = _machine(load_start)
    if args.save:
        # a part not run this time keeps its figures from the file (each part has its machine)
        previous: dict[str, Any] = {}
        if os.path.exists(args.save):
            with open(args.save, encoding="utf-8") as fh:
                previous = json.load(fh)
        if not args.persons:
            for key in ("rules_vs_openfisca", "machine"):
                if key in previous:
                    RESULTS[key] = previous[key]
        if not args.survey and previous.get("simulate"):
            RESULTS["simulate"] = previous["simulate"]
        with open(args.save, "w", encoding="utf-8") as fh:
            json.dump(RESULTS, fh, indent=2)
            fh.write("\n")


def _load() -> float:
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


def _machine(load_start: float) -> str:
    return (
        f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"load average {load_start:.1f} at the start, {_load():.1f} at the end"
    )


if __name__ == "__main__":
    main()
