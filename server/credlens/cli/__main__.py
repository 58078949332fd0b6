"""``python -m credlens.cli``: the same as the ``credlens`` command."""

from credlens.cli import main

main()
