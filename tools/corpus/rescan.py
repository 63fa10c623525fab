#!/usr/bin/env python3
"""Re-scan the judged corpus and print what changed against the recorded verdicts.

Usage:
    python3 tools/corpus/rescan.py --root <folder for checkouts> [--fetch] [--only owner/name ...]
                                   [--scanner <resilience-scan.dll>] [--out <folder>] [--list <tsv>]

For every repository in tools/corpus/corpus.tsv it checks out the recorded commit under
<root>/<owner>+<name> (with --fetch, cloning it from GitHub when it is missing), runs the scanner in folder
mode with the recorded excludes, and compares each finding (repository, file, line, rule) with
tools/corpus/verdicts.tsv:

  NEW    a finding with no recorded verdict: read the code and record one
  GONE   a recorded finding the scan no longer reports: fine for a false one, a lost true positive otherwise
  same   counted, not listed

It ends with precision per rule over the findings that have a verdict, false positives per 100k lines, and
the lost true positives. It needs git, the .NET SDK and the corpora; it is not part of the test command.
"""
import argparse
import collections
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def read_tsv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def checkout(root, repo, commit, fetch):
    folder = os.path.join(root, repo.replace("/", "+"))
    if not os.path.isdir(folder):
        if not fetch:
            return None
        subprocess.run(["git", "clone", "--quiet", f"https://github.com/{repo}.git", folder], check=True)
    if os.path.isdir(os.path.join(folder, ".git")):
        head = subprocess.run(["git", "-C", folder, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
        if head != commit:
            if fetch:
                subprocess.run(["git", "-C", folder, "fetch", "--quiet", "origin", commit], check=False)
            subprocess.run(["git", "-C", folder, "checkout", "--quiet", commit], check=True)
    return folder


PACKAGE_ITEM = re.compile(
    r'<Package(?:Reference|Version)\s+(?:Include|Update)\s*=\s*"([^"]+)"\s+Version\s*=\s*"([0-9][^"$*\[\],]*)"')
NOT_SERVED = re.compile(r"Unable to find package ([\w.\-]+?)\.? (?:No packages|with version)")
NEAREST = re.compile(r"Unable to find package ([\w.\-]+) with version \(= [^)]*\)\s*\n[^\n]*Nearest version: ([^\s\]]+)")


def restore_packages(folder):
    """Download into the NuGet cache every package version the repository's project files name, so folder mode
    binds the same types on any machine (what the source does not serve is dropped and reported)."""
    wanted = {}
    for directory, subdirectories, files in os.walk(folder):
        subdirectories[:] = [d for d in subdirectories if d not in ("bin", "obj", ".git", "node_modules")]
        for name in files:
            if name.endswith(".csproj") or name in ("Directory.Packages.props", "Directory.Build.props"):
                with open(os.path.join(directory, name), encoding="utf-8", errors="ignore") as f:
                    for package, version in PACKAGE_ITEM.findall(f.read()):
                        if package not in wanted or version > wanted[package]:
                            wanted[package] = version
    missing = []
    substituted = set()
    followed = set()
    with tempfile.TemporaryDirectory() as work:
        project = os.path.join(work, "restore.csproj")
        for _ in range(12):
            if not wanted:
                break
            items = "\n".join(f'    <PackageDownload Include="{p}" Version="[{v}]" />' for p, v in sorted(wanted.items()))
            with open(project, "w", encoding="utf-8") as f:
                f.write('<Project Sdk="Microsoft.NET.Sdk">\n  <PropertyGroup><TargetFramework>net10.0</TargetFramework>'
                        '<ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup>\n'
                        f"  <ItemGroup>\n{items}\n  </ItemGroup>\n</Project>\n")
            result = subprocess.run(["dotnet", "restore", project], capture_output=True, text=True)
            if result.returncode == 0:
                # A meta-package (Microsoft.EntityFrameworkCore.Sqlite) compiles against no assembly of its own: what a
                # build sees through it are its dependencies' assemblies, which PackageDownload does not bring.
                brought = meta_package_dependencies(wanted, followed)
                if not brought:
                    break
                wanted.update(brought)
                continue
            # A version the source does not serve: take the nearest one it does, once.
            nearest = {p: v for p, v in NEAREST.findall(result.stdout) if p in wanted and p not in substituted}
            for package, version in nearest.items():
                substituted.add(package)
                wanted[package] = version
            unavailable = {p for p in NOT_SERVED.findall(result.stdout) if p in wanted and p not in nearest}
            if not unavailable and not nearest:
                break
            for package in unavailable:
                missing.append(f"{package} {wanted.pop(package)}")
    return missing


NUSPEC_DEPENDENCY = re.compile(r'<dependency\s+id="([^"]+)"\s+version="\[?([0-9][^",\])]*)')


def meta_package_dependencies(wanted, followed):
    """The dependencies (at their lowest version) of the wanted packages that hold no assembly of their own, only the
    `_._` placeholder a meta-package ships: the scanner finds the assemblies a build would compile against through
    them only when the cache holds them. Each package is looked into once; nothing already wanted is returned."""
    cache = os.environ.get("NUGET_PACKAGES") or os.path.join(os.path.expanduser("~"), ".nuget", "packages")
    brought = {}
    for package, version in list(wanted.items()):
        if package.lower() in followed:
            continue
        followed.add(package.lower())
        folder = os.path.join(cache, package.lower(), version.lower())
        lib = os.path.join(folder, "lib")
        if not os.path.isdir(lib):
            continue
        assemblies = [n for _, _, names in os.walk(lib) for n in names if n.endswith(".dll")]
        if assemblies:
            continue
        nuspec = os.path.join(folder, package.lower() + ".nuspec")
        if not os.path.exists(nuspec):
            continue
        with open(nuspec, encoding="utf-8", errors="ignore") as f:
            for dependency, lowest in NUSPEC_DEPENDENCY.findall(f.read()):
                if dependency not in wanted and dependency.lower() not in {d.lower() for d in brought}:
                    brought[dependency] = lowest
    return brought


def scan(scanner, folder, excludes, sarif):
    # --ignore-config: the corpus judges the recognisers, not each repository's choice of severities (some turn
    # every analyzer off with dotnet_analyzer_diagnostic.severity = none and opt back in one by one).
    args = ["dotnet", scanner, folder, "--no-msbuild", "--ignore-config", "--fail-on", "none", "--format", "sarif", "--output", sarif]
    for glob in excludes.split():
        args += ["--exclude", glob]
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(sarif, encoding="utf-8") as f:
        log = json.load(f)
    findings = set()
    for run in log.get("runs", []):
        for invocation in run.get("invocations", []):
            for note in invocation.get("toolExecutionNotifications", []):
                if note.get("level") == "error":
                    print(f"ANALYZER FAILURE in {folder}: {note['message']['text']}", flush=True)
        for result in run.get("results", []):
            for location in result.get("locations", [])[:1]:
                physical = location["physicalLocation"]
                # Relative to the scanned folder (uriBaseId SRCROOT), or an absolute file URI; percent-escaped.
                uri = physical["artifactLocation"]["uri"]
                path = urllib.parse.unquote(uri[len("file://"):] if uri.startswith("file://") else uri)
                path = os.path.relpath(path, folder) if os.path.isabs(path) else path
                findings.add((path.replace(os.sep, "/"), int(physical["region"]["startLine"]), result["ruleId"]))
    return findings


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", required=True, help="folder that holds (or receives) the checkouts")
    parser.add_argument("--fetch", action="store_true", help="clone or fetch repositories that are missing")
    parser.add_argument("--restore", action="store_true",
                        help="download the package versions each repository names before scanning it, so types bind")
    parser.add_argument("--only", nargs="*", default=None, help="owner/name of the repositories to scan")
    parser.add_argument("--list-false", action="store_true", help="also list the findings still reported that were judged false")
    parser.add_argument("--scanner", default=os.path.join(REPO, "src/Cli/bin/Release/net10.0/resilience-scan.dll"))
    parser.add_argument("--out", default=None, help="folder for the SARIF logs (default: <root>/.rescan)")
    parser.add_argument("--list", default=os.path.join(HERE, "corpus.tsv"),
                        help="the repositories to scan (default: corpus.tsv; holdout.tsv holds the last held-out batches)")
    options = parser.parse_args()

    if not os.path.exists(options.scanner):
        subprocess.run(["dotnet", "build", os.path.join(REPO, "src/Cli"), "-c", "Release", "-nologo", "-v", "q"], check=True)

    corpus = read_tsv(options.list)
    verdicts = {}
    for row in read_tsv(os.path.join(HERE, "verdicts.tsv")):
        verdicts[(row["repo"], row["file"], int(row["line"]), row["rule"])] = row
    out = options.out or os.path.join(options.root, ".rescan")
    os.makedirs(out, exist_ok=True)

    lines = 0
    current = collections.Counter()
    new, gone, still_false = [], [], []
    reported = []
    for entry in corpus:
        repo = entry["repo"]
        if options.only and repo not in options.only:
            continue
        folder = checkout(options.root, repo, entry["commit"], options.fetch)
        if folder is None:
            print(f"skip   {repo}: no checkout under {options.root} (use --fetch)", file=sys.stderr)
            continue
        lines += int(entry["prod_lines"])
        if options.restore:
            missing = restore_packages(folder)
            if missing:
                print(f"note   {repo}: not served, its types will not bind: {', '.join(sorted(missing))}", file=sys.stderr)
        found = scan(options.scanner, folder, entry["excludes"], os.path.join(out, repo.replace("/", "+") + ".sarif"))
        recorded = {k for k in verdicts if k[0] == repo}
        for path, line, rule in sorted(found):
            key = (repo, path, line, rule)
            reported.append(key)
            if key in verdicts:
                current[(rule, verdicts[key]["verdict"])] += 1
                if verdicts[key]["verdict"] == "false":
                    still_false.append(key)
            else:
                current[(rule, "unjudged")] += 1
                new.append(key)
        for key in sorted(recorded - {(repo, p, l, r) for p, l, r in found}):
            if verdicts[key]["verdict"] != "gone":
                gone.append(key)

    with open(os.path.join(out, "findings.tsv"), "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, delimiter="\t", lineterminator="\n")
        writer.writerow(["repo", "file", "line", "rule", "verdict"])
        for key in reported:
            writer.writerow([*key, verdicts[key]["verdict"] if key in verdicts else "unjudged"])

    for key in new:
        print("NEW   ", "\t".join(map(str, key)))
    if options.list_false:
        for key in still_false:
            print("FALSE ", "\t".join(map(str, key)), "--", verdicts[key]["reason"])
    lost = []
    for key in gone:
        verdict = verdicts[key]["verdict"]
        print("GONE  ", "\t".join(map(str, key)), f"(was {verdict})")
        if verdict == "true":
            lost.append(key)

    print()
    print(f"{'rule':8} {'true':>5} {'false':>5} {'debat.':>6} {'unjudged':>8}  precision")
    total_true = total_false = 0
    for rule in sorted({r for r, _ in current}):
        t, f, d, u = (current[(rule, v)] for v in ("true", "false", "debatable", "unjudged"))
        total_true += t
        total_false += f
        precision = f"{t / (t + f):.0%}" if t + f else "-"
        print(f"{rule:8} {t:5} {f:5} {d:6} {u:8}  {precision}")
    if lines:
        print(f"\n{lines:,} lines; {total_false} false positives = {100000 * total_false / lines:.2f} per 100k lines")
    print(f"lost true positives: {len(lost)}")
    return 1 if lost or new else 0


if __name__ == "__main__":
    sys.exit(main())
