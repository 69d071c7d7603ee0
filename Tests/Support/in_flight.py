"""Prints the tests a `swift test` log shows as started but not finished (Swift Testing and XCTest)."""
import re
import sys

# Swift Testing: "<symbol> Test name() started." / "... passed after ..." / "... failed after ...";
# XCTest: "Test Case '-[Suite test]' started." / "... passed (0.1 seconds)."
EVENT = re.compile(r"Test (?:Case '(.+?)'|(.+?)) (started|passed|failed|skipped)")

started, finished = {}, set()
with open(sys.argv[1], errors="replace") as log:
    for line in log:
        match = EVENT.search(line)
        if not match:
            continue
        name, event = match.group(1) or match.group(2), match.group(3)
        if event == "started":
            started.setdefault(name, len(started))
        else:
            finished.add(name)
waiting = [name for name in sorted(started, key=started.get) if name not in finished]
for name in waiting:
    print(f"  - {name}")
if not waiting:
    print("  (none: the process is stuck outside a test, e.g. in set-up or tear-down)")
