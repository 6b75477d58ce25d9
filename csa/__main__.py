import sys

from csa.cli import main

sys.exit(main())
