"""Pagination of API lists and pages: ``?page=`` and ``?per_page=``, with totals and links.

The API puts ``page``, ``per_page``, ``total``, ``next`` and ``previous`` beside the items; a
page shows "51-100 of 177" with links to the previous and next pages that keep every other
query parameter (the filters).
"""

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
        prev = None
        if self.page > 1:
            prev = str(request.url.include_query_params(page=self._last_page_before(total)))
        return {
            "page": self.page,
            "per_page": self.per_page,
            "total": total,
            "next": nxt,
            "previous": prev,
        }

    def _last_page_before(self, total: int) -> int:
        """The previous page, or the last non-empty one when this page is past the end."""
        last = max(1, -(-total // self.per_page))
        return min(self.page - 1, last)

    def links(self, request: Request, total: int) -> dict[str, Any]:
        """What a page's pager shows: ``first``-``last`` of ``total`` and relative links.

        ``first`` and ``last`` count from 1 (both 0 when nothing is shown); ``previous`` and
        ``next`` are ``None`` at either end. Every other query parameter is kept.
        """
        shown = max(0, min(self.per_page, total - self.offset))
        first = self.offset + 1 if shown else 0

        def _to(n: int) -> str:
            url = request.url.include_query_params(page=n)
            return f"{url.path}?{url.query}"

        return {
            "first": first,
            "last": self.offset + shown if shown else 0,
            "total": total,
            "previous": _to(self._last_page_before(total)) if self.page > 1 else None,
            "next": _to(self.page + 1) if self.offset + self.per_page < total else None,
        }


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


def page_paging(
    page: int = Query(1, ge=1, le=10_000, description="Page number, from 1."),
    per_page: int = Query(50, ge=1, le=200, description="Rows per page (at most 200)."),
) -> Page:
    """Dependency parsing ``page`` and ``per_page`` for the pages that list records."""
    return Page(page, per_page)
