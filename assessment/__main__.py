"""Run the command line: ``python -m assessment --help``."""

from assessment.cli import main

raise SystemExit(main())
