"""``python -m compcore``: see :mod:`compcore.cli`."""

from compcore.cli import main

raise SystemExit(main())
