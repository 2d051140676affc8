#!/usr/bin/env python3
"""Moves a test's `// Verifies that …` comment from the first lines of its body to directly above
its TEST / TEST_F / TEST_P line, where STYLE.md wants it (and where the e2e tests have it).

Usage: scripts/verifies_above_tests.py FILE...   (rewrites the files in place)
       scripts/verifies_above_tests.py --check FILE...   (changes nothing; exit 1 if any would move)

The comment is the run of `//` lines that opens the body, up to and including the first line
ending in a full stop; rewrapped to 100 columns when a line would be longer. Tests with no `// Verifies` line in either place are listed on stderr: they
need one written by hand.
"""
import re
import sys
import textwrap

COLUMNS = 100  # .clang-format's ColumnLimit

TEST_LINE = re.compile(r"^(TEST|TEST_F|TEST_P|TYPED_TEST|TYPED_TEST_P)\(")


def verifies_above(lines, i):
    """Whether the comment block directly above line i holds a `// Verifies` line."""
    k = i - 1
    while k >= 0 and lines[k].lstrip().startswith("//"):
        if lines[k].lstrip().startswith("// Verifies"):
            return True
        k -= 1
    return False


def rewrite(lines, path, missing):
    out = list(lines)
    i = 0
    moved = 0
    while i < len(out):
        if not TEST_LINE.match(out[i]):
            i += 1
            continue
        j = i
        while j < len(out) and not out[j].rstrip().endswith("{"):
            j += 1
        body = j + 1
        has_above = verifies_above(out, i)
        if body < len(out) and out[body].lstrip().startswith("// Verifies"):
            if has_above:
                print(f"{path}:{i + 1}: `// Verifies` both above and inside; left alone", file=sys.stderr)
                i = body
                continue
            end = body
            while end < len(out) and out[end].lstrip().startswith("//"):
                end += 1
                if out[end - 1].rstrip().endswith("."):
                    break
            comment = [line.lstrip() for line in out[body:end]]
            if any(len(line) > COLUMNS for line in comment):
                text = " ".join(line[2:].strip() for line in comment)
                comment = ["// " + part for part in
                           textwrap.wrap(text, COLUMNS - 3, break_on_hyphens=False)]
            del out[body:end]
            out[i:i] = comment
            moved += 1
            i = body + len(comment)
            continue
        if not has_above:
            missing.append(f"{path}:{i + 1}: {out[i].strip()}")
        i = body
    return out, moved


def main(argv):
    check = argv and argv[0] == "--check"
    paths = argv[1:] if check else argv
    missing = []
    total = 0
    for path in paths:
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        new_lines, moved = rewrite(lines, path, missing)
        total += moved
        if moved and not check:
            with open(path, "w", encoding="utf-8") as f:
                f.write("\n".join(new_lines))
        if moved and check:
            print(f"{path}: {moved} comment(s) to move", file=sys.stderr)
    for line in missing:
        print(f"no `// Verifies` line: {line}", file=sys.stderr)
    return 1 if check and total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
