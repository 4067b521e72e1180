"""The client matrix: the steps every client in tests/clients runs, and the
lines it prints for them (docs/clients.md, "The client matrix").

Every client test prints, for each step below,

    step CLIENT STEP ok
    step CLIENT STEP FAIL what went wrong
    step CLIENT STEP n/a why the client cannot do it (and what it does instead)

and, for its 10,000-row insert by the client's batch path,

    bulk: CLIENT 10000 rows in S s (R rows/s)

run_client.py checks the lines (check_lines) and saves them (save_lines);
matrix.py turns the saved files into the client x step table. A line may
start with "# " (a TAP comment, as node --test prints a test's output).

The values each client sends as parameters and compares exactly after
reading them back (the `params`, `nulls` and `blob_1mb` steps):
    TEXT       'h\u00e9 \u20ac \U0001F600' (a non-BMP character included)
    INTEGER    2**62
    REAL       1.5e-10
    BLOB       1 MiB, byte i = (i * 7 + 1) % 256
    DATE       2026-12-03
    TIMESTAMP  2026-12-03 10:11:12
    BOOLEAN    true (stored as the INTEGER 1)
and a row with NULL in every column.
"""
import os
import re
import time

STEPS = [
    "connect_dsn",     # connect by data source name
    "connect_string",  # connect by a DSN-less connection string (Driver=...;Server=...)
    "ddl",             # CREATE TABLE through the client
    "params",          # typed parameters in, the same values read back exactly
    "nulls",           # NULL in every column, read back as the client's null
    "blob_1mb",        # a 1 MiB BLOB parameter, read back byte for byte
    "bulk_10000",      # 10,000 rows by the client's batch path, one transaction
    "tables",          # the client's list of tables names the table
    "columns",         # the client's list of columns, names in order
    "syntax_error",    # a syntax error, SQLSTATE 42000
    "duplicate_key",   # a duplicate primary key, SQLSTATE 23000
    "rollback",        # a rolled back write is nowhere
    "tx_idiom",        # the client's own transaction idiom commits
]
STATUSES = ("ok", "FAIL", "n/a")

TEXT = "h\u00e9 \u20ac \U0001F600"
BIG = 2 ** 62
REAL = 1.5e-10
BLOB_LEN = 1 << 20
DATE = "2026-12-03"
TIMESTAMP = "2026-12-03 10:11:12"
BULK_ROWS = 10000

_STEP = re.compile(r"^(?:# )?step (\S+) (\S+) (ok|FAIL|n/a)(?: (.*))?$")
_BULK = re.compile(r"^(?:# )?(bulk: (\S+) .*)$")


def blob():
    """The 1 MiB BLOB every client sends."""
    return bytes((i * 7 + 1) % 256 for i in range(BLOB_LEN))


def parse(lines):
    """{client: {"steps": {step: (status, note)}, "bulk": [line, ...]}}"""
    out = {}
    for line in lines:
        m = _STEP.match(line)
        if m:
            client, step, status, note = m.groups()
            out.setdefault(client, {"steps": {}, "bulk": []})["steps"][step] = (status, note or "")
            continue
        m = _BULK.match(line)
        if m:
            out.setdefault(m.group(2), {"steps": {}, "bulk": []})["bulk"].append(m.group(1))
    return out


def check_lines(lines):
    """What is wrong with a client's step lines: none printed, a step of
    STEPS missing, a FAIL, an unknown step, n/a without a reason, no bulk
    line for a bulk_10000 that passed."""
    got = parse(lines)
    if not got:
        return ["the client printed no `step CLIENT STEP STATUS` line"]
    problems = []
    for client, res in sorted(got.items()):
        steps = res["steps"]
        for step in STEPS:
            if step not in steps:
                problems.append("%s: step %s was never reported" % (client, step))
            elif steps[step][0] == "FAIL":
                problems.append("%s: step %s FAILED: %s" % (client, step, steps[step][1]))
            elif steps[step][0] == "n/a" and not steps[step][1]:
                problems.append("%s: step %s is n/a without a reason" % (client, step))
        for step in steps:
            if step not in STEPS:
                problems.append("%s: unknown step %s" % (client, step))
        if steps.get("bulk_10000", ("",))[0] == "ok" and not res["bulk"]:
            problems.append("%s: bulk_10000 passed without a `bulk:` timing line" % client)
    return problems


def save_lines(lines, directory):
    """Writes each client's step and bulk lines to directory/CLIENT.txt."""
    if not directory:
        return
    os.makedirs(directory, exist_ok=True)
    for client, res in parse(lines).items():
        with open(os.path.join(directory, client + ".txt"), "w") as f:
            for step, (status, note) in res["steps"].items():
                f.write(("step %s %s %s %s" % (client, step, status, note)).rstrip() + "\n")
            for b in res["bulk"]:
                f.write(b + "\n")


class Steps:
    """The step printer of the Python clients: `with steps.step("ddl"):`
    prints `step CLIENT ddl ok`, or FAIL with the exception (the next step
    runs); steps.na(step, why) prints n/a."""

    def __init__(self, client):
        self.client = client
        self.failed = 0

    def step(self, name):
        return _Step(self, name)

    def na(self, name, why):
        print("step %s %s n/a %s" % (self.client, name, why), flush=True)

    def bulk(self, rows, seconds):
        print("bulk: %s %d rows in %.2f s (%d rows/s)"
              % (self.client, rows, seconds, rows / seconds), flush=True)


class _Step:
    def __init__(self, steps, name):
        self.steps, self.name = steps, name

    def __enter__(self):
        self.t0 = time.monotonic()
        return self

    def __exit__(self, typ, exc, tb):
        if typ is None:
            print("step %s %s ok" % (self.steps.client, self.name), flush=True)
        else:
            self.steps.failed += 1
            import traceback
            traceback.print_exception(typ, exc, tb)
            msg = ("%s: %s" % (typ.__name__, exc)).replace("\n", " ")[:300]
            print("step %s %s FAIL %s" % (self.steps.client, self.name, msg), flush=True)
        return True  # the next step runs
