"""Search across languages: a query's words grouped into units, each with its translations.

A curated thesaurus (``thesaurus.yaml`` beside this module) lists the terms of social
protection in English, French and Spanish by concept ("retraite", "pension", "jubilación").
:func:`expand` reads a query's folded words from left to right, takes the longest run of words
that is a term of the thesaurus (or a term with an inflectional ending of up to three letters:
"retraites", "asignaciones familiares"), and returns one :class:`QueryUnit` per run: the
query's own words (with the terms they inflect, as a stemmer would reduce them), and the other
terms of the same concepts, each to be matched as a phrase
whose words of four letters or more are matched as prefixes (a light stand-in for stemming:
"pension" finds "pensions" and "pensionnés").

Search (:mod:`socialcover.knowledge.search`) matches a unit when a document has the query's
own words or one of the alternatives, and ranks documents that have the query's own words
first.

No stemmer is used: ``snowballstemmer`` is not a dependency of socialcover, and the prefix
match with the inflection rule covers the plural and gender endings of the three languages for
the thesaurus terms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files

import yaml

from socialcover.store.search_index import fold

__all__ = ["QueryUnit", "concepts_of", "expand", "thesaurus"]

LANGUAGES = ("en", "fr", "es")
MIN_PREFIX = 4
"""Words shorter than this are matched whole ("de", "du", "age" would match too much)."""
MAX_ENDING = 3
"""Letters a query word may have beyond a thesaurus term and still be that term."""
_MAX_RUN = 5
_WORD = re.compile(r"\w+", re.UNICODE)

Phrase = tuple[str, ...]


@dataclass(frozen=True)
class QueryUnit:
    """A run of query words that must match together, and its translations.

    ``words`` are the query's own folded words (each must occur in a matching document);
    ``prefix`` says the last of them is matched as a prefix (the last word of the query, as
    typed); ``alternatives`` are the other terms of the run's concepts, folded, each a phrase
    whose words of :data:`MIN_PREFIX` letters or more are prefixes.
    """

    words: Phrase
    prefix: bool
    alternatives: tuple[Phrase, ...] = ()
    stems: tuple[Phrase, ...] = ()
    """The thesaurus terms the words are an inflection of ("retraite" for "retraites"): a
    match on them counts as a match on the query's own words."""


def _words(term: str) -> Phrase:
    return tuple(_WORD.findall(fold(term)))


@cache
def thesaurus() -> dict[str, dict[str, tuple[str, ...]]]:
    """Concept -> language -> terms, as written in ``thesaurus.yaml``.

    Examples
    --------
    >>> thesaurus()["pension"]["fr"]
    ('retraite', 'pension')
    """
    raw = yaml.safe_load(files("socialcover.knowledge").joinpath("thesaurus.yaml").read_text())
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for concept, by_lang in raw.items():
        if set(by_lang) != set(LANGUAGES):
            raise ValueError(f"thesaurus concept {concept!r} must list terms in en, fr and es")
        out[str(concept)] = {lang: tuple(str(t) for t in by_lang[lang]) for lang in LANGUAGES}
    return out


@cache
def _index() -> dict[str, list[tuple[Phrase, str]]]:
    """First word's first letters -> (term as folded words, concept)."""
    index: dict[str, list[tuple[Phrase, str]]] = {}
    for concept, by_lang in thesaurus().items():
        for terms in by_lang.values():
            for term in terms:
                words = _words(term)
                if words:
                    index.setdefault(words[0][:MIN_PREFIX], []).append((words, concept))
    return index


def _inflected(word: str, term_word: str) -> bool:
    if word == term_word:
        return True
    return (
        len(term_word) >= MIN_PREFIX
        and word.startswith(term_word)
        and len(word) - len(term_word) <= MAX_ENDING
    )


def concepts_of(words: Phrase) -> set[str]:
    """The concepts of which ``words`` (folded) is a term, allowing inflectional endings.

    Examples
    --------
    >>> sorted(concepts_of(("retraites",)))
    ['pension']
    >>> sorted(concepts_of(("asignaciones", "familiares")))
    ['child_benefit']
    """
    return {concept for _, concept in _terms_of(words)}


def _terms_of(words: Phrase) -> list[tuple[Phrase, str]]:
    if not words:
        return []
    return [
        (term, concept)
        for term, concept in _index().get(words[0][:MIN_PREFIX], [])
        if len(term) == len(words) and all(map(_inflected, words, term))
    ]


@lru_cache(maxsize=4096)
def expand(terms: tuple[str, ...]) -> tuple[QueryUnit, ...]:
    """Group a query's folded words into units and add each unit's translations.

    Parameters
    ----------
    terms
        The folded words of a query, in order (:func:`socialcover.knowledge.snippets.query_terms`).

    Examples
    --------
    >>> units = expand(("vieillesse",))
    >>> units[0].words, ("old", "age") in units[0].alternatives, ("vejez",) in units[0].alternatives
    (('vieillesse',), True, True)
    >>> [u.words for u in expand(("seguro", "social", "chile"))]
    [('seguro', 'social'), ('chile',)]
    """
    units: list[QueryUnit] = []
    i = 0
    while i < len(terms):
        for k in range(min(_MAX_RUN, len(terms) - i), 0, -1):
            run = tuple(terms[i : i + k])
            matched = _terms_of(run)
            if matched or k == 1:
                break
        concepts = {concept for _, concept in matched}
        stems = tuple(dict.fromkeys(term for term, _ in matched if term != run))
        alternatives: dict[Phrase, None] = {}
        for concept in sorted(concepts):
            for lang in LANGUAGES:
                for term in thesaurus()[concept][lang]:
                    words = _words(term)
                    if words and words != run and words not in stems:
                        alternatives[words] = None
        units.append(QueryUnit(run, i + k == len(terms), tuple(alternatives), stems))
        i += k
    return tuple(units)
