"""``python -m kbc_validate``: the command line."""

from kbc_validate.cli import main

raise SystemExit(main())
