using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ResilienceAnalyzers.Cli;

/// <summary>
/// A copy of the scanner, started with the same command line and <c>--paired-run-worker</c>, that loads the same
/// compilations and then times whole analyzer runs on request: the parent writes the index of a run
/// (<see cref="Benchmark.WholeRuns"/>) on a line, the worker answers with the processor time the run took, in ticks.
/// </summary>
/// <remarks>
/// Two workers make the two runs of a difference at the same time, both held to one core, so the scheduler interleaves
/// them a few milliseconds at a time and both see the same machine; each counts only its own processor time (its own
/// heap and collections included). On a shared host the speed of the same run changed by a third from one minute to
/// the next: the same differences made one run after the other ranged over seconds, made side by side over a few
/// hundred milliseconds. A run's processor time while sharing the core is higher than the same run's time alone (its
/// caches are shared too), so costs are compared as shares of the run they were measured beside.
/// </remarks>
internal sealed class PairedRunWorker : IAsyncDisposable
{
    private const string Ready = "ready";
    private readonly Process _process;
    private readonly StringBuilder _errors = new();

    private PairedRunWorker(Process process)
    {
        _process = process;
    }

    /// <summary>Starts a worker with the scanner's own command line and waits until it has loaded the compilations.</summary>
    public static async Task<PairedRunWorker> StartAsync(IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo
        {
            FileName = Environment.ProcessPath ?? "dotnet",
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // Both workers share one core (below): a runtime that believed it had more would spin in its locks while the other
        // worker holds the core.
        start.Environment["DOTNET_PROCESSOR_COUNT"] = "1";

        // Run through the dotnet host (dotnet resilience-scan.dll) or as the tool's own executable.
        if (Path.GetFileNameWithoutExtension(start.FileName).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(PairedRunWorker).Assembly.Location);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add(ScanOptions.PairedRunWorkerFlag);
        var worker = new PairedRunWorker(Process.Start(start) ?? throw new IOException("the paired-run worker did not start."));
        if (OperatingSystem.IsLinux() || OperatingSystem.IsWindows())
        {
            // The lowest core this process may use: both workers get the same one.
            using var current = Process.GetCurrentProcess();
            var allowed = (long)current.ProcessorAffinity;
            try
            {
                worker._process.ProcessorAffinity = (nint)(allowed & -allowed);
            }
            catch (System.ComponentModel.Win32Exception exception)
            {
                worker._process.Kill();
                throw new IOException($"the paired-run worker could not be held to one core: {exception.Message}");
            }
        }

        worker._process.ErrorDataReceived += (_, e) =>
        {
            lock (worker._errors)
            {
                if (e.Data is not null && worker._errors.Length < 8000)
                {
                    worker._errors.AppendLine(e.Data);
                }
            }
        };
        worker._process.BeginErrorReadLine();
        if (await worker._process.StandardOutput.ReadLineAsync() != Ready)
        {
            throw worker.Failed();
        }

        return worker;
    }

    /// <summary>Starts run <paramref name="index"/> in the worker; the task ends with the processor time it took.</summary>
    public async Task<TimeSpan> RunAsync(int index)
    {
        await _process.StandardInput.WriteLineAsync(index.ToString(CultureInfo.InvariantCulture));
        await _process.StandardInput.FlushAsync();
        var answer = await _process.StandardOutput.ReadLineAsync();
        return long.TryParse(answer, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ticks)
            ? TimeSpan.FromTicks(ticks)
            : throw Failed();
    }

    private IOException Failed()
    {
        lock (_errors)
        {
            return new IOException($"the paired-run worker stopped: {_errors.ToString().Trim()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    /// <summary>
    /// The worker's side: says it is ready, then times each run asked for on <paramref name="input"/> until the input
    /// ends, each on a fresh copy of every compilation, after a collection of the heap.
    /// </summary>
    public static async Task ServeAsync(
        IReadOnlyList<ScanTarget> targets, IReadOnlyList<(string Label, ImmutableArray<DiagnosticAnalyzer> Analyzers)> runs, TextReader input, TextWriter output)
    {
        await output.WriteLineAsync(Ready);
        await output.FlushAsync();
        while (await input.ReadLineAsync() is { } line
               && int.TryParse(line, NumberStyles.Integer, CultureInfo.InvariantCulture, out var index)
               && index >= 0 && index < runs.Count)
        {
            var elapsed = TimeSpan.Zero;
            foreach (var target in targets)
            {
                elapsed += await Benchmark.TimeRunAsync(target, runs[index].Analyzers);
            }

            await output.WriteLineAsync(elapsed.Ticks.ToString(CultureInfo.InvariantCulture));
            await output.FlushAsync();
        }
    }
}
