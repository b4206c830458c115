"""Checking the files of a data pack before anything is installed.

Each file of a pack is read once: its bytes are hashed (SHA-256, the checksum kept in the
manifest), a ``.gz`` file is decompressed whole (which checks the gzip CRC and length, so a
truncated download is caught), the header is compared with the catalog, the values are parsed
with the catalog's types, and the rows are checked for keys (missing, duplicated), signs,
ranges in the stated units, allowed codes and country codes known to UN WPP. A problem names
the file, the line (header = line 1) or column, the bad value, and how to fix it.

The idea of a complete validation before any change follows PolicyEngine's
``Reform.from_dict`` and OpenFisca's parameter validation (see STYLE.md).
"""

from __future__ import annotations

import csv
import difflib
import gzip
import hashlib
import io
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from socialcover.data.catalog import ISO3_ALIASES, DatasetSpec
from socialcover.errors import DataPackError

__all__ = [
    "CrossChecks",
    "Problem",
    "ValidatedFile",
    "check_file",
    "known_iso3_codes",
    "location_codes",
    "raise_problems",
    "read_source",
    "validate_file",
]

_MAX_LISTED = 12
#: Tolerance between the sum of 5-year age groups and the annual mid-year total (SOURCES.md:
#: the real pack agrees within 0.26%).
POPULATION_TOLERANCE = 0.01


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a pack: what (``message``), how to fix (``hint``), and where."""

    code: str
    file: str
    message: str
    hint: str
    line: int | None = None
    column: str | None = None

    def to_error(self) -> DataPackError:
        """This problem as the error the importer raises."""
        return DataPackError(
            self.message, code=self.code, hint=self.hint, file=self.file, line=self.line,
            column=self.column,
        )  # fmt: skip


class _Stop(Exception):
    """A problem that makes further checks of the same file meaningless."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


@dataclass
class ValidatedFile:
    """A file that passed every check: its frame, checksum and size."""

    spec: DatasetSpec
    frame: pl.DataFrame
    sha256: str
    size_bytes: int
    ignored_columns: tuple[str, ...] = ()


def raise_problems(problems: list[Problem], pack: Path) -> None:
    """Raise one :class:`DataPackError` for all problems (no-op when there are none)."""
    if not problems:
        return
    if len(problems) == 1:
        raise problems[0].to_error()
    listed = problems[:_MAX_LISTED]
    lines = [f"- {p.message} Fix: {p.hint}" for p in listed]
    if len(problems) > len(listed):
        lines.append(f"- ... and {len(problems) - len(listed)} more.")
    codes = {p.code for p in problems}
    raise DataPackError(
        f"The pack at {pack} has {len(problems)} problems; nothing was installed:\n"
        + "\n".join(lines),
        code=codes.pop() if len(codes) == 1 else "data.pack-invalid",
        hint="Fix each problem listed (each says how), or re-extract the pack, then import again.",
        problems=[p.__dict__ for p in problems],
    )


def read_source(spec: DatasetSpec, pack: Path) -> tuple[bytes, str, int]:
    """The CSV text of one pack file, its SHA-256 and its size in bytes.

    Raises ``_Stop`` for a missing file and for a truncated or corrupt gzip stream.
    """
    path = pack / spec.path
    if not path.is_file():
        raise _Stop(
            Problem(
                "data.pack-missing-file",
                spec.path,
                f"{spec.path}: the file is missing from the pack at {pack}.",
                f"Put the file at {path} (laid out like ../shared/data, see SOURCES.md), "
                "or fetch a complete pack with `socialcover data fetch`.",
            )
        )
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if not spec.path.endswith(".gz"):
        return _strip_bom(raw), digest, len(raw)
    try:
        return _strip_bom(gzip.decompress(raw)), digest, len(raw)
    except (EOFError, gzip.BadGzipFile, zlib.error, OSError) as exc:
        reason = (
            "is truncated (the gzip stream ends early)"
            if isinstance(exc, EOFError)
            else f"is not a valid gzip file ({exc})"
        )
        raise _Stop(
            Problem(
                "data.pack-bad-gzip",
                spec.path,
                f"{spec.path} {reason}; {len(raw):,} bytes were read.",
                "Download or copy the file again (an interrupted transfer leaves a short file); "
                f"`gzip -t {spec.path}` must succeed.",
            )
        ) from None


