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
   same N persons, from one Parquet file to result files, by a fresh Python process per tool
   and round: interpreter start, imports, reading, computing, writing (socialcover: one
   ``run_rules(rules, "persons.parquet", period, out=folder)``; OpenFisca: PyArrow reads the
   columns, ``SimulationBuilder``, ``calculate``, PyArrow writes). Each process's wall time, CPU
   time (user + sys, from ``wait4``: the machine may be shared) and peak memory; every round's
   result files are checked equal. A first, untimed run of each tool warms the page cache and
   writes socialcover's bytecode, as installing a package does (OpenFisca's is installed). The
   in-process ratio (from arrays to results, as in part 1) comes from the same run. OpenFisca
   may live in another virtual environment::

       .venv/bin/python benchmarks/microsim.py --persons --survey 0 --whole-process 10000000 \
           --repeat 5 --openfisca-python /path/to/openfisca-venv/bin/python

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


OUTPUTS = ["basic_income", "parenting_allowance"]


def whole_process_child(tool: str, path: str, out: str) -> None:
    """One fresh process (``--whole-child TOOL IN OUT``), as a user runs each tool: read the
    persons from Parquet, run the two rules, write the results to Parquet in the folder OUT
    (``persons.parquet``: basic_income in the input's order; ``households.parquet``: hh_id and
    parenting_allowance). Prints its stage times and peak memory as JSON."""
    t0, c0 = time.perf_counter(), time.process_time()
    stages: dict[str, float] = {}
    if tool == "socialcover":
        from socialcover.microsim import load_rules, run_rules

        stages["imports_s"] = time.perf_counter() - t0
        t1 = time.perf_counter()
        run_rules(load_rules(text=RULES), path, PERIOD, outputs=OUTPUTS, out=out)
        stages["run_rules_s"] = time.perf_counter() - t1
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        stages["imports_s"] = time.perf_counter() - t0  # OpenFisca's own: in run_openfisca
        t1 = time.perf_counter()
        table = pq.read_table(path, columns=["hh_id", "age", "salary", "role"])
        people = {name: table[name].to_numpy() for name in ("hh_id", "age", "salary")}
        people["role"] = table["role"].cast("string").to_numpy(zero_copy_only=False)
        del table
        stages["read_s"] = time.perf_counter() - t1
        t2 = time.perf_counter()
        from openfisca_core.simulation_builder import SimulationBuilder  # noqa: F401
        from openfisca_country_template import CountryTaxBenefitSystem  # noqa: F401

        stages["imports_s"] += time.perf_counter() - t2
        compute_s, of = run_openfisca(people)
        stages["compute_s"] = compute_s  # from arrays to results, as in part 1
        t3 = time.perf_counter()
        os.makedirs(out, exist_ok=True)
        pq.write_table(pa.table({"basic_income": of["basic_income"]}), f"{out}/persons.parquet")
        households = {
            "hh_id": np.arange(len(of["parenting_allowance"]), dtype=np.int64),
            "parenting_allowance": of["parenting_allowance"],
        }
        pq.write_table(pa.table(households), f"{out}/households.parquet")
        stages["write_s"] = time.perf_counter() - t3
    stages["in_process_cpu_s"] = time.process_time() - c0
    print(json.dumps({**stages, "max_rss_mb": _peak_memory_mb()}), flush=True)


def _peak_memory_mb() -> float:
    """This process's peak resident memory. Linux's ``ru_maxrss`` keeps the high-water mark
    of the process that forked it across ``exec`` (the benchmark, holding the population), so
    the kernel's per-image ``VmHWM`` is read where there is one."""
    import resource

    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _same_results(sc_out: str, of_out: str, n_households: int) -> None:
    """The two tools' files agree person by person and household by household (socialcover's
    amounts are yearly, OpenFisca's monthly: 12 x)."""
    import pyarrow.parquet as pq

    def col(folder: str, name: str, column: str) -> np.ndarray[Any, Any]:
        arr = pq.read_table(f"{folder}/{name}.parquet", columns=[column])[column]
        return np.asarray(arr.to_numpy())

    sc_p, of_p = col(sc_out, "persons", "basic_income"), col(of_out, "persons", "basic_income")
    assert np.array_equal(sc_p, 12 * of_p.astype(np.float64)), "basic_income differs"
    sc_ids = col(sc_out, "households", "hh_id")
    assert np.array_equal(sc_ids, np.arange(n_households)), "households differ"
    sc_h = col(sc_out, "households", "parenting_allowance")
    of_h = col(of_out, "households", "parenting_allowance")
    assert np.array_equal(sc_h, 12 * of_h.astype(np.float64)), "parenting_allowance differs"


