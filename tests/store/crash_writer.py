"""Writes records in a loop and prints ``ACK <name>`` after each commit returns (killed by a test).

Usage: python crash_writer.py DATABASE_URL RUN_ID
Each transaction creates an organisation (with its audit row and search document) and updates a
shared counter record (a new version with its audit row), so a torn transaction would show.
"""

from __future__ import annotations

import sys

from socialcover.store import Organisation, SystemActor, open_database, session_scope


def main() -> None:
    url, run = sys.argv[1], sys.argv[2]
    engine = open_database(url)
    actor = SystemActor("crash-writer")
    i = 0
    while True:
        name = f"crash-{run}-{i}"
        with session_scope(actor, engine=engine) as s:
            s.add(Organisation(name=name, actor_type="university", description="x" * 500))
            counter = s.query(Organisation).filter_by(name="counter").one()
            counter.description = name
        print(f"ACK {name}", flush=True)
        i += 1


if __name__ == "__main__":
    main()
