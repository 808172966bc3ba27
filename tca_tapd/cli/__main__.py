"""``python -m tca_tapd.cli``: the same as the ``tca-tapd`` command."""

import sys

from . import main

sys.exit(main())
