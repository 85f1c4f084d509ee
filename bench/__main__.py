"""``make bench``: run every benchmark module under bench/ and print its figures.

Benchmarks are added by the modules that have speed targets (homework, after-school,
reports); each is a module ``bench/bench_<name>.py`` with a ``main()`` that prints figures.
``python -m bench NAME …`` runs only those (``python -m bench mixed``).
"""

import importlib
import pkgutil
import platform
import sys
from pathlib import Path


def main() -> int:
    here = Path(__file__).parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    wanted = {f"bench_{n.removeprefix('bench_')}" for n in sys.argv[1:]}
    if wanted - set(names):
        print(
            f"no such benchmark: {', '.join(sorted(wanted - set(names)))}; there are {', '.join(names)}"
        )
        return 2
    if wanted:
        names = [n for n in names if n in wanted]
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
