"""A tiny labour-force-style survey with coded variables, written as Stata and SPSS files."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pandas as pd
import pyreadstat
import pytest

LABELS = {
    "sex": {1: "Male", 2: "Female"},
    "area": {1: "Urban", 2: "Rural"},
    "status": {1: "Employee", 2: "Employer", 3: "Own-account", 4: "Family worker"},
    "ilo": {1: "Employed", 2: "Unemployed", 3: "Out of labour force"},
    "ss_emp": {1: "Yes", 2: "No", 9: "Don't know"},
    "reg": {1: "Registered", 2: "Not registered"},
    "pen": {1: "Yes", 2: "No"},
}


@pytest.fixture
def coded_frame() -> pd.DataFrame:
    """Eight persons in three households, codes as a national statistics office ships them."""
    return pd.DataFrame(
        {
            "hhid": [1, 1, 1, 2, 2, 3, 3, 3],
            "pid": [11, 12, 13, 21, 22, 31, 32, 33],
            "wgt": [100.0, 100.0, 100.0, 250.0, 250.0, 80.0, 80.0, 80.0],
            "stratum": [1, 1, 1, 2, 2, 2, 2, 2],
            "ea": [10, 10, 10, 20, 20, 21, 21, 21],
            "age": [40, 38, 9, 70, 66, 30, 29, 3],
            "sex": [1, 2, 1, 1, 2, 1, 2, 2],
            "area": [1, 1, 1, 2, 2, 1, 1, 1],
            "ilo": [1, 1, None, 3, 3, 1, 1, None],
            "status": [1, 3, None, None, None, 2, 4, None],
            "ss_emp": [2, None, None, None, None, None, None, None],
            "reg": [None, 1, None, None, None, 2, None, None],
            "pen": [2, 2, 2, 1, 2, 2, 2, 2],
            "pen_amt": [0.0, 0.0, 0.0, 300.0, 0.0, 0.0, 0.0, 0.0],
            "cash_hh": [50.0, 50.0, 50.0, 0.0, 0.0, 0.0, 0.0, 0.0],
            "cons_pc": [900.0, 900.0, 900.0, 1500.0, 1500.0, 400.0, 400.0, 400.0],
        }
    )


@pytest.fixture
def dta_file(tmp_path: Path, coded_frame: pd.DataFrame) -> Path:
    path = tmp_path / "lfs.dta"
    pyreadstat.write_dta(coded_frame, str(path), variable_value_labels=LABELS)
    return path


@pytest.fixture
def sav_file(tmp_path: Path, coded_frame: pd.DataFrame) -> Path:
    path = tmp_path / "lfs.sav"
    pyreadstat.write_sav(coded_frame, str(path), variable_value_labels=LABELS)
    return path


_MAPPING = {
    "name": "Test LFS",
    "period": "month",
    "design": {"weight": "wgt", "strata": "stratum", "psu": "ea"},
    "parameters": {"pensionable_age": 65},
    "concepts": {
        "hh_id": "hhid",
        "person_id": "pid",
        "age": "age",
        "sex": {"variable": "sex", "values": {"male": ["Male"], "female": [2]}},
        "urban": {"variable": "area", "values": {"urban": [1], "rural": ["Rural"]}},
        "labour_status": {
            "variable": "ilo",
            "values": {"employed": [1], "unemployed": [2], "inactive": [3]},
        },
        "status_in_employment": {
            "variable": "status",
            "values": {
                "employee": ["Employee"],
                "employer": ["Employer"],
                "own_account": ["Own-account"],
                "contributing_family": ["Family worker"],
            },
        },
        "informal": {
            "rule": "ilo",
            "employer_contributes": {
                "variable": "ss_emp",
                "values": {1: ["Yes"], 0: ["No"]},
                "missing": ["Don't know"],
            },
            "unit_registered": {"variable": "reg", "values": {"yes": [1], "no": [2]}},
        },
        "welfare": "cons_pc",
        "poverty_line": {"value": 50},
    },
    "benefits": {
        "old_age": {
            "receives": {"variable": "pen", "values": {1: [1], 0: [2]}},
            "amount": "pen_amt",
        },
        "social_assistance": {"amount": "cash_hh", "level": "household"},
    },
}


@pytest.fixture
def mapping_dict() -> dict[str, Any]:
    """The mapping of the coded survey, as parsed YAML (a fresh copy per test)."""
    return copy.deepcopy(_MAPPING)


@pytest.fixture
def value_labels() -> dict[str, dict[Any, str]]:
    """The value labels written into the Stata and SPSS fixtures."""
    return copy.deepcopy(LABELS)  # type: ignore[arg-type]
