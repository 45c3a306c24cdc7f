"""``python -m compcore``: see :mod:`compcore.cli.main`."""

from compcore.cli.main import main

raise SystemExit(main())
