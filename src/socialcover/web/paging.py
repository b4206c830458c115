"""Pagination of API lists: ``?page=`` and ``?per_page=``, with totals and the next link."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Query, Request

MAX_PER_PAGE = 500


@dataclass(frozen=True)
class Page:
    """One page of a list."""

    page: int
    per_page: int

    @property
    def offset(self) -> int:
        """Rows skipped before this page."""
        return (self.page - 1) * self.per_page

    def slice(self, rows: list[Any]) -> list[Any]:
        """This page's rows of a full list."""
        return rows[self.offset : self.offset + self.per_page]

    def meta(self, request: Request, total: int) -> dict[str, Any]:
        """Totals and links for the JSON body."""
        more = self.offset + self.per_page < total
        nxt = str(request.url.include_query_params(page=self.page + 1)) if more else None
        return {"page": self.page, "per_page": self.per_page, "total": total, "next": nxt}


def paging(
    page: int = Query(1, ge=1, le=1_000_000, description="Page number, from 1."),
    per_page: int = Query(50, ge=1, le=MAX_PER_PAGE, description="Rows per page."),
) -> Page:
    """Dependency parsing ``page`` and ``per_page``."""
    return Page(page, per_page)


def search_paging(
    page: int = Query(1, ge=1, le=10_000, description="Page number, from 1."),
    per_page: int = Query(20, ge=1, le=200, description="Hits per page (at most 200)."),
) -> Page:
    """Dependency parsing ``page`` and ``per_page`` for search results."""
    return Page(page, per_page)
