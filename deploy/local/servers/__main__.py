"""``python3 deploy/local/servers ...`` (or ``python3 -m servers`` from deploy/local): see cli.py."""

import sys
from pathlib import Path

if not __package__:  # run as a directory: import the package from its parent, by its own name
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    __package__ = "servers"

from .cli import main

sys.exit(main())
