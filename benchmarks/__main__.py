"""`python -m benchmarks` (`make bench`): every benchmark, each against its targets.

    python -m benchmarks [--only speed,finnish,quality,realtext,allocation,exposure,web,load,changes,mail]
                         [--quick] [their options]

A failed target prints FAIL; the exit status stays 0 (benchmarks report, tests gate).
"""
import argparse
import sys

from . import allocation, changes, exposure, finnish, load, mail, quality, realtext, speed, web

ALL = {"speed": speed.main, "finnish": finnish.main, "quality": quality.main, "realtext": realtext.main,
       "allocation": allocation.main, "exposure": exposure.main, "web": web.main, "load": load.main,
       "changes": changes.main, "mail": mail.main}

parser = argparse.ArgumentParser(prog="python -m benchmarks", add_help=False)
parser.add_argument("--only", default=",".join(ALL))
args, rest = parser.parse_known_args()
for name in args.only.split(","):
    if name not in ALL:
        sys.exit(f"unknown benchmark {name!r}; expected some of: {', '.join(ALL)}")
    print(f"\n=== {name} ===", flush=True)
    ALL[name](rest)
