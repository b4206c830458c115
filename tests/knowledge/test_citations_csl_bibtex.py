"""Every starter publication and practice exports CSL-JSON and BibTeX that readers accept.

CSL-JSON is checked field by field against the variables of the CSL 1.0.2 specification
("Appendix IV - Variables", and the item types of "Appendix III - Types"), and read back by
citeproc-py; BibTeX is parsed back by bibtexparser, names and special characters included.
"""

from __future__ import annotations

from typing import Any

import bibtexparser
from bibtexparser import middlewares as mw
from sqlalchemy import select

from socialcover.knowledge import (
    bibtex_of,
    cite_line,
    csl_of_practice,
    csl_of_publication,
    seed_starter_content,
)
from socialcover.store import Practice, Publication, SystemActor, session_scope

SEED = SystemActor("system:seed")

CSL_TYPES = {
    "article", "article-journal", "article-magazine", "article-newspaper", "bill", "book",
    "broadcast", "chapter", "classic", "collection", "dataset", "document", "entry",
    "entry-dictionary", "entry-encyclopedia", "event", "figure", "graphic", "hearing",
    "interview", "legal_case", "legislation", "manuscript", "map", "motion_picture",
    "musical_score", "pamphlet", "paper-conference", "patent", "performance", "periodical",
    "personal_communication", "post", "post-weblog", "regulation", "report", "review",
    "review-book", "software", "song", "speech", "standard", "thesis", "treaty", "webpage",
}  # fmt: skip
NAME_VARS = {"author", "editor", "translator", "container-author", "collection-editor"}
DATE_VARS = {"issued", "accessed"}
NUMBER_VARS = {"collection-number", "number", "edition", "volume", "issue", "number-of-pages"}
STRING_VARS = {
    "title", "container-title", "collection-title", "publisher", "publisher-place", "genre",
    "DOI", "ISBN", "ISSN", "URL", "language", "abstract", "keyword", "note", "page",
}  # fmt: skip


def _check_csl(item: dict[str, Any]) -> None:
    assert isinstance(item["id"], str | int) and item["type"] in CSL_TYPES, item
    for key, value in item.items():
        if key in ("id", "type"):
            continue
        if key in NAME_VARS:
            assert isinstance(value, list) and value, key
            for name in value:
                assert set(name) <= {"family", "given", "literal"}, name
                assert ("literal" in name) != ("family" in name), name
                assert all(isinstance(v, str) and v for v in name.values()), name
        elif key in DATE_VARS:
            parts = value["date-parts"]
            assert set(value) == {"date-parts"} and len(parts) == 1 and 1 <= len(parts[0]) <= 3
            assert all(isinstance(p, int) for p in parts[0])
        elif key in NUMBER_VARS:
            assert isinstance(value, str | int), key
        else:
            assert key in STRING_VARS, f"{key} is not a CSL variable"
            assert isinstance(value, str) and value, key


def _parse(bib: str) -> bibtexparser.Library:
    library = bibtexparser.parse_string(bib, append_middleware=[mw.LatexDecodingMiddleware()])
    assert not library.failed_blocks
    return library


def test_every_starter_record_exports_valid_csl_json_and_bibtex(db_url: str) -> None:
    with session_scope(SEED) as s:
        seed_starter_content(s)
    with session_scope(write=False) as s:
        items = [
            csl_of_publication(p, f"/publications/{p.id}") for p in s.scalars(select(Publication))
        ]
        items += [csl_of_practice(p, f"/practices/{p.id}") for p in s.scalars(select(Practice))]
    assert len(items) >= 40
    for item in items:
        _check_csl(item)
        line = cite_line(item)
        assert item["title"].split(":")[0] in line
    library = _parse(bibtex_of(items))
    assert len(library.entries) == len(items)
    assert len({e.key for e in library.entries}) == len(items)  # unique cite keys
    titles = {e.fields_dict["title"].value.strip("{}") for e in library.entries}
    assert titles == {i["title"] for i in items}


def test_editors_series_isbn_and_accents_survive_the_round_trip(db_url: str) -> None:
    with session_scope(SEED) as s:
        seed_starter_content(s)
    with session_scope(write=False) as s:
        book = s.scalars(
            select(Publication).where(Publication.starter_key == "reversing-pension-privatizations")
        ).one()
        paper = s.scalars(
            select(Publication).where(Publication.starter_key == "ess-42-independent-workers")
        ).one()
        csl_book, csl_paper = csl_of_publication(book), csl_of_publication(paper)
    assert "author" not in csl_book
    line = cite_line(csl_book)
    assert line.startswith("Ortiz, I. et al. (eds.) (2018) Reversing Pension Privatizations")
    assert "Edited by" not in line  # the editors are named once
    assert csl_book["editor"][1] == {"family": "Durán-Valverde", "given": "Fabio"}
    assert csl_paper["collection-title"] == "ESS Document" and csl_paper["number"] == "42"
    entries = {e.entry_type: e for e in _parse(bibtex_of([csl_book, csl_paper])).entries}
    assert entries["techreport"].fields_dict["series"].value == "ESS Document"
    eds = next(iter(_parse(bibtex_of([csl_book])).entries)).fields_dict
    assert "author" not in eds
    assert eds["editor"].value.split(" and ")[1] == "Durán-Valverde, Fabio"


def test_an_institution_is_one_braced_name_and_isbn_doi_are_exported(db_url: str) -> None:
    with session_scope(SEED) as s:
        seed_starter_content(s)
    with session_scope(write=False) as s:
        report = s.scalars(
            select(Publication).where(Publication.starter_key == "wspr-2020-22")
        ).one()
        item = csl_of_publication(report)
    assert item["author"] == [{"literal": "International Labour Office"}]
    assert item["ISBN"] == "978-92-2-031949-9"
    bib = bibtex_of([item])
    assert "author = {{International Labour Office}}" in bib
    fields = _parse(bib).entries[0].fields_dict
    assert fields["isbn"].value == "978-92-2-031949-9"
    assert "International Labour Office (2021)" in cite_line(item)
