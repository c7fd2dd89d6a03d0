"""Reads every Surefire XML report: fails when a test was skipped (in CI every database must
answer), and prints the number of tests run per database."""
import collections
import glob
import re
import sys
import xml.etree.ElementTree as ET

per_db = collections.Counter()
total = skipped = failed = 0
skipped_names = []
for path in glob.glob("**/target/surefire-reports/TEST-*.xml", recursive=True):
    root = ET.parse(path).getroot()
    for case in root.iter("testcase"):
        total += 1
        name = case.get("name", "")
        m = re.search(r"\[([a-z0-9-]+)\]$", name)
        per_db[m.group(1) if m else "(no database)"] += 1
        if case.find("skipped") is not None:
            skipped += 1
            skipped_names.append(case.get("classname") + "." + name)
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1

print("tests per database:")
for db, n in sorted(per_db.items()):
    print(f"  {db:20s} {n}")
print(f"{total - failed - skipped} passed, {failed} failed, {skipped} skipped")
if total == 0:
    sys.exit("no test reports found")
if skipped:
    print("skipped tests (not allowed in CI):")
    for n in skipped_names[:50]:
        print("  " + n)
    sys.exit(1)
if failed:
    sys.exit(1)
