#!/usr/bin/env python3
"""Run HttpClient.Resilience.Analyzers (HCR) beside ours over the judged corpus and compare the pairs of rules.

Usage:
    python3 tools/compare/corpus.py --root /work/corpus --hcr <HttpClient.Resilience.Analyzers.dll>
                                    [--out <folder>] [--only owner/name ...] [--all]

For each repository of tools/corpus/corpus.tsv and holdout.tsv that has a checkout under --root (at the recorded
commit: a checkout at another commit is skipped, never moved), it runs the scanner in folder mode with the
recorded excludes, as tools/corpus/rescan.py does, plus `--also-run <HCR dll>`, so both analyzers see the same
compilations. Without --all it scans only the repositories where either side can report: a production .cs
file that creates an HttpClient (`new HttpClient`, `HttpClient x = new(`) or names HttpClient and Task.WhenAll
(what HCR001, HCR002 and HCR080 need to see), or one of our RES021/RES022/RES031 findings in the latest
rescan logs. Then it pairs HCR001 with RES022, HCR002 with RES021 and HCR080 with RES031 by file and line,
and writes <out>/pairs.tsv (one row per finding of either side: both, hcr-only, ours-only, with our verdict
from tools/corpus/verdicts.tsv where there is one) and prints the counts. HCR040-HCR043 and HCR082 findings
are listed too (their counterparts RES006/RES007 and RES022's Polly part are not built here).
It is not part of the test command.
"""
import argparse
import csv
import glob
import json
import os
import re
import subprocess
import sys
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
CORPUS = os.path.join(REPO, "tools", "corpus")
PAIRS = {"HCR001": "RES022", "HCR002": "RES021", "HCR080": "RES031"}
BASELINE_ONLY = {"HCR040", "HCR041", "HCR042", "HCR043", "HCR082"}
OURS = set(PAIRS.values())
EXCLUDED_SEGMENT = re.compile(r"(^|/)(test|tests|samples)(/|$)|Tests?(/|$)|\.Tests\.|TestUtils|AcceptanceTesting|Benchmarks?")
CREATES = re.compile(r"new\s+(System\.Net\.Http\.)?HttpClient\b|HttpClient\s+\w+\s*(\{[^}]*\}\s*)?=\s*new\s*\(")


def read_tsv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def candidate(folder):
    """True when some production file could give HCR001/002/080 something to see."""
    for directory, subdirectories, files in os.walk(folder):
        subdirectories[:] = [d for d in subdirectories if d not in ("bin", "obj", ".git", "node_modules")]
        relative = os.path.relpath(directory, folder).replace(os.sep, "/")
        if EXCLUDED_SEGMENT.search(relative):
            continue
        for name in files:
            if not name.endswith(".cs") or EXCLUDED_SEGMENT.search(name):
                continue
            with open(os.path.join(directory, name), encoding="utf-8", errors="ignore") as f:
                text = f.read()
            if "HttpClient" in text and (CREATES.search(text) or "WhenAll" in text):
                return True
    return False


def ours_in_latest(logs):
    """owner+name of the repositories whose latest rescan log has RES021, RES022 or RES031."""
    found = {}
    for pattern in logs:
        for path in sorted(glob.glob(os.path.join(pattern, "*.sarif"))):
            found[os.path.basename(path)[:-6]] = path  # later folders in the list win
    repos = set()
    for name, path in found.items():
        with open(path, encoding="utf-8") as f:
            log = json.load(f)
        if any(r["ruleId"] in OURS for run in log.get("runs", []) for r in run.get("results", [])):
            repos.add(name)
    return repos


