"""``python -m kbc_validate``: the command line."""

from kbc_validate.cli import run

run()