def _strip_bom(text: bytes) -> bytes:
    """Drop a UTF-8 byte-order mark (Excel writes one), which would glue onto the first name."""
    return text[3:] if text.startswith(b"\xef\xbb\xbf") else text


def _header(spec: DatasetSpec, text: bytes) -> list[str]:
    end = text.find(b"\n")
    first = text[: end if end >= 0 else len(text)].decode("utf-8", errors="replace")
    first = first.lstrip("\ufeff")
    return next(csv.reader([first.rstrip("\r")]), [])


def _check_header(spec: DatasetSpec, header: list[str]) -> tuple[str, ...]:
    expected = list(spec.columns)
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in spec.columns]
    if missing:
        col = missing[0]
        # One missing and one unexpected column: a rename, whatever the spelling.
        close = extra[:1] if len(extra) == len(missing) == 1 else []
        close = close or difflib.get_close_matches(col, extra, n=1, cutoff=0.5)
        renamed = f" The file has {close[0]!r} instead: was it renamed?" if close else ""
        raise _Stop(
            Problem(
                "data.pack-missing-column",
                spec.path,
                f"{spec.path}: column {col!r} is missing"
                + (
                    f" (and {len(missing) - 1} more: {', '.join(missing[1:])})"
                    if missing[1:]
                    else ""
                )
                + f".{renamed}",
                f"The header (line 1) must name the columns {', '.join(expected)}"
                + (f"; rename {close[0]!r} to {col!r}." if close else "."),
                line=1,
                column=col,
            )
        )
    dupes = sorted({c for c in header if header.count(c) > 1})
    if dupes:
        raise _Stop(
            Problem(
                "data.pack-duplicate-column",
                spec.path,
                f"{spec.path}: column {dupes[0]!r} appears twice in the header.",
                "Keep one column of each name (line 1).",
                line=1,
                column=dupes[0],
            )
        )
    return tuple(extra)


def _locate_type_error(spec: DatasetSpec, text: bytes) -> Problem:
    """Read everything as text to find the first value that does not parse (slow path)."""
    raw = pl.read_csv(io.BytesIO(text), infer_schema_length=0, null_values=[""])
    for col, dtype in spec.columns.items():
        s = raw[col]
        if dtype == pl.Utf8:
            continue
        if dtype == pl.Boolean:
            bad = s.is_not_null() & ~s.str.to_lowercase().is_in(["true", "false"])
            expected = "True or False"
        else:
            bad = s.is_not_null() & s.cast(dtype, strict=False).is_null()
            expected = "a whole number" if dtype == pl.Int64 else "a number"
        idx = bad.arg_true()
        if len(idx):
            i = int(idx[0])
            unit = spec.units.get(col)
            unit_note = f" in {unit}" if unit else ""
            fix = f"Write {expected}{unit_note} (or leave the cell empty for no data)"
            if dtype == pl.Int64 and s[i] is not None and _is_float(str(s[i])):
                fix += "; counts are whole persons, so values in thousands must be times 1,000"
            return Problem(
                "data.pack-bad-value",
                spec.path,
                f"{spec.path}, line {i + 2}, column {col!r}: {s[i]!r} is not {expected}"
                f" ({len(idx):,} such value(s) in this column).",
                fix + ".",
                line=i + 2,
                column=col,
            )
    return Problem(
        "data.pack-unreadable",
        spec.path,
        f"{spec.path}: the file cannot be read as CSV.",
        "Check that it is UTF-8 CSV with one header row and the same number of fields per line.",
    )


def _locate_ragged_line(spec: DatasetSpec, text: bytes) -> Problem | None:
    """The first line whose number of fields differs from the header's, if any."""
    reader = csv.reader(io.StringIO(text.decode("utf-8", errors="replace"), newline=""))
    width = len(next(reader, []))
    for row in reader:
        if row and len(row) != width:
            line = reader.line_num
            return Problem(
                "data.pack-unreadable",
                spec.path,
                f"{spec.path}, line {line}: {len(row)} fields where the header has {width}.",
                "Each line needs one value per column (quote values that contain commas); "
                f"fix line {line} or re-extract the file.",
                line=line,
            )
    return None


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _parse(spec: DatasetSpec, text: bytes, header: list[str]) -> pl.DataFrame:
    try:
        frame = pl.read_csv(
            io.BytesIO(text),
            schema_overrides={c: t for c, t in spec.columns.items() if c in header},
            infer_schema_length=0,
            null_values=[""],
        )
    except (pl.exceptions.ComputeError, pl.exceptions.PolarsError) as exc:
        try:
            problem = _locate_type_error(spec, text)
        except pl.exceptions.PolarsError:
            problem = _locate_ragged_line(spec, text) or Problem(
                "data.pack-unreadable",
                spec.path,
                f"{spec.path}: the file cannot be read as CSV ({str(exc).splitlines()[0]}).",
                "Check that it is UTF-8 CSV with one header row and the same number of fields "
                "per line.",
            )
        raise _Stop(problem) from None
    return frame.select(list(spec.columns))


