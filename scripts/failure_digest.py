#!/usr/bin/env python3
"""Prints the cause of each failed test of a ctest log (`make test` keeps them in build/test-logs/): the
Python unittest FAIL/ERROR blocks and GoogleTest failure lines, at most 80 lines, so the end of a CI log,
which is often all a reader gets, names what broke and why."""

import re
import sys

LIMIT = 80


def digest(lines):
    out = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if re.match(r"^(FAIL|ERROR): ", line):  # unittest: the block runs to the next separator line
            block = [line]
            i += 1
            # the line under FAIL: is a separator too; the block ends at the next one
            while i < len(lines) and (len(block) < 2 or not re.match(r"^(=+|-{20,})$", lines[i])):
                block.append(lines[i])
                i += 1
            out.extend(block[:25])
            continue
        if re.search(r": Failure$|^\[  FAILED  \]|Test #\d+: .*\*\*\*|AddressSanitizer|runtime error:", line):
            out.extend(lines[i:i + 4] if line.endswith("Failure") else [line])
        i += 1
    return out


def main():
    for path in sys.argv[1:]:
        try:
            with open(path, errors="replace") as f:
                lines = [l.rstrip("\n") for l in f]
        except OSError:
            continue
        found = digest(lines)
        if found:
            print(f"--- failure digest of {path} ---")
            print("\n".join(found[-LIMIT:]))


if __name__ == "__main__":
    main()
