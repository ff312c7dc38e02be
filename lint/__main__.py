import sys

from dslint.cli import main

sys.exit(main())
