"""``python -m newsift``: the same as the ``newsift`` command."""

from .cli import main

if __name__ == "__main__":
    main()
