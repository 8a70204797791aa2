"""`python -m artbattle_ops` runs the command line."""

import sys

from artbattle_ops.cli import main

sys.exit(main())
