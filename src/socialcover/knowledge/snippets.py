"""Highlighted snippets: escaped text with the matched words wrapped in ``<mark>``.

Matching is accent- and case-insensitive, like the full-text index (a search for "prevision"
marks "previsión"), and is done on a folded copy of the text whose characters map back to the
original ones, so the marks land on the original spelling. Everything outside the marks is
HTML-escaped: a stored ``<script>`` comes out as text.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

__all__ = ["highlight", "query_terms", "snippet"]

_WORD = re.compile(r"\w+", re.UNICODE)


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    decomposed = unicodedata.normalize("NFKD", c)
    return "".join(x for x in decomposed if not unicodedata.combining(x)).casefold()


def query_terms(query: str) -> list[str]:
    """The folded words of a query (one-letter words dropped), in order, without repeats."""
    seen: list[str] = []
    for raw in _WORD.findall(query):
        term = "".join(_fold_char(c) for c in raw)
        if len(term) > 1 and term not in seen:
            seen.append(term)
    return seen


def _folded_with_map(text: str) -> tuple[str, list[int] | None]:
    if text.isascii():
        return text.lower(), None  # same length: positions map to themselves
    out: list[str] = []
    index: list[int] = []
    for i, c in enumerate(text):
        f = _fold_char(c)
        out.append(f)
        index.extend([i] * len(f))
    return "".join(out), index


def _spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Spans (in ``text``) of words that start with one of ``terms`` (folded; a term may be
    several words separated by spaces)."""
    if not terms:
        return []
    folded, index = _folded_with_map(text)
    # a term of several words ("old age") matches them with any ending and separator between;
    # the first term that matches at a place wins, so the query's own words (first) keep
    # their marks word by word
    alternatives = [re.escape(t).replace(r"\ ", r"\w*\W+") for t in terms]
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")\w*")
    spans: list[tuple[int, int]] = []
    for m in pattern.finditer(folded):
        if m.end() == m.start():
            continue
        if index is None:
            start, end = m.start(), m.end()
        else:
            start, end = index[m.start()], index[m.end() - 1] + 1
        if not spans or start >= spans[-1][1]:
            spans.append((start, end))
    return spans


def highlight(text: str, terms: list[str]) -> str:
    """All of ``text``, escaped, with matches of ``terms`` in ``<mark>``."""
    return _render(text, _spans(text, terms))


def _render(text: str, spans: list[tuple[int, int]]) -> str:
    out: list[str] = []
    cursor = 0
    for a, b in spans:
        out.append(html.escape(text[cursor:a]))
        out.append("<mark>" + html.escape(text[a:b]) + "</mark>")
        cursor = b
    out.append(html.escape(text[cursor:]))
    return "".join(out)


def snippet(text: str, terms: list[str], width: int = 200) -> str:
    """An escaped window of about ``width`` characters around the first match, marked.

    Examples
    --------
    >>> snippet("La previsión social <b>para todos</b>", ["prevision"])
    'La <mark>previsión</mark> social &lt;b&gt;para todos&lt;/b&gt;'
    """
    text = " ".join(text.split())
    spans = _spans(text, terms)
    if len(text) <= width:
        start, end = 0, len(text)
    else:
        first = spans[0][0] if spans else 0
        start = max(0, first - width // 3)
        if start > 0:
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < first else start
        end = min(len(text), start + width)
        if end < len(text):
            space = text.rfind(" ", start, end)
            end = space if space > start + width // 2 else end
    body = _render(
        text[start:end],
        [(a - start, b - start) for a, b in spans if a >= start and b <= end],
    )
    return ("…" if start > 0 else "") + body + ("…" if end < len(text) else "")
