"""Shared fixtures: an isolated socialcover home per test, and the real data pack."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Rich fixes a console's width when the console is made (at import of a CLI module); under
# xdist there is no terminal, so tables would wrap at 80 columns and hide the words tests seek.
os.environ.setdefault("COLUMNS", "200")

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """With ``SOCIALCOVER_NO_SKIPS=1`` (CI), a skipped test fails instead.

    CI installs R, Chromium, Java, PostgreSQL and the data pack, so a skip there means an
    install step is missing; the R-oracle tests once skipped unnoticed that way.
    """
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("SOCIALCOVER_NO_SKIPS") == "1" and report.skipped:
        if hasattr(report, "wasxfail"):
            return
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = (
            f"skipped where nothing may skip (SOCIALCOVER_NO_SKIPS=1): {reason}\n"
            "CI installs everything the tests need: add the missing step to scripts/setup."
        )


@pytest.fixture
def sc_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty socialcover home for one test."""
    home = tmp_path / "home"
    monkeypatch.setenv("SOCIALCOVER_HOME", str(home))
    yield home


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real data pack beside the repository (skips when absent)."""
    if not (SHARED_DATA / "SOURCES.md").exists():
        pytest.skip("../shared/data is not present")
    return SHARED_DATA


_PACK_HOME: list[Path] = []  # the session's real-pack home, once installed


def pytest_runtest_setup(item: pytest.Item) -> None:
    """A test that uses the real pack finds it in ``SOCIALCOVER_HOME``, whatever ran before.

    ``installed_pack`` sets the variable once per session; a test that had monkeypatched the
    home when the pack was first installed restores the old value on teardown, and without
    this every later user of the (cached) fixture would read an empty home.
    """
    if _PACK_HOME and "installed_pack" in getattr(item, "fixturenames", ()):
        os.environ["SOCIALCOVER_HOME"] = str(_PACK_HOME[0])


@pytest.fixture(scope="session")
def installed_pack(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A socialcover home with the real pack from ../shared/data installed (once per session).

    Sets ``SOCIALCOVER_HOME`` for the whole session's process; tests that need an empty home
    use ``sc_home``, which overrides it per test.
    """
    from socialcover.data.pack import install_pack

    home = tmp_path_factory.mktemp("pack-home")
    os.environ["SOCIALCOVER_HOME"] = str(home)
    install_pack(shared_data)
    _PACK_HOME.append(home)
    return home


@pytest.fixture(scope="session")
def spark() -> Iterator[object]:
    """One SparkSession per test process, on the master CI names (local[1] otherwise).

    ``SOCIALCOVER_TEST_SPARK_MASTER`` selects it: ``spark://127.0.0.1:PORT`` (the standalone
    master and worker ``scripts/test`` starts) or ``local-cluster[2,1,1024]`` (executors in
    their own JVMs). Each test process takes one core of the cluster, so two xdist workers run
    side by side. The tests pass this session to the product (``spark=``), as a user would.
    """
    pytest.importorskip("pyspark", reason="pyspark not installed (the spark extra)")
    from pyspark.sql import SparkSession

    master = os.environ.get("SOCIALCOVER_TEST_SPARK_MASTER", "local[1]")
    builder = (
        SparkSession.builder.master(master)
        .appName("socialcover-tests")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "1g")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
    )
    if not master.startswith("local["):
        builder = builder.config("spark.cores.max", "1").config("spark.executor.memory", "768m")
    session = builder.getOrCreate()
    yield session
    session.stop()
