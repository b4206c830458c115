"""``python -m socialcover``: the ``socialcover`` command, for environments where the console
script is not on ``PATH`` (a virtualenv not activated, ``pipx run``, an IDE's runner)."""

from socialcover.cli.app import main

if __name__ == "__main__":
    main()
