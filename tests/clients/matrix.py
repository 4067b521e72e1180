#!/usr/bin/env python3
"""Prints the client matrix (docs/clients.md) as a Markdown table.

    matrix.py DIR

DIR is where run_client.py saved each client's step lines
(DQT_CLIENT_MATRIX_DIR; ctest sets BUILD/tests/client-matrix). One row per
client, one column per step of scenario.STEPS: ok, FAIL or n/a (a step the
client never reported is "-"); then the clients' bulk timing lines.
"""
import glob
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scenario  # noqa: E402


def main(argv):
    if len(argv) != 1:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    lines = []
    for path in sorted(glob.glob(os.path.join(argv[0], "*.txt"))):
        with open(path) as f:
            lines.extend(f.read().splitlines())
    got = scenario.parse(lines)
    if not got:
        print("matrix: no results in %s (run ctest -R client_ first)" % argv[0], file=sys.stderr)
        return 1
    print("| client | " + " | ".join(scenario.STEPS) + " |")
    print("|---" * (len(scenario.STEPS) + 1) + "|")
    for client in sorted(got):
        steps = got[client]["steps"]
        print("| %s | " % client +
              " | ".join(steps.get(s, ("-", ""))[0] for s in scenario.STEPS) + " |")
    notes = [(c, s, got[c]["steps"][s]) for c in sorted(got) for s in scenario.STEPS
             if s in got[c]["steps"] and got[c]["steps"][s][0] != "ok"]
    if notes:
        print()
        for client, step, (status, note) in notes:
            print("- %s %s: %s %s" % (client, step, status, note))
    print()
    for client in sorted(got):
        for b in got[client]["bulk"]:
            print("- " + b)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
