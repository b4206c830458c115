"""Downloads for ``data fetch``: timeouts, retries with back-off, SHA-256, progress.

Every library error (``httpx.TransportError``, an HTTP status) is translated at this boundary
into :class:`FetchError`, which says which URL failed, why, and what to do (STYLE.md: translate
library errors at the boundary, as HTTPX does in its own ``_exceptions.py``). Files are streamed
to disk, so a 200 MB WPP file never sits in memory, and hashed as they arrive.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx

from socialcover.errors import SocialcoverError

__all__ = ["Download", "Downloader", "FetchError"]

#: ``(description, bytes so far, total bytes or 0 when unknown)``
ByteProgress = Callable[[str, int, int], None]
_RETRY_STATUS = {408, 425, 429, 500, 502, 503, 504}


class FetchError(SocialcoverError, ConnectionError):
    """A download from an official publisher failed (after retries) or did not check out."""

    default_code = "data.fetch-failed"


@dataclass(frozen=True)
class Download:
    """One downloaded file: where from, where to, its checksum and size."""

    name: str
    url: str
    path: Path
    sha256: str
    size_bytes: int
    fetched_at: str

    def to_dict(self) -> dict[str, str | int]:
        """A JSON-ready record for the fetch log."""
        return {
            "name": self.name,
            "url": self.url,
            "file": self.path.name,
            "sha256": self.sha256,
            "size_bytes": self.size_bytes,
            "fetched_at": self.fetched_at,
        }


@dataclass
class Downloader:
    """Fetch URLs into ``folder`` with retries; optionally check pinned SHA-256 checksums.

    Parameters
    ----------
    folder
        Where downloaded files are written.
    timeout
        Seconds allowed to connect and between bytes (not for the whole file).
    retries
        Further attempts after a transport error or a 408/429/5xx answer.
    backoff
        Seconds before the first retry; doubled each time.
    pins
        Expected SHA-256 per download name; a mismatch is an error (the file is removed).
    """

    folder: Path
    timeout: float = 60.0
    retries: int = 3
    backoff: float = 1.0
    pins: Mapping[str, str] = field(default_factory=dict)
    progress: ByteProgress | None = None
    client: httpx.Client | None = None

    def _client(self) -> httpx.Client:
        if self.client is None:
            self.client = httpx.Client(
                timeout=httpx.Timeout(self.timeout),
                follow_redirects=True,
                headers={"User-Agent": "socialcover-data-fetch"},
            )
        return self.client

    def close(self) -> None:
        """Close the HTTP connection pool."""
        if self.client is not None:
            self.client.close()
            self.client = None

    def get(self, name: str, url: str, filename: str | None = None) -> Download:
        """Download ``url`` to ``folder/filename`` (default: ``name``) and return its record."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / (filename or name)
        last = ""
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                download = self._stream(name, url, path)
            except httpx.HTTPStatusError as exc:
                status = exc.response.status_code
                last = f"HTTP {status}"
                if status not in _RETRY_STATUS:
                    break
            except httpx.TransportError as exc:
                last = f"{type(exc).__name__}: {exc}"
            else:
                self._check_pin(download)
                return download
        path.unlink(missing_ok=True)
        raise FetchError(
            f"Could not download {name} from {url} ({last}; {self.retries + 1} attempt(s)).",
            hint="Check the internet connection and that the publisher's URL still exists "
            "(docs/data-pack.md lists them; base URLs can be changed with --wpp-url, --wb-url, "
            "--ilostat-url, --weo-url, --sdg-url); or import a pack folder with "
            "`socialcover data import PATH`.",
            url=url,
        )

    def _stream(self, name: str, url: str, path: Path) -> Download:
        digest = hashlib.sha256()
        size = 0
        with self._client().stream("GET", url) as response:
            response.raise_for_status()
            # Content-Length counts encoded bytes; only compare it when nothing was decoded.
            encoded = response.headers.get("Content-Encoding", "identity") != "identity"
            total = 0 if encoded else int(response.headers.get("Content-Length") or 0)
            with path.open("wb") as fh:
                for chunk in response.iter_bytes(1 << 20):
                    fh.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
                    if self.progress:
                        self.progress(name, size, total)
        if total and size != total:
            raise httpx.ReadError(f"got {size:,} of {total:,} bytes")
        return Download(
            name,
            url,
            path,
            digest.hexdigest(),
            size,
            datetime.now(UTC).isoformat(timespec="seconds"),
        )

    def _check_pin(self, download: Download) -> None:
        expected = self.pins.get(download.name)
        if expected and expected.lower() != download.sha256:
            download.path.unlink(missing_ok=True)
            raise FetchError(
                f"{download.name} from {download.url} has SHA-256 {download.sha256}, "
                f"not the pinned {expected}.",
                code="data.fetch-checksum",
                hint="The publisher changed the file (a new edition or a re-release) or the "
                "download was tampered with; check the source, then update or drop the pin.",
            )
