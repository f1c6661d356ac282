"""What the PyInstaller bundle runs: the same console entry as ``prepull-workbench``.

A separate script (not workbench/__main__.py) so the analysis does not put workbench/ itself on
the module path, where its modules would shadow nothing today but could later.
"""

import sys

from workbench.cli import main

sys.exit(main())
