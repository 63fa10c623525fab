using System;
using System.Diagnostics;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;
using System.Threading;

namespace ResilienceAnalyzers.Tests.Product;

/// <summary>
/// The scanner's entry point (<c>Scanner.RunAsync(args, stdout, stderr)</c>) run in this process, in a load context of its
/// own: the scanner hosts a newer Roslyn than these tests load, and resolves it, the analyzers and the code fixes from its
/// own folder as it does when started as a tool. Starting a process per scan costs about two seconds of processor time
/// before anything is scanned (the runtime, then compiling Roslyn's code anew); here that is paid once.
/// </summary>
/// <remarks>
/// Only for what one process would do the same way: a scan that reads the environment (<c>NUGET_PACKAGES</c>), loads
/// projects through MSBuild, or starts copies of itself (the whole-run benchmark) runs as its own process
/// (<see cref="DotNet.Run"/>). One scan at a time: the scanner is written as a process, with the process to itself.
/// </remarks>
internal static class InProcessScanner
{
    private static readonly Lazy<Func<string[], TextWriter, TextWriter, Task<int>>> EntryPoint = new(Load);
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    public static DotNet.Result Run(TimeSpan timeout, params string[] arguments)
    {
        var output = new StringWriter();
        var writer = TextWriter.Synchronized(output);
        var stopwatch = Stopwatch.StartNew();
        OneAtATime.Wait();
        try
        {
            var run = EntryPoint.Value(arguments, writer, writer);
            if (!run.Wait(timeout))
            {
                return new DotNet.Result(-1, TimedOut: true, Header() + output);
            }

            return new DotNet.Result(run.Result, TimedOut: false, Header() + output);
        }
        finally
        {
            OneAtATime.Release();
        }

        string Header() => $"> resilience-scan {string.Join(" ", arguments)}  (in process, {stopwatch.Elapsed.TotalSeconds:F1} s)\n";
    }

    private static Func<string[], TextWriter, TextWriter, Task<int>> Load()
    {
        var context = new ScannerLoadContext(Repository.Scanner);
        var scanner = context.LoadFromAssemblyPath(Repository.Scanner).GetType("ResilienceAnalyzers.Cli.Scanner", throwOnError: true)!;
        var runAsync = scanner.GetMethod("RunAsync", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static, new[] { typeof(string[]), typeof(TextWriter), typeof(TextWriter) })
                       ?? throw new InvalidOperationException("The scanner has no RunAsync(string[], TextWriter, TextWriter).");
        return runAsync.CreateDelegate<Func<string[], TextWriter, TextWriter, Task<int>>>();
    }

    /// <summary>The scanner's assemblies from its folder, as its deps file lists them; the shared framework from this process.</summary>
    private sealed class ScannerLoadContext : AssemblyLoadContext
    {
        private readonly AssemblyDependencyResolver _resolver;

        public ScannerLoadContext(string scannerPath)
            : base("resilience-scan")
        {
            _resolver = new AssemblyDependencyResolver(scannerPath);
        }

        protected override Assembly? Load(AssemblyName assemblyName)
            => _resolver.ResolveAssemblyToPath(assemblyName) is { } path ? LoadFromAssemblyPath(path) : null;

        protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
            => _resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is { } path ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;
    }
}
