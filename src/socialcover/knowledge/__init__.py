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

__all__ = [
    "PracticeInput",
    "SourceRef",
    "create_practice",
    "delete_practice",
    "get_practice",
    "list_practices",
    "practice_as_dict",
    "publish_practice",
    "return_practice",
    "submit_practice",
    "update_practice",
    "withdraw_practice",
]
