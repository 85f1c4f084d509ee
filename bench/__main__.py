"""``make bench``: run every benchmark module under bench/ and print its figures.

Benchmarks are added by the modules that have speed targets (homework, after-school,
reports); each is a module ``bench/bench_<name>.py`` with a ``main()`` that prints figures.
"""

import importlib
import pkgutil
import platform
import sys
from pathlib import Path


def main() -> int:
    here = Path(__file__).parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    print(
        f"machine: {platform.machine()} {platform.processor() or ''} python {platform.python_version()}"
    )
    if not names:
        print("no benchmarks yet")
        return 0
    for name in names:
        print(f"== {name}")
        importlib.import_module(f"bench.{name}").main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
