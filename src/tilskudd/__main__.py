"""``python -m tilskudd``: the same as the ``tilskudd`` command."""

from tilskudd.cli import main

main()
