using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Build.Locator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.MSBuild;

namespace ResilienceAnalyzers.Cli;

/// <summary>
/// Project and solution mode: restore, then load through MSBuildWorkspace with the installed SDK's MSBuild.
/// Returns null when the input does not restore or load, so the caller falls back to folder mode.
/// </summary>
internal static class MsBuildLoader
{
    public static async Task<IReadOnlyList<ScanTarget>?> LoadAsync(
        string path, IReadOnlyList<Glob> excludes, string root, Action<string> log)
    {
        if (!Restore(path, log))
        {
            return null;
        }

        // MSBuild's assemblies must be located before any method that touches MSBuildWorkspace is compiled.
        if (!MSBuildLocator.IsRegistered)
        {
            MSBuildLocator.RegisterDefaults();
        }

        return await OpenAsync(path, excludes, root, log);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<IReadOnlyList<ScanTarget>?> OpenAsync(
        string path, IReadOnlyList<Glob> excludes, string root, Action<string> log)
    {
        using var workspace = MSBuildWorkspace.Create();
        var projects = new List<Project>();
        if (path.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase))
        {
            projects.Add(await workspace.OpenProjectAsync(path));
        }
        else
        {
            var solution = await workspace.OpenSolutionAsync(path);
            projects.AddRange(solution.Projects);
        }

        foreach (var diagnostic in workspace.Diagnostics.Where(d => d.Kind == WorkspaceDiagnosticKind.Failure))
        {
            log("msbuild: " + diagnostic.Message);
        }

        var compilations = new List<ScanTarget>();
        foreach (var project in projects.Where(p => p.Language == LanguageNames.CSharp))
        {
            if (project.FilePath is { } file && Glob.AnyMatches(excludes, root, file))
            {
                continue;
            }

            if (!project.MetadataReferences.Any())
            {
                // A project that loaded without even its framework did not restore or build its design-time state.
                log($"msbuild: {project.Name} loaded without references; falling back to folder mode.");
                return null;
            }

            var compilation = await project.GetCompilationAsync();
            if (compilation is not null)
            {
                compilations.Add(new ScanTarget(project.Name, compilation, project.AnalyzerOptions) { Project = project });
            }
        }

        return compilations.Count == 0 ? null : compilations;
    }

    private static bool Restore(string path, Action<string> log)
    {
        var start = new ProcessStartInfo("dotnet", new[] { "restore", path, "--verbosity", "quiet", "-nologo" })
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start);
        if (process is null)
        {
            return false;
        }

        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            log("msbuild: restore did not finish in 5 minutes; falling back to folder mode.");
            return false;
        }

        if (process.ExitCode != 0)
        {
            log("msbuild: restore failed; falling back to folder mode.\n" + output.Result + error.Result);
            return false;
        }

        return true;
    }
}
