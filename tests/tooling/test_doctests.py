"""Every docstring example in ``socialcover`` runs (the ``Examples`` sections).

Each module whose source holds an example is imported, its examples found with
:class:`doctest.DocTestFinder` and run in a temporary working folder, with the fictional demo
country (Demoland, ``XDM``) installed in an empty socialcover home: an example that needs
data queries Demoland; one that needs survey microdata uses
:func:`socialcover.testing.synthetic_survey`. An example that cannot run here is marked
``# doctest: +SKIP``, with the reason in the docstring's text.
"""

from __future__ import annotations

import doctest
import importlib
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

import socialcover

SRC = Path(socialcover.__file__).parent
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
NOT_IMPORTABLE = {
    "socialcover.store.migrations.env": "Alembic's environment script, run only by Alembic",
}


def _modules_with_examples() -> list[str]:
    names = []
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if name not in NOT_IMPORTABLE and ">>>" in path.read_text(encoding="utf-8"):
            names.append(name)
    return names


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A socialcover home with the demo country installed, for every module's examples."""
    from socialcover.data.demo import install_demo

    home = tmp_path_factory.mktemp("doctest-home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOCIALCOVER_HOME", str(home))
        install_demo()
    return home


def test_every_module_with_examples_is_found() -> None:
    names = _modules_with_examples()
    assert {"socialcover.indicators.registry", "socialcover.survey.sample"} <= set(names)


@pytest.mark.parametrize("name", _modules_with_examples())
def test_docstring_examples_run(
    name: str, demo_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOCIALCOVER_HOME", str(demo_home))
    monkeypatch.chdir(tmp_path)
    module = importlib.import_module(name)
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    report = io.StringIO()
    for test in doctest.DocTestFinder().find(module):
        runner.run(test, out=report.write)
    assert runner.failures == 0, report.getvalue()