def _first(frame: pl.DataFrame, mask: pl.Expr) -> tuple[int, int] | None:
    """(index of the first row where ``mask`` holds, count of such rows), or None."""
    hits = frame.select(mask.fill_null(False).arg_true())
    if hits.height == 0:
        return None
    return int(hits.item(0, 0)), hits.height


def _row_checks(
    spec: DatasetSpec,
    frame: pl.DataFrame,
    known_iso3: set[str] | None,
    locations: Mapping[int, str | None] | None = None,
) -> Iterable[Problem]:
    f = spec.path
    masks: dict[str, pl.Expr] = {f"null:{c}": pl.col(c).is_null() for c in spec.key}
    masks.update({f"neg:{c}": pl.col(c) < 0 for c in spec.non_negative})
    for col, (lo, hi) in spec.ranges.items():
        masks[f"range:{col}"] = (pl.col(col) < lo) | (pl.col(col) > hi)
    for col, values in spec.allowed.items():
        masks[f"allowed:{col}"] = pl.col(col).is_not_null() & ~pl.col(col).is_in(list(values))
    if spec.unit_column is not None:
        code_col, unit_col, expected = spec.unit_column
        want = pl.col(code_col).replace_strict(expected, default=None, return_dtype=pl.Utf8)
        masks["unit"] = want.is_not_null() & (pl.col(unit_col) != want)
    if spec.iso3_column and known_iso3 is not None:
        c = pl.col(spec.iso3_column)
        masks["iso3"] = c.is_not_null() & ~c.is_in(sorted(known_iso3))
    use_locations = locations is not None and "loc_code" in frame.columns
    if use_locations and locations is not None:
        codes = pl.col("loc_code")
        masks["loc"] = codes.is_not_null() & ~codes.is_in(sorted(locations))
        if "iso3" in frame.columns:
            listed = codes.replace_strict(dict(locations), default=None, return_dtype=pl.Utf8)
            known_row = codes.is_in(sorted(locations)) & (
                pl.col("iso3").is_null() | pl.col("iso3").is_in(sorted(known_iso3 or set()))
            )
            masks["loc_iso3"] = known_row & listed.ne_missing(pl.col("iso3"))
    # One parallel pass counts every violation; the first bad row is looked up only on failure.
    counts = frame.select([m.fill_null(False).sum().alias(k) for k, m in masks.items()]).row(
        0, named=True
    )

    def first(name: str) -> tuple[int, int] | None:
        if not counts[name]:
            return None
        found = _first(frame, masks[name])
        return (found[0], int(counts[name])) if found else None

    for col in spec.key:
        hit = first(f"null:{col}")
        if hit:
            i, n = hit
            yield Problem(
                "data.pack-missing-key",
                f,
                f"{f}, line {i + 2}: key column {col!r} is empty ({n:,} row(s)).",
                f"Every row needs a value in {', '.join(spec.key)}; fill it or drop the row.",
                line=i + 2,
                column=col,
            )
            return
    dup = frame.select(pl.struct(list(spec.key)).is_duplicated().arg_true()).to_series()
    if len(dup):
        i = int(dup[0])
        key_vals = frame.row(i, named=True)
        key_text = ", ".join(f"{k}={key_vals[k]!r}" for k in spec.key)
        same = (
            frame.with_row_index("_i")
            .filter(pl.all_horizontal([pl.col(k) == key_vals[k] for k in spec.key]))
            .get_column("_i")
            .to_list()
        )
        lines = " and ".join(str(j + 2) for j in same[:2])
        yield Problem(
            "data.pack-duplicate-key",
            f,
            f"{f}: the key ({key_text}) appears twice, on lines {lines} "
            f"({len(dup):,} duplicated row(s) in all).",
            f"Keep one row per ({', '.join(spec.key)}); delete the repeated row.",
            line=same[1] + 2 if len(same) > 1 else i + 2,
            column=None,
        )
    for col in spec.non_negative:
        hit = first(f"neg:{col}")
        if hit:
            i, n = hit
            unit = spec.units.get(col, "")
            yield Problem(
                "data.pack-negative-value",
                f,
                f"{f}, line {i + 2}, column {col!r}: {frame[col][i]!r} is negative "
                f"({n:,} negative value(s)); {col}"
                + (f", in {unit}," if unit else "")
                + " cannot be below 0.",
                f"Correct the value at line {i + 2} (a sign error or a bad extract); "
                "leave the cell empty if there is no data.",
                line=i + 2,
                column=col,
            )
    for col, (lo, hi) in spec.ranges.items():
        hit = first(f"range:{col}")
        if hit:
            i, n = hit
            range_unit = spec.units.get(col)
            yield Problem(
                "data.pack-out-of-range",
                f,
                f"{f}, line {i + 2}, column {col!r}: {frame[col][i]!r} is outside "
                f"[{lo:g}, {hi:g}] ({n:,} such value(s)).",
                (f"{col} is in {range_unit}; check the unit (per person vs per 1,000, share vs %). "
                 if range_unit else "")
                + f"Correct line {i + 2} or re-extract the file.",
                line=i + 2,
                column=col,
            )  # fmt: skip
    for col, values in spec.allowed.items():
        hit = first(f"allowed:{col}")
        if hit:
            i, n = hit
            yield Problem(
                "data.pack-unknown-code",
                f,
                f"{f}, line {i + 2}, column {col!r}: {frame[col][i]!r} is not an accepted "
                f"value ({n:,} such row(s)).",
                f"Use one of: {', '.join(values)}.",
                line=i + 2,
                column=col,
            )
    if spec.unit_column is not None:
        code_col, unit_col, expected = spec.unit_column
        hit = first("unit")
        if hit:
            i, n = hit
            code = frame[code_col][i]
            yield Problem(
                "data.pack-wrong-unit",
                f,
                f"{f}, line {i + 2}: {code_col} {code!r} is stated in {frame[unit_col][i]!r}, "
                f"but the pack stores it in {expected[code]!r} ({n:,} such row(s)).",
                f"Convert the values of {code!r} to {expected[code]} and state that unit, "
                "as SOURCES.md describes.",
                line=i + 2,
                column=unit_col,
            )
    if use_locations and locations is not None:
        hit = first("loc")
        if hit:
            i, n = hit
            yield Problem(
                "data.pack-unknown-location",
                f,
                f"{f}, line {i + 2}, column 'loc_code': location {frame['loc_code'][i]} is not "
                f"in wpp2024_locations.csv ({n:,} such row(s)).",
                "Use the UN M49 codes listed in wpp2024_locations.csv, or add the location "
                "there (with its groups) if it is new.",
                line=i + 2,
                column="loc_code",
            )
        hit = first("loc_iso3") if "loc_iso3" in masks else None
        if hit:
            i, n = hit
            code = int(frame["loc_code"][i])
            yield Problem(
                "data.pack-code-mismatch",
                f,
                f"{f}, line {i + 2}: loc_code {code} is {locations[code] or 'an aggregate'} in "
                f"wpp2024_locations.csv, but iso3 says {frame['iso3'][i]!r} "
                f"({n:,} such row(s)).",
                "The loc_code and iso3 columns must name the same location: fix the row, or "
                "check that no column was shifted.",
                line=i + 2,
                column="iso3",
            )
    if spec.iso3_column and known_iso3 is not None:
        col = spec.iso3_column
        hit = first("iso3")
        if hit:
            i, n = hit
            bad = str(frame[col][i])
            close = _similar_codes(bad.upper(), known_iso3)
            dym = f" Did you mean {close[0]}?" if close else ""
            yield Problem(
                "data.pack-unknown-country",
                f,
                f"{f}, line {i + 2}, column {col!r}: country code {bad!r} is not in the WPP "
                f"locations ({n:,} such row(s)).{dym}",
                "Use ISO 3166-1 alpha-3 codes as in wpp2024_locations.csv (Kosovo is XKX); "
                "leave iso3 empty for aggregates.",
                line=i + 2,
                column=col,
            )


