"""``python -m vastbus_cli``."""

from vastbus_cli.cli import main

main()
