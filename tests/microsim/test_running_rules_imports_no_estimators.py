"""Running rules imports neither the survey estimators nor SciPy (they load when an impact,
a calibration or a scheme needs them), so a script that only runs rules starts fast."""

from __future__ import annotations

import subprocess
import sys

import socialcover.microsim as microsim


def test_run_rules_alone_imports_no_estimators() -> None:
    code = (
        "import sys\n"
        "from socialcover.microsim import load_rules, run_rules\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(done.stdout.split())
    assert "scipy" not in loaded
    assert not {m for m in loaded if m.startswith("socialcover.survey")}


def test_every_public_name_loads() -> None:
    for name in microsim.__all__:
        assert getattr(microsim, name) is not None
    assert sorted(dir(microsim)) == sorted(microsim.__all__)
