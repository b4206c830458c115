"""Citations: publications and practices as CSL-JSON, BibTeX and a "cite this" line.

CSL-JSON is the data format of the Citation Style Language (CSL 1.0.2 specification,
"Appendix IV - Variables"; the ``csl-data.json`` schema of citation-style-language/schema):
Zotero, Pandoc and reference managers read it. Persons are split into ``family`` and ``given``
("Ortiz, Isabel" or "Isabel Ortiz"); a record with no personal author is authored by its
publisher as an institution (``{"literal": ...}``), as ILO reports are cited.

BibTeX is written by ``bibtexparser`` from the same data, with special characters encoded for
LaTeX by ``pylatexenc``; institutions are braced so BibTeX does not split them into names. The
"cite this" line is rendered from the CSL-JSON by ``citeproc-py`` with the Harvard (Cite Them
Right) style it ships, so the line, the CSL-JSON and the BibTeX cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
import warnings
from collections.abc import Iterable, Sequence
from importlib import resources
from typing import Any

from bibtexparser import model
from bibtexparser.entrypoint import write_string
from bibtexparser.library import Library
from pylatexenc.latexencode import unicode_to_latex
from sqlalchemy.orm import Session

from socialcover.store import Practice, Publication, RecordNotFoundError

__all__ = [
    "LIBRARY_NAME",
    "bibtex_of",
    "cite_line",
    "csl_of_practice",
    "csl_of_publication",
    "csl_of_record",
    "person_of",
]

LIBRARY_NAME = "socialcover practice library"
"""The container title of a practice cited as a web page of the library."""

# publication kind -> CSL item type
_CSL_TYPE = {
    "guide": "report",
    "study": "report",
    "working_paper": "report",
    "tool": "report",
    "report": "report",
    "policy_brief": "report",
    "standard": "legislation",
}
# CSL item type -> BibTeX entry type
_BIB_TYPE = {
    "report": "techreport",
    "book": "book",
    "legislation": "misc",
    "webpage": "misc",
    "article-journal": "article",
    "chapter": "incollection",
}
_GENRE = {"working_paper": "Working paper", "policy_brief": "Policy brief", "tool": "Tool"}


def person_of(name: str) -> dict[str, str]:
    """A CSL name: ``"Ortiz, Isabel"`` or ``"Isabel Ortiz"`` -> family and given.

    Examples
    --------
    >>> person_of("Isabel Ortiz")
    {'family': 'Ortiz', 'given': 'Isabel'}
    >>> person_of("Durán-Valverde, Fabio")
    {'family': 'Durán-Valverde', 'given': 'Fabio'}
    >>> person_of("UNICEF")
    {'literal': 'UNICEF'}
    """
    name = " ".join(name.split())
    if "," in name:
        family, given = (part.strip() for part in name.split(",", 1))
        return {"family": family, "given": given}
    if " " not in name:
        return {"literal": name}
    given, family = name.rsplit(" ", 1)
    return {"family": family, "given": given}


def _issued(year: int | None) -> dict[str, Any] | None:
    return {"date-parts": [[year]]} if year else None


def csl_of_publication(p: Publication, page_url: str | None = None) -> dict[str, Any]:
    """One publication as a CSL-JSON item (only variables the CSL schema defines).

    ``page_url`` is the library page, used as the URL when the publication has none of its own.
    """
    item: dict[str, Any] = {
        "id": f"socialcover-publication-{p.id}",
        "type": _CSL_TYPE.get(p.kind, "report"),
        "title": p.title,
    }
    if p.authors:
        item["author"] = [person_of(a) for a in p.authors]
    if p.editors:
        item["editor"] = [person_of(e) for e in p.editors]
    if not p.authors and not p.editors and p.publisher:
        item["author"] = [{"literal": p.publisher}]
    if p.publisher:
        item["publisher"] = p.publisher
    issued = _issued(p.year)
    if issued:
        item["issued"] = issued
    if p.kind in _GENRE:
        item["genre"] = _GENRE[p.kind]
    if p.series:
        item["collection-title"] = p.series
    if p.series_number:
        item["collection-number"] = p.series_number
        item["number"] = p.series_number
    if p.doi:
        item["DOI"] = p.doi
    if p.isbn:
        item["ISBN"] = p.isbn
    url = p.url or page_url
    if url:
        item["URL"] = url
    item["language"] = p.language
    if p.abstract:
        item["abstract"] = p.abstract
    if p.keywords:
        item["keyword"] = ", ".join(p.keywords)
    return item


def csl_of_practice(
    p: Practice, page_url: str | None = None, as_of: dt.date | None = None
) -> dict[str, Any]:
    """One practice as a CSL-JSON ``webpage`` item of the library.

    ``issued`` is the day the practice was last verified (``as_of``), else the day it was last
    changed; the library is the container and the author.
    """
    when = as_of or (p.updated_at.date() if p.updated_at else None)
    item: dict[str, Any] = {
        "id": f"socialcover-practice-{p.id}",
        "type": "webpage",
        "title": p.title,
        "container-title": LIBRARY_NAME,
        "author": [{"literal": LIBRARY_NAME}],
        "language": p.language,
        "abstract": p.summary,
    }
    if when:
        item["issued"] = {"date-parts": [[when.year, when.month, when.day]]}
    if page_url:
        item["URL"] = page_url
    return item


def _latex(value: str) -> str:
    return str(unicode_to_latex(value, non_ascii_only=False, unknown_char_policy="keep"))


def _names(people: Sequence[dict[str, str]]) -> str:
    out = []
    for person in people:
        if "literal" in person:
            out.append("{" + _latex(person["literal"]) + "}")
        else:
            out.append(_latex(f"{person['family']}, {person['given']}"))
    return " and ".join(out)


def _cite_key(item: dict[str, Any]) -> str:
    people = item.get("author") or item.get("editor") or [{"literal": "anon"}]
    first = people[0].get("family") or people[0].get("literal", "anon")
    ascii_name = unicodedata.normalize("NFKD", first).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9]", "", ascii_name.split()[0] if ascii_name.split() else "anon")
    year = (item.get("issued") or {}).get("date-parts", [[""]])[0][0]
    number = str(item["id"]).rsplit("-", 1)[-1]
    return f"{stem.lower() or 'anon'}{year}-{number}"


def _entry(item: dict[str, Any]) -> model.Entry:
    kind = _BIB_TYPE.get(item["type"], "misc")
    fields: list[tuple[str, str]] = [("title", "{" + _latex(item["title"]) + "}")]
    if "author" in item:
        fields.append(("author", _names(item["author"])))
    if "editor" in item:
        fields.append(("editor", _names(item["editor"])))
    date_parts = (item.get("issued") or {}).get("date-parts", [[]])[0]
    if date_parts:
        fields.append(("year", str(date_parts[0])))
    if "publisher" in item:
        fields.append(
            ("institution" if kind == "techreport" else "publisher", _latex(item["publisher"]))
        )
    if "container-title" in item:
        fields.append(("howpublished", _latex(item["container-title"])))
    if "genre" in item:
        fields.append(("type", _latex(item["genre"])))
    if "collection-title" in item:
        fields.append(("series", _latex(item["collection-title"])))
    if "number" in item:
        fields.append(("number", _latex(str(item["number"]))))
    for csl, bib in (("DOI", "doi"), ("ISBN", "isbn"), ("URL", "url")):
        if csl in item:
            fields.append((bib, str(item[csl])))
    fields.append(("language", item.get("language", "en")))
    return model.Entry(kind, _cite_key(item), [model.Field(k, v) for k, v in fields])


def bibtex_of(items: Iterable[dict[str, Any]]) -> str:
    """BibTeX for CSL-JSON items (from :func:`csl_of_publication` or :func:`csl_of_practice`)."""
    library = Library()
    for item in items:
        library.add(_entry(item))
    return str(write_string(library))


@functools.cache
def _style() -> Any:
    """The Harvard (Cite Them Right) style shipped with citeproc-py, parsed once."""
    from citeproc import CitationStylesStyle

    path = resources.files("citeproc").joinpath("data/styles/harvard-cite-them-right.csl")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return CitationStylesStyle(str(path), validate=False)


def _render(item: dict[str, Any]) -> str:
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    with warnings.catch_warnings():
        # citeproc-py warns about CSL variables its bundled style does not print (abstract,
        # keyword, language); they are valid CSL and stay in the export.
        warnings.simplefilter("ignore")
        source = CiteProcJSON([{**item, "id": "item"}])
        bibliography = CitationStylesBibliography(_style(), source, formatter.plain)
        bibliography.register(Citation([CitationItem("item")]))
        entries = bibliography.bibliography()
    return " ".join(str(entries[0]).split()) if entries else str(item["title"])


def cite_line(item: dict[str, Any]) -> str:
    """The "cite this" line: the item rendered in the Harvard (Cite Them Right) style.

    citeproc-py does not suppress a variable once it has stood in for the author, so an edited
    book would name its editors twice ("Ortiz, I. (ed.) ... Edited by I. Ortiz."); the second
    mention, rendered alone from the same style, is removed.
    """
    line = _render(item)
    if item.get("editor") and not item.get("author"):
        probe = _render({"type": item["type"], "title": "-", "editor": item["editor"]})
        at = probe.find("Edited by")
        if at >= 0:
            line = line.replace(" " + probe[at:].strip(), "", 1)
    return line


def csl_of_record(
    session: Session, actor: Any, kind: str, record_id: int, base_url: str = ""
) -> dict[str, Any]:
    """The CSL-JSON item of a practice or publication the caller may see.

    ``base_url`` (e.g. ``https://library.example.org``) makes the page URL absolute; a practice
    is dated by the day it was last verified.

    Raises
    ------
    RecordNotFoundError
        An unknown ``kind`` (``citation.kind``) or no such record visible to the caller.
    """
    from socialcover.knowledge.claims import list_claims, verification_of
    from socialcover.knowledge.practices import get_practice
    from socialcover.knowledge.publications import get_publication

    if kind == "practice":
        practice = get_practice(session, actor, record_id)
        state = verification_of(practice, list_claims(session, actor, record_id))
        return csl_of_practice(practice, f"{base_url}/practices/{record_id}", state.as_of)
    if kind == "publication":
        publication = get_publication(session, actor, record_id)
        return csl_of_publication(publication, f"{base_url}/publications/{record_id}")
    raise RecordNotFoundError(
        f"Unknown record kind {kind!r} to cite.",
        code="citation.kind",
        hint="Cite a 'practice' or a 'publication'.",
    )
