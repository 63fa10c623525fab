using Microsoft.CodeAnalysis;

namespace ResilienceAnalyzers.Cli;

internal enum ReportFormat
{
    Text,
    Sarif,
    Markdown,
}

/// <summary>The command line, parsed. <see cref="Parse"/> returns null and an error for a usage mistake.</summary>
internal sealed class ScanOptions
{
    public const string Usage = """
        Usage: resilience-scan <folder | file.cs | project.csproj | solution.sln/.slnx> [options]

          --format text|sarif|markdown   report format (default text)
          --output <file>                write the report to a file instead of stdout
          --fail-on error|warning|note|none
                                         exit 1 when a finding at this severity or above exists, after
                                         .editorconfig/.globalconfig severities (default warning)
          --baseline <sarif>             leave out the findings of an earlier SARIF log (ours or the
                                         compiler's ErrorLog): report and fail only on new ones
          --fix                          apply the package's code fixes to the files (as the IDE's Fix
                                         All would), then report what is left
          --exclude <glob>               skip files and projects matching the glob; repeatable
                                         (e.g. --exclude "**/test/**" --exclude "**/*Tests*/**")
          --no-msbuild                   skip MSBuild: every .cs file under the folder in one compilation
          --ignore-config                folder and file mode: leave .editorconfig/.globalconfig out (every
                                         rule at its default, whatever the scanned code configures)
          --timing                       benchmark: per-analyzer time against the compiler's binding time
          --passes <n>                   measured passes for --timing, after one uncounted warm-up (default 3)
          --no-wall                      --timing without the whole runs (standalone and marginal costs):
                                         the telemetry table only, a fraction of the time, for iterating
          --compare <analyzer.dll>       time another analyzer assembly in the same run; repeatable
          --also-run <analyzer.dll>      development: also run another analyzer assembly and report its
                                         findings beside ours (side-by-side comparisons); repeatable
          --progress                     report progress on stderr even when it is not a terminal
          --version                      print the analyzers' version and exit

        Exit codes: 0 no findings, 1 findings (see --fail-on), 2 usage or load error (also: no C# file to scan).
        """;

    public string Input { get; private set; } = "";

    public ReportFormat Format { get; private set; } = ReportFormat.Text;

    public string? Output { get; private set; }

    /// <summary>The lowest severity that fails the scan; null for <c>--fail-on none</c>.</summary>
    public DiagnosticSeverity? FailOn { get; private set; } = DiagnosticSeverity.Warning;

    public List<string> Excludes { get; } = new();

    public string? Baseline { get; private set; }

    public bool Fix { get; private set; }

    /// <summary>The same scan, reporting only: what <c>--fix</c> runs after it has written the fixes.</summary>
    public ScanOptions WithoutFix()
    {
        var copy = (ScanOptions)MemberwiseClone();
        copy.Fix = false;
        return copy;
    }

    public bool NoMsBuild { get; private set; }

    public bool IgnoreConfig { get; private set; }

    public bool Timing { get; private set; }

    public int Passes { get; private set; } = 3;

    /// <summary>--no-wall: --timing's telemetry only, without the whole runs.</summary>
    public bool NoWall { get; private set; }

    public List<string> Compare { get; } = new();

    /// <summary>Analyzer assemblies whose findings are reported beside ours (<c>--also-run</c>, for comparisons).</summary>
    public List<string> AlsoRun { get; } = new();

    public bool Progress { get; private set; }

    public bool ShowVersion { get; private set; }

    /// <summary>
    /// Internal: the scanner runs as one of --timing's two paired-run workers (<see cref="PairedRunWorker"/>), started with the
    /// same command line plus this flag. Not in the usage text: nobody types it.
    /// </summary>
    public const string PairedRunWorkerFlag = "--paired-run-worker";

    public bool PairedRunWorker { get; private set; }

    /// <summary>The command line as given, which the paired-run workers are started with.</summary>
    public IReadOnlyList<string> Arguments { get; private set; } = Array.Empty<string>();

    public static ScanOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        var options = new ScanOptions { Arguments = args.ToList() };
        error = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? Value()
            {
                if (i + 1 < args.Count)
                {
                    return args[++i];
                }

                return null;
            }

