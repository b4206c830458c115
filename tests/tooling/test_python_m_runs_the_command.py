"""``python -m socialcover`` answers as the ``socialcover`` command does: same version, same
commands, same coded errors with exit code 2."""

from __future__ import annotations

import subprocess
import sys

import socialcover


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "socialcover", *argv], capture_output=True, text=True, check=False
    )


def _command(*argv: str) -> subprocess.CompletedProcess[str]:
    code = "from socialcover.cli.app import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, check=False
    )


def test_version_is_the_package_version() -> None:
    done = _run("--version")
    assert done.returncode == 0
    assert done.stdout.strip() == f"socialcover {socialcover.__version__}"


def test_help_lists_the_commands_of_the_console_script() -> None:
    by_module, by_script = _run("--help"), _command("--help")
    assert by_module.returncode == by_script.returncode == 0
    assert "engagement" in by_module.stdout
    # only the program name in the usage line differs
    assert by_module.stdout.splitlines()[2:] == by_script.stdout.splitlines()[2:]


def test_a_refused_command_exits_2_with_the_nearest_names() -> None:
    by_module, by_script = _run("monitr"), _command("monitr")
    assert by_module.returncode == by_script.returncode == 2
    assert "monitor" in by_module.stderr
