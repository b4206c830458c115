"""The knowledge library: practices (good and bad), publications and guidelines, and search."""

from socialcover.knowledge.practices import (
    PracticeInput,
    SourceRef,
    create_practice,
    delete_practice,
    get_practice,
    list_practices,
    practice_as_dict,
    publish_practice,
    return_practice,
    submit_practice,
    update_practice,
    withdraw_practice,
)
from socialcover.knowledge.search import FACETS, FacetCount, SearchHit, SearchResult, search

__all__ = [
    "FACETS",
    "FacetCount",
    "PracticeInput",
    "SearchHit",
    "SearchResult",
    "SourceRef",
    "create_practice",
    "delete_practice",
    "get_practice",
    "list_practices",
    "practice_as_dict",
    "publish_practice",
    "return_practice",
    "search",
    "submit_practice",
    "update_practice",
    "withdraw_practice",
]