def _timed_child(cmd: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run ``cmd`` as a fresh process: its JSON line, wall time and CPU time (user + sys of
    the process and its threads, from ``wait4``)."""
    import subprocess
    import tempfile

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            raise RuntimeError(f"{cmd} failed:\n{err.read().decode()}")
        result: dict[str, Any] = json.loads(out.read().decode().strip().splitlines()[-1])
    result["process_s"] = wall
    result["cpu_s"] = usage.ru_utime + usage.ru_stime
    return result


def bench_whole_process(n: int, repeat: int, openfisca_python: str) -> None:
    """Each tool in fresh processes on the same Parquet file, ``repeat`` interleaved rounds;
    every round's result files are checked equal. With the in-process ratio of the same rules
    from arrays (socialcover timed here, OpenFisca inside its process)."""
    import sys
    import tempfile

    import pyarrow as pa
    import pyarrow.parquet as pq

    people = population(n)
    n_households = int(people["hh_id"].max()) + 1
    role = people.pop("role")
    columns: dict[str, Any] = dict(people)
    columns["role"] = pa.DictionaryArray.from_arrays(
        pa.array((role != "adult").astype(np.int8)), pa.array(["adult", "child"])
    )
    people["role"] = role
    here = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")
    runs: dict[str, list[dict[str, Any]]] = {"socialcover": [], "openfisca": []}
    in_process: list[float] = []
    run_socialcover(population(1_000, seed=2))  # warm-up for the in-process timing
    with tempfile.TemporaryDirectory() as tmp:
        # Python compiles a module's source on every import when it may not write bytecode
        # (PYTHONDONTWRITEBYTECODE, as on the development machine); an installed package has
        # its bytecode, as OpenFisca's has in its environment (pip compiles at install). An
        # untimed first run of each tool writes socialcover's to a cache of its own.
        sc_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        sc_env.update(PYTHONPATH=here, PYTHONPYCACHEPREFIX=os.path.join(tmp, "pycache"))
        path = os.path.join(tmp, "persons.parquet")
        pq.write_table(pa.table(columns), path)
        del columns
        for tool in runs:
            python = sys.executable if tool == "socialcover" else openfisca_python
            cmd = [python, __file__, "--whole-child", tool, path, os.path.join(tmp, "warm-up")]
            _timed_child(cmd, sc_env if tool == "socialcover" else None)
        for r in range(repeat):
            order = list(runs) if r % 2 == 0 else list(reversed(runs))
            outs = {t: os.path.join(tmp, f"{t}-{r}") for t in runs}
            for tool in order:
                python = sys.executable if tool == "socialcover" else openfisca_python
                cmd = [python, __file__, "--whole-child", tool, path, outs[tool]]
                runs[tool].append(_timed_child(cmd, sc_env if tool == "socialcover" else None))
            _same_results(outs["socialcover"], outs["openfisca"], n_households)
            t_sc, _ = run_socialcover(people)
            in_process.append(t_sc)
    keys = ("process_s", "cpu_s", "max_rss_mb", "imports_s")
    med = {t: {k: float(np.median([x[k] for x in rs])) for k in keys} for t, rs in runs.items()}
    med["openfisca"]["compute_s"] = float(np.median([x["compute_s"] for x in runs["openfisca"]]))
    med["socialcover"]["run_rules_s"] = float(
        np.median([x["run_rules_s"] for x in runs["socialcover"]])
    )
    med["socialcover"]["in_process_s"] = float(np.median(in_process))
    sc, of = med["socialcover"], med["openfisca"]
    ratio = of["process_s"] / sc["process_s"]
    ratio_cpu = of["cpu_s"] / sc["cpu_s"]
    ratio_in = of["compute_s"] / sc["in_process_s"]
    each = [
        o["process_s"] / s["process_s"]
        for s, o in zip(runs["socialcover"], runs["openfisca"], strict=True)
    ]
    print(
        f"whole process, {n:,} persons, Parquet in and out, medians of {repeat} interleaved "
        "rounds, result files equal in every round:\n"
        f"    socialcover  {sc['process_s']:6.2f} s wall  {sc['cpu_s']:6.2f} s CPU  "
        f"{sc['max_rss_mb']:6.0f} MB peak  (imports {sc['imports_s']:.2f} s, "
        f"run_rules() reading, computing, writing {sc['run_rules_s']:.2f} s)\n"
        f"    OpenFisca    {of['process_s']:6.2f} s wall  {of['cpu_s']:6.2f} s CPU  "
        f"{of['max_rss_mb']:6.0f} MB peak  (imports {of['imports_s']:.2f} s, "
        f"from arrays to results {of['compute_s']:.2f} s)\n"
        f"    ratio: whole process {ratio:.1f}x wall (rounds: "
        f"{', '.join(f'{x:.1f}' for x in each)}), {ratio_cpu:.1f}x CPU; in process, from "
        f"arrays to results, {ratio_in:.1f}x ({of['compute_s']:.2f} s / "
        f"{sc['in_process_s']:.2f} s); peak memory {sc['max_rss_mb']:.0f} MB vs "
        f"{of['max_rss_mb']:.0f} MB",
        flush=True,
    )
    RESULTS["whole_process"] = {
        "persons": n,
        "rounds": repeat,
        **{t: {k: round(v, 3) for k, v in m.items()} for t, m in med.items()},
        "ratio": round(ratio, 2),
        "ratio_cpu": round(ratio_cpu, 2),
        "ratio_in_process": round(ratio_in, 2),
        "ratio_each_round": [round(x, 2) for x in each],
        "results_identical": True,
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
    ap.add_argument("--whole-child", nargs=3, help=argparse.SUPPRESS)
    ap.add_argument(
        "--openfisca-python",
        default=None,
        help="the Python that has OpenFisca installed, for the whole-process comparison "
        "(default: this one), e.g. a separate virtual environment's bin/python",
    )
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
        import sys

        bench_whole_process(
            args.whole_process, args.repeat, args.openfisca_python or sys.executable
        )
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
