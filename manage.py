#!/usr/bin/env python
"""Django's manage.py; ``qingfu`` (qingfu.cli) is the same entry point once installed."""

from qingfu.cli import main

if __name__ == "__main__":
    main()