def _similar_codes(code: str, known: set[str]) -> list[str]:
    """Known codes one letter away from ``code`` (a typo), else difflib's closest."""
    near = sorted(
        k
        for k in known
        if len(k) == len(code) and sum(a != b for a, b in zip(k, code, strict=True)) == 1
    )
    return near or difflib.get_close_matches(code, sorted(known), n=1, cutoff=0.6)


def validate_file(spec: DatasetSpec, pack: Path, known_iso3: set[str] | None) -> ValidatedFile:
    """Read and check one file of ``pack``; raise :class:`DataPackError` on the first problems.

    Parameters
    ----------
    spec
        The file's entry in :data:`socialcover.data.catalog.DATASETS`.
    pack
        The pack folder (laid out like ``../shared/data``).
    known_iso3
        Country codes that may appear in ``spec.iso3_column`` (None: skip the check).
    """
    checked, problems = check_file(spec, pack, known_iso3)
    raise_problems(problems, pack)
    if checked is None:  # pragma: no cover - check_file returns a file or problems
        raise RuntimeError("check_file returned neither a file nor problems")
    return checked


def check_file(
    spec: DatasetSpec,
    pack: Path,
    known_iso3: set[str] | None,
    locations: Mapping[int, str | None] | None = None,
) -> tuple[ValidatedFile | None, list[Problem]]:
    """Like :func:`validate_file`, but return the problems instead of raising them."""
    try:
        text, digest, size = read_source(spec, pack)
        header = _header(spec, text)
        ignored = _check_header(spec, header)
        frame = _parse(spec, text, header)
    except _Stop as stop:
        return None, [stop.problem]
    problems = list(_row_checks(spec, frame, known_iso3, locations))
    if problems:
        return None, problems
    return ValidatedFile(spec, frame, digest, size, ignored), []


