"""Public names of ``socialcover.survey`` whose modules load on first use stay what they are.

A module loaded lazily becomes an attribute of the package under its own name: a public name
equal to a module's (``ratios``) must not turn into the module, whichever import comes first.
"""

from __future__ import annotations

import subprocess
import sys


def test_lazy_names_resolve_to_the_functions_whatever_is_imported_first() -> None:
    code = (
        "import socialcover.survey.ratios, socialcover.survey.gini, "
        "socialcover.survey.quantile_search\n"
        "from socialcover.survey import ratios, gini_linearised, locate_windows, Linearised\n"
        "import socialcover.survey as s\n"
        "assert callable(ratios) and not isinstance(ratios, type(s)), ratios\n"
        "assert all(callable(getattr(s, n)) for n in s.__all__), "
        "[n for n in s.__all__ if not callable(getattr(s, n))]\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_a_mean_does_not_load_the_gini_nor_pyarrow() -> None:
    code = (
        "import sys, polars as pl\n"
        "from socialcover.survey import Design, Sample\n"
        "import tempfile, os\n"
        "p = os.path.join(tempfile.mkdtemp(), 'd.parquet')\n"
        "pl.DataFrame({'w': [1.0, 2.0, 1.5], 'g': [1, 1, 2], 'y': [1.0, 2.0, 3.0]})"
        ".write_parquet(p)\n"
        "loaded = [m for m in ('pyarrow', 'socialcover.survey.gini', "
        "'socialcover.survey.quantile', 'socialcover.survey.calibrate') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
        "Sample(p, Design(weights='w')).mean('y', by='g').to_polars()\n"
        "loaded = [m for m in ('pyarrow', 'socialcover.survey.gini', "
        "'socialcover.survey.quantile') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
