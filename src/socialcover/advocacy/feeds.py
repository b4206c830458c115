"""Feeds: the public calendar as iCalendar (RFC 5545, written by ``icalendar``) and the Atom
feed (RFC 4287, written by ``feedgen``) of publications and events.

Only what the public sees goes in a feed: published events, published publications; the
feeds are built with the anonymous reader's rights whoever asks. Links are absolute, from
``base_url`` (the site's address, ``https://example.org``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from socialcover.advocacy.events import list_events
from socialcover.knowledge import list_publications
from socialcover.store.models import utcnow

__all__ = ["atom_feed", "icalendar_feed"]

_PRODID = "-//socialcover//events//EN"


def icalendar_feed(session: Session, base_url: str, *, since: dt.datetime | None = None) -> bytes:
    """The public calendar as an iCalendar file: one ``VEVENT`` per published event (by
    default those ending in the last 365 days or later), times in UTC.

    Examples
    --------
    >>> from icalendar import Calendar
    >>> Calendar.from_ical(b"BEGIN:VCALENDAR\\r\\nVERSION:2.0\\r\\nEND:VCALENDAR\\r\\n")["VERSION"]
    vText(b'2.0')
    """
    from icalendar import Calendar
    from icalendar import Event as VEvent

    start = since if since is not None else utcnow() - dt.timedelta(days=365)
    cal = Calendar()
    cal.add("prodid", _PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "socialcover events")
    for e in list_events(session, None, since=start, limit=5000):
        item = VEvent()
        item.add("uid", f"event-{e.id}@socialcover")
        item.add("dtstamp", e.updated_at)
        item.add("dtstart", e.starts_at)
        item.add("dtend", e.ends_at)
        item.add("summary", e.title)
        if e.summary:
            item.add("description", e.summary)
        where = e.place or e.online_url or ""
        if where:
            item.add("location", where)
        item.add("url", f"{base_url.rstrip('/')}/events/{e.id}")
        item.add("categories", [e.kind])
        cal.add_component(item)
    return bytes(cal.to_ical())


def atom_feed(session: Session, base_url: str, *, limit: int = 50) -> bytes:
    """The Atom feed of the newest published publications and events (``limit`` entries)."""
    from feedgen.feed import FeedGenerator

    base = base_url.rstrip("/")
    entries: list[tuple[dt.datetime, dict[str, Any]]] = []
    for p in list_publications(session, None, limit=limit):
        entries.append(
            (
                p.updated_at,
                {
                    "id": f"{base}/publications/{p.id}",
                    "title": p.title,
                    "summary": p.abstract or p.title,
                    "category": "publication",
                },
            )
        )
    for e in list_events(session, None, limit=5000)[-limit:]:
        entries.append(
            (
                e.published_at or e.updated_at,
                {
                    "id": f"{base}/events/{e.id}",
                    "title": e.title,
                    "summary": e.summary or e.title,
                    "category": "event",
                },
            )
        )
    entries.sort(key=lambda x: x[0], reverse=True)
    feed = FeedGenerator()
    feed.id(f"{base}/feeds/atom")
    feed.title("socialcover: publications and events")
    feed.author({"name": "socialcover"})
    feed.link(href=f"{base}/feeds/atom", rel="self")
    feed.link(href=f"{base}/", rel="alternate")
    feed.updated(entries[0][0] if entries else dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    for updated, item in reversed(entries[:limit]):  # feedgen prepends each new entry
        entry = feed.add_entry()
        entry.id(item["id"])
        entry.title(item["title"])
        entry.link(href=item["id"])
        entry.summary(item["summary"])
        entry.updated(updated)
        entry.category(term=item["category"])
    return bytes(feed.atom_str(pretty=True))