def location_codes(locations: pl.DataFrame) -> dict[int, str | None]:
    """The WPP locations as ``loc_code -> iso3`` (None for aggregates)."""
    return dict(zip(locations["loc_code"].to_list(), locations["iso3"].to_list(), strict=True))


def known_iso3_codes(locations: pl.DataFrame) -> set[str]:
    """Country codes accepted in pack files: WPP's plus the publishers' aliases."""
    codes = set(locations.get_column("iso3").drop_nulls().to_list())
    return codes | set(ISO3_ALIASES)


@dataclass
class CrossChecks:
    """Checks between files: population by age sums to the annual mid-year totals."""

    age5_sums: pl.DataFrame | None = None
    totals: pl.DataFrame | None = None
    problems: list[Problem] = field(default_factory=list)

    def observe(self, vf: ValidatedFile) -> None:
        """Keep the small summaries the cross-file checks need."""
        if vf.spec.id == "wpp_population_age5":
            self.age5_sums = vf.frame.group_by("loc_code", "year").agg(
                pl.col("population").sum().alias("sum_age5")
            )
        elif vf.spec.id == "wpp_population_total":
            self.totals = vf.frame.select("loc_code", "year", "pop_jul1", "iso3")

    def run(self) -> list[Problem]:
        """Problems found between files (empty when consistent)."""
        if self.age5_sums is None or self.totals is None:
            return []
        joined = (
            self.age5_sums.join(self.totals, on=["loc_code", "year"])
            .filter(pl.col("pop_jul1") > 0)
            .with_columns(rel=(pl.col("sum_age5") / pl.col("pop_jul1") - 1).abs())
            .filter(pl.col("rel") > POPULATION_TOLERANCE)
            .sort("rel", descending=True)
        )
        if joined.height == 0:
            return []
        r = joined.row(0, named=True)
        return [
            Problem(
                "data.pack-inconsistent",
                "wpp2024/wpp2024_population_age5_sex.csv.gz",
                f"Population by age for loc_code {r['loc_code']} ({r['iso3'] or 'aggregate'}) "
                f"in {r['year']} sums to {r['sum_age5']:,} persons, but "
                f"wpp2024_population_total_annual.csv.gz says {r['pop_jul1']:,} "
                f"({r['rel']:.1%} apart; {joined.height:,} location-years differ by more "
                f"than {POPULATION_TOLERANCE:.0%}).",
                "Both files must be in persons (not thousands) and from the same WPP edition; "
                "re-extract them together.",
                column="population",
            )
        ]