            switch (arg)
            {
                case "--version":
                    options.ShowVersion = true;
                    return options;
                case "-h" or "--help":
                    error = "";
                    return null;
                case "--format":
                    switch (Value())
                    {
                        case "text": options.Format = ReportFormat.Text; break;
                        case "sarif": options.Format = ReportFormat.Sarif; break;
                        case "markdown": options.Format = ReportFormat.Markdown; break;
                        default: error = "--format takes text, sarif or markdown."; return null;
                    }

                    break;
                case "--output" or "-o":
                    options.Output = Value();
                    if (options.Output is null)
                    {
                        error = "--output takes a file name.";
                        return null;
                    }

                    break;
                case "--fail-on":
                    switch (Value())
                    {
                        case "none": options.FailOn = null; break;
                        case "error": options.FailOn = DiagnosticSeverity.Error; break;
                        case "warning": options.FailOn = DiagnosticSeverity.Warning; break;
                        case "note": options.FailOn = DiagnosticSeverity.Info; break;
                        default: error = "--fail-on takes error, warning, note or none."; return null;
                    }

                    break;
                case "--baseline":
                    options.Baseline = Value();
                    if (options.Baseline is null || !File.Exists(options.Baseline))
                    {
                        error = $"--baseline takes a SARIF log that exists ('{options.Baseline}' does not).";
                        return null;
                    }

                    options.Baseline = Path.GetFullPath(options.Baseline);
                    break;
                case "--exclude":
                    var glob = Value();
                    if (glob is null)
                    {
                        error = "--exclude takes a glob.";
                        return null;
                    }

                    options.Excludes.Add(glob);
                    break;
                case "--fix":
                    options.Fix = true;
                    break;
                case "--no-msbuild":
                    options.NoMsBuild = true;
                    break;
                case "--ignore-config":
                    options.IgnoreConfig = true;
                    break;
                case "--timing":
                    options.Timing = true;
                    break;
                case "--no-wall":
                    options.NoWall = true;
                    break;
                case "--passes":
                    if (!int.TryParse(Value(), out var passes) || passes < 1)
                    {
                        error = "--passes takes a positive number.";
                        return null;
                    }

                    options.Passes = passes;
                    break;
                case "--compare":
                    var dll = Value();
                    if (dll is null || !File.Exists(dll))
                    {
                        error = $"--compare takes an analyzer assembly that exists ('{dll}' does not).";
                        return null;
                    }

                    options.Compare.Add(Path.GetFullPath(dll));
                    options.Timing = true;
                    break;
                case "--also-run":
                    var also = Value();
                    if (also is null || !File.Exists(also))
                    {
                        error = $"--also-run takes an analyzer assembly that exists ('{also}' does not).";
                        return null;
                    }

                    options.AlsoRun.Add(Path.GetFullPath(also));
                    break;
                case "--progress":
                    options.Progress = true;
                    break;
                case PairedRunWorkerFlag:
                    options.PairedRunWorker = true;
                    break;
                default:
                    if (arg.StartsWith('-') || options.Input.Length > 0)
                    {
                        error = $"Unknown argument '{arg}'.";
                        return null;
                    }

                    options.Input = arg;
                    break;
            }
        }

        if (options.NoWall && !options.Timing)
        {
            error = "--no-wall leaves out part of --timing: give --timing too.";
            return null;
        }

        if (options.PairedRunWorker && (!options.Timing || options.NoWall))
        {
            error = $"{PairedRunWorkerFlag} is --timing's own worker: it goes only with --timing.";
            return null;
        }

        if (options.Fix && options.Timing)
        {
            error = "--fix and --timing do not go together: a benchmark must not change the files it times.";
            return null;
        }

        if (options.AlsoRun.Count > 0 && (options.Timing || options.Fix))
        {
            error = "--also-run reports findings only: it does not go with --timing, --compare or --fix.";
            return null;
        }

        if (options.Input.Length == 0)
        {
            error = "No folder, project or solution given.";
            return null;
        }

        if (!Directory.Exists(options.Input) && !File.Exists(options.Input))
        {
            error = $"'{options.Input}' does not exist.";
            return null;
        }

        options.Input = Path.GetFullPath(options.Input);
        return options;
    }
}
