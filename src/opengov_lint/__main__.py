"""``python -m opengov_lint``: the command line."""

import sys

from .cli import main

sys.exit(main())
