#!/bin/sh
# Side-by-side comparison with HttpClient.Resilience.Analyzers (HCR); docs/comparison.md reads its results.
#   tools/compare/run.sh [<HCR source folder, default /work/hcr>] [<corpus checkouts, default /work/corpus>] [corpus.py options]
# 1. builds HCR's analyzer from its source when it is not built (offline: restore from the local cache),
# 2. runs HCR's own test cases for HCR001/002/080/082/040-043 through HCR's analyzers and ours:
#    tools/compare/results/cases.tsv, one source per case in tools/compare/out/cases/; and the HCR040-HCR043 cases
#    again against the real Microsoft.Extensions.Http.Resilience and Polly.Core instead of their stand-ins
#    (HcrCases/RealPackages.cs): tools/compare/results/real-cases.tsv, sources in tools/compare/out/real-cases/,
# 3. runs both over the judged corpus (tools/compare/corpus.py): tools/compare/results/corpus-pairs.tsv
#    (every candidate repository; pass --only owner/name ... to scan fewer).
# Long: run it under nice on a shared machine. Not part of the test command.
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
HCR=${1:-/work/hcr}
CORPUS=${2:-/work/corpus}
[ $# -ge 2 ] && shift 2 || shift $#
DLL="$HCR/src/HttpClient.Resilience.Analyzers/bin/Release/netstandard2.0/HttpClient.Resilience.Analyzers.dll"
[ -f "$DLL" ] || nice -n 10 dotnet build "$HCR/src/HttpClient.Resilience.Analyzers" -c Release -nologo -v q
nice -n 10 dotnet build "$REPO/src/Cli" -c Release -nologo -v q
nice -n 10 dotnet build "$HERE/HcrCases" -c Release -nologo -v q -p:HcrRoot="$HCR"
rm -rf "$HERE/out/cases" "$HERE/out/real-cases"
nice -n 10 dotnet "$HERE/HcrCases/bin/Release/net10.0/HcrCases.dll" "$HERE/out"
cp "$HERE/out/cases.tsv" "$HERE/results/cases.tsv"
cp "$HERE/out/real-cases.tsv" "$HERE/results/real-cases.tsv"
if [ -d "$CORPUS" ]; then
    python3 "$HERE/corpus.py" --root "$CORPUS" --hcr "$DLL" --out "$HERE/out/corpus" "$@"
    cp "$HERE/out/corpus/pairs.tsv" "$HERE/results/corpus-pairs.tsv"
fi
