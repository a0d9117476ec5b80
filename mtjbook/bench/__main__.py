"""`python -m mtjbook.bench`: every benchmark (see :mod:`mtjbook.bench.llg.llg`)."""

import sys

from mtjbook.bench.llg.llg import main

sys.exit(main())
