"""`socialcover --help` and `--version` import no command module and no numerical library.

The root lists its commands from `cli.app.COMMANDS`; a command's module is imported only when
that command runs. These tests keep the table equal to the commands, and the start-up light.
"""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys

import pytest

import socialcover
import socialcover.cli
from socialcover.cli.app import COMMANDS, load_command

HEAVY = ("numpy", "polars", "pandas", "pyarrow", "scipy", "duckdb", "sqlalchemy", "fastapi")


def _modules_after(*argv: str) -> set[str]:
    code = (
        "import sys\n"
        f"sys.argv = ['socialcover', *{list(argv)!r}]\n"
        "from socialcover.cli.app import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(done.stderr.split())


@pytest.mark.parametrize("name", list(COMMANDS))
def test_the_table_says_what_each_command_says(name: str) -> None:
    _, text = COMMANDS[name]
    command = load_command(name)
    assert command.get_short_help_str(limit=300) == text


@pytest.mark.parametrize("argv", [("--help",), ("--version",)])
def test_help_and_version_import_nothing_heavy(argv: tuple[str, ...]) -> None:
    loaded = _modules_after(*argv)
    assert not [m for m in HEAVY if m in loaded]
    assert not [
        m for m in loaded if m.startswith("socialcover.cli.") and m != "socialcover.cli.app"
    ]


def test_a_command_imports_only_its_own_module() -> None:
    loaded = _modules_after("db", "--help")
    commands = {m for m in loaded if m.startswith("socialcover.cli.")}
    assert commands == {"socialcover.cli.app", "socialcover.cli.db"}


def test_version_prints_the_package_version() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "from socialcover.cli.app import main; main()", "--version"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0
    assert done.stdout.strip() == f"socialcover {socialcover.__version__}"


def test_an_unknown_command_is_refused_with_the_nearest_names() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "from socialcover.cli.app import main; main()", "monitr"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert "No such command 'monitr'" in done.stderr
    assert "monitor" in done.stderr


def test_every_command_module_is_in_the_table() -> None:
    modules = {
        f"socialcover.cli.{info.name}" for info in pkgutil.iter_modules(socialcover.cli.__path__)
    }
    registering = {m for m in modules if hasattr(importlib.import_module(m), "register")}
    assert registering == {module for module, _ in COMMANDS.values()}
