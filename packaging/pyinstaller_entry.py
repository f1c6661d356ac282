"""What the PyInstaller bundle runs: the same console entry as ``prepull-workbench``.

A separate script (not workbench/__main__.py) so the analysis does not put workbench/ itself on
the module path, where its modules would shadow nothing today but could later.

In the bundle, the app's helper processes (the traffic worker, the split's hashers, and
multiprocessing's resource tracker) are started as this same executable with multiprocessing's
arguments. ``freeze_support`` (PyInstaller's, on every platform) runs them and exits; without it
they started the command line, which refused those arguments and exited with status 2: every
traffic run in the app failed, "the worker process ended unexpectedly".
"""

import multiprocessing

multiprocessing.freeze_support()

import sys  # noqa: E402 (after freeze_support: a helper process never gets this far)

from workbench.cli import main  # noqa: E402

sys.exit(main())
