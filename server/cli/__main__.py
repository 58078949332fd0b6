"""``python -m server.cli``: the same as the ``credlens`` command."""

from . import main

main()