def results(sarif, folder):
    with open(sarif, encoding="utf-8") as f:
        log = json.load(f)
    found = []
    for run in log.get("runs", []):
        for invocation in run.get("invocations", []):
            for note in invocation.get("toolExecutionNotifications", []):
                if note.get("level") == "error":
                    print(f"ANALYZER FAILURE in {folder}: {note['message']['text']}", file=sys.stderr, flush=True)
        for result in run.get("results", []):
            for location in result.get("locations", [])[:1]:
                physical = location["physicalLocation"]
                uri = physical["artifactLocation"]["uri"]
                path = urllib.parse.unquote(uri[len("file://"):] if uri.startswith("file://") else uri)
                path = os.path.relpath(path, folder) if os.path.isabs(path) else path
                region = physical["region"]
                found.append((result["ruleId"], path.replace(os.sep, "/"), int(region["startLine"]), int(region.get("startColumn", 0)),
                              result["message"]["text"]))
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", required=True, help="folder that holds the checkouts (owner+name)")
    parser.add_argument("--hcr", required=True, help="HttpClient.Resilience.Analyzers.dll")
    parser.add_argument("--scanner", default=os.path.join(REPO, "src/Cli/bin/Release/net10.0/resilience-scan.dll"))
    parser.add_argument("--out", default=os.path.join(REPO, "tools", "compare", "out", "corpus"))
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument("--all", action="store_true", help="scan every repository, not only the candidates")
    parser.add_argument("--reuse", action="store_true", help="read a repository's SARIF log from --out when it is there")
    parser.add_argument("--latest", nargs="*", default=["/work/rescan-s20-final", "/work/rescan-s20h", "/work/rescan-s24/corpus", "/work/rescan-s24/holdout"],
                        help="folders of the latest rescan logs, oldest first (to pick candidates)")
    options = parser.parse_args()
    os.makedirs(options.out, exist_ok=True)

    verdicts = {(r["repo"], r["file"], int(r["line"]), r["rule"]): r for r in read_tsv(os.path.join(CORPUS, "verdicts.tsv"))}
    entries = read_tsv(os.path.join(CORPUS, "corpus.tsv")) + read_tsv(os.path.join(CORPUS, "holdout.tsv"))
    with_ours = ours_in_latest(options.latest)
    rows, scanned, lines = [], [], 0
    # Those with our findings first, then the smaller codebases: an interrupted run has compared the most.
    entries.sort(key=lambda e: (e["repo"].replace("/", "+") not in with_ours, int(e["prod_lines"])))
    for entry in entries:
        repo, name = entry["repo"], entry["repo"].replace("/", "+")
        if options.only and repo not in options.only:
            continue
        folder = os.path.join(options.root, name)
        if not os.path.isdir(folder):
            continue
        head = subprocess.run(["git", "-C", folder, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
        if head and head != entry["commit"]:
            print(f"skip   {repo}: checkout at {head[:12]}, recorded {entry['commit'][:12]}", file=sys.stderr)
            continue
        if not (options.all or options.only or name in with_ours or candidate(folder)):
            continue
        sarif = os.path.join(options.out, name + ".sarif")
        args = ["nice", "-n", "10", "dotnet", options.scanner, folder, "--no-msbuild", "--ignore-config", "--fail-on", "none",
                "--format", "sarif", "--output", sarif, "--also-run", options.hcr]
        for pattern in entry["excludes"].split():
            args += ["--exclude", pattern]
        print(f"scan   {repo}", file=sys.stderr, flush=True)
        if not (options.reuse and os.path.exists(sarif)) and subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode != 0:
            print(f"FAILED {repo}", file=sys.stderr)
            continue
        scanned.append(repo)
        lines += int(entry["prod_lines"])
        found = results(sarif, folder)
        for hcr, res in PAIRS.items():
            theirs = {(p, l): m for r, p, l, c, m in found if r == hcr}
            ours = {(p, l): m for r, p, l, c, m in found if r == res}
            for key in sorted(set(theirs) | set(ours)):
                side = "both" if key in theirs and key in ours else ("hcr-only" if key in theirs else "ours-only")
                verdict = verdicts.get((repo, key[0], key[1], res), {}).get("verdict", "") if key in ours else ""
                rows.append([repo, key[0], key[1], hcr, res, side, verdict, theirs.get(key) or ours.get(key)])
        for r, p, l, c, m in found:
            if r in BASELINE_ONLY:
                rows.append([repo, p, l, r, "", "hcr-baseline", "", m])
        write(options.out, rows)
    report(rows, scanned, lines)


def write(out, rows):
    with open(os.path.join(out, "pairs.tsv"), "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, delimiter="\t", lineterminator="\n")
        writer.writerow(["repo", "file", "line", "hcr_rule", "our_rule", "side", "our_verdict", "message"])
        writer.writerows(rows)


def report(rows, scanned, lines):
    print(f"scanned {len(scanned)} repositories, {lines:,} production lines: {' '.join(scanned)}")
    for hcr, res in PAIRS.items():
        sides = [r[5] for r in rows if r[3] == hcr]
        print(f"{hcr}/{res}: both {sides.count('both')}, only HCR {sides.count('hcr-only')}, only ours {sides.count('ours-only')}")
    for rule in sorted(BASELINE_ONLY):
        print(f"{rule}: {sum(1 for r in rows if r[3] == rule)}")


if __name__ == "__main__":
    main()
