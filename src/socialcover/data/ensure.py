"""Making sure a data pack is installed, whatever the machine (used by ``socialcover start``).

In order: the folder named by ``$SOCIALCOVER_DATA_PACK``; a ``../shared/data`` folder beside the
current directory or beside the repository; the pack already installed (if real); the official
publishers (``data fetch``, with a short timeout); and last the fictional demo country, with a
message saying how to get real data. Installing the same files again is a no-op.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from socialcover.data.demo import install_demo
from socialcover.data.manifest import installed_manifest
from socialcover.data.pack import install_pack
from socialcover.errors import SocialcoverError

__all__ = ["REAL_DATA_HINT", "ensure_pack", "find_shared_pack"]

ENV_VAR = "SOCIALCOVER_DATA_PACK"
REAL_DATA_HINT = (
    f"For real data, set {ENV_VAR} to a pack folder laid out like ../shared/data, run "
    "`socialcover data import PATH`, or `socialcover data fetch` on a machine with internet "
    "access."
)
_REPO_ROOT = Path(__file__).resolve().parents[3]


def _is_pack(folder: Path) -> bool:
    return (folder / "wpp2024" / "wpp2024_locations.csv").is_file()


def find_shared_pack(roots: Sequence[Path] | None = None) -> Path | None:
    """``../shared/data`` beside the first of ``roots`` (default: cwd, repository) that has one."""
    for root in roots if roots is not None else (Path.cwd(), _REPO_ROOT):
        candidate = (Path(root) / ".." / "shared" / "data").resolve()
        if _is_pack(candidate):
            return candidate
    return None


def ensure_pack(
    *,
    fetch_timeout: float = 10.0,
    allow_fetch: bool = True,
    search_roots: Sequence[Path] | None = None,
    fetch_sources: object | None = None,
) -> str:
    """Install a data pack if needed and say what is installed.

    Parameters
    ----------
    fetch_timeout
        Seconds allowed per request when trying the publishers.
    allow_fetch
        Try the publishers when no local pack is found (the default).
    search_roots
        Folders beside which ``../shared/data`` is looked for (default: the current directory
        and the repository root).
    fetch_sources
        A :class:`socialcover.data.fetch.FetchSources` (tests point it at a local server).

    Returns
    -------
    str
        One or two sentences for the user: what was installed (or kept), from where.

    Raises
    ------
    DataPackError
        ``$SOCIALCOVER_DATA_PACK`` names a folder that is not a valid pack (it was asked for
        explicitly, so it is not silently replaced by something else).
    """
    env = os.environ.get(ENV_VAR)
    if env:
        return install_pack(Path(env)).message
    shared = find_shared_pack(search_roots)
    if shared is not None:
        return install_pack(shared).message
    live = installed_manifest()
    if live is not None and live.origin != "demo":
        return (
            f"Using the installed data pack {live.version} ({live.origin} from "
            f"{live.source_path}, installed {live.installed_at})."
        )
    reason = "fetching was not allowed"
    if allow_fetch:
        from socialcover.data.fetch import FetchSources, fetch_pack

        sources = fetch_sources if isinstance(fetch_sources, FetchSources) else None
        try:
            report = fetch_pack(sources=sources, timeout=fetch_timeout, retries=0)
        except (SocialcoverError, OSError) as exc:
            reason = f"the publishers could not be reached ({str(exc).splitlines()[0]})"
        else:
            return report.message
    demo = install_demo()
    what = "Installed" if demo.changed else "Using"
    return (
        f"{what} the fictional demo country Demoland (XDM): no data pack was found and "
        f"{reason}. {REAL_DATA_HINT}"
    )
