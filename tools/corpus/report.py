#!/usr/bin/env python3
"""Write the judged-corpus part of docs/real-world.md from a rescan.

Usage: python3 tools/corpus/report.py <rescan out folder> > docs/real-world-corpus.md

Reads tools/corpus/corpus.tsv, tools/corpus/verdicts.tsv and <out>/findings.tsv (written by rescan.py) and
prints the tables: repositories, precision per rule, every current finding with its verdict and reason,
the debatable ones apart, and the judged findings the analyzers no longer report.
"""
import collections
import csv
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def read_tsv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def cell(text):
    return text.replace("|", "\\|").replace("\n", " ")


def main():
    out = sys.argv[1]
    corpus = read_tsv(os.path.join(HERE, "corpus.tsv"))
    verdicts = {(r["repo"], r["file"], int(r["line"]), r["rule"]): r for r in read_tsv(os.path.join(HERE, "verdicts.tsv"))}
    findings = [(r["repo"], r["file"], int(r["line"]), r["rule"]) for r in read_tsv(os.path.join(out, "findings.tsv"))]
    current = set(findings)
    per_repo = collections.Counter(f[0] for f in findings)
    lines = sum(int(e["prod_lines"]) for e in corpus)

    print("| Repository | Commit | Lines of production code | Findings |")
    print("|---|---|---|---|")
    for e in sorted(corpus, key=lambda e: e["repo"].lower()):
        print(f"| {e['repo']} | {e['commit']} | {int(e['prod_lines']):,} | {per_repo[e['repo']]} |")
    print(f"| **{len(corpus)} repositories** | | **{lines:,}** | **{len(findings)}** |")
    print()

    counts = collections.Counter()
    for key in findings:
        counts[(key[3], verdicts[key]["verdict"] if key in verdicts else "unjudged")] += 1
    print("| Rule | Findings | True | False | Debatable | Precision |")
    print("|---|---|---|---|---|---|")
    total = collections.Counter()
    for rule in sorted({k[3] for k in findings}):
        t, f, d, u = (counts[(rule, v)] for v in ("true", "false", "debatable", "unjudged"))
        for name, value in (("t", t), ("f", f), ("d", d), ("u", u)):
            total[name] += value
        precision = f"{t / (t + f):.0%}" if t + f else "-"
        print(f"| {rule} | {t + f + d + u} | {t} | {f} | {d} | {precision} |")
    t, f, d, u = total["t"], total["f"], total["d"], total["u"]
    precision = f"{t / (t + f):.1%}" if t + f else "-"
    print(f"| **All** | **{t + f + d + u}** | **{t}** | **{f}** | **{d}** | **{precision}** |")
    print()
    print(f"False positives per 100k lines: {100000 * f / lines:.2f} ({f} on {lines:,} lines).")
    if u:
        print(f"\nUnjudged: {u}.")
    print()

    print("### Every finding\n")
    print("| Repository | File:line | Rule | Verdict | Reason |")
    print("|---|---|---|---|---|")
    for key in sorted(findings, key=lambda k: (k[0].lower(), k[1], k[2], k[3])):
        v = verdicts.get(key)
        if v is None or v["verdict"] != "debatable":
            print(f"| {key[0]} | {key[1]}:{key[2]} | {key[3]} | {v['verdict'] if v else 'unjudged'} | {cell(v['reason']) if v else ''} |")
    print()
    print("### Debatable, listed apart\n")
    print("| Repository | File:line | Rule | Reason |")
    print("|---|---|---|---|")
    for key in sorted(findings, key=lambda k: (k[0].lower(), k[1], k[2], k[3])):
        v = verdicts.get(key)
        if v is not None and v["verdict"] == "debatable":
            print(f"| {key[0]} | {key[1]}:{key[2]} | {key[3]} | {cell(v['reason'])} |")
    print()
    print("### Judged, no longer reported\n")
    print("Findings of earlier scans of the corpus that the analyzers no longer report, with the verdict they had.")
    print("(The held-out batches' verdicts are in verdicts.tsv too; their figures are under Held-out checks.)\n")
    print("| Repository | File:line | Rule | Verdict | Reason |")
    print("|---|---|---|---|---|")
    in_corpus = {e["repo"] for e in corpus}
    for key in sorted((k for k in set(verdicts) - current if k[0] in in_corpus), key=lambda k: (k[0].lower(), k[1], k[2], k[3])):
        v = verdicts[key]
        print(f"| {key[0]} | {key[1]}:{key[2]} | {key[3]} | {v['verdict']} | {cell(v['reason'])} |")


if __name__ == "__main__":
    main()
