using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Configuration;

/// <summary>
/// RES000: an option of ours set to a value the analyzers cannot read (<c>RES001.max_attempts = lots</c>), or a key
/// in our namespaces that names no option (<c>RES001.max_attempt</c>). Without it the analyzers silently use the
/// default and the line that meant to change them does nothing. Checked once per compilation, at its end: every
/// file's options and the global ones, each distinct key and value reported once.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class OptionCheckAnalyzer : DiagnosticAnalyzer
{
    private static readonly ImmutableHashSet<string> KnownKeys =
        Options.All.Select(o => o.Key).ToImmutableHashSet(StringComparer.OrdinalIgnoreCase);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.OptionNotUnderstood);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationAction(Check);
    }

    private static void Check(CompilationAnalysisContext context)
    {
        var provider = context.Options.AnalyzerConfigOptionsProvider;
        // The package's other analyzers build the compilation's known types anyway (cached per compilation), test framework included.
        if (KnownTypes.Create(context.Compilation).IsTestProject && !Options.AnalyzeTestCode.GetValue(context.Options, null))
        {
            return;
        }

        var reported = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        Inspect(context, provider.GlobalOptions, reported);

        // Files under the same configuration usually share one options object: inspect each once.
        var inspected = new HashSet<AnalyzerConfigOptions>(ReferenceEqualityComparer.Instance);
        foreach (var tree in context.Compilation.SyntaxTrees)
        {
            var options = provider.GetOptions(tree);
            if (inspected.Add(options))
            {
                Inspect(context, options, reported);
            }
        }
    }

    private static void Inspect(CompilationAnalysisContext context, AnalyzerConfigOptions options, HashSet<string> reported)
    {
        // Where the host lists the keys, only those that look like ours are looked at: a build's configuration sets
        // hundreds of keys for every file, and most files set none of ours. Older hosts cannot list: every option is probed.
        var ours = KeysOfOurs(options);
        foreach (var option in Options.All)
        {
            if ((ours is null || ours.Contains(option.Key)) && option.TryGetInvalid(options, out var text) && reported.Add(option.Key + "=" + text))
            {
                var why = string.Format(CultureInfo.InvariantCulture, "is not {0}; the default, {1}, is used instead", option.Expected, option.DefaultText);
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.OptionNotUnderstood, Location.None, option.Key, text.Trim(), why));
            }
        }

        if (ours is null)
        {
            return;
        }

        foreach (var key in ours)
        {
            if (!KnownKeys.Contains(key) && options.TryGetValue(key, out var value) && reported.Add(key + "=" + value))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.OptionNotUnderstood, Location.None, key, value.Trim(), "names no option of ResilienceAnalyzers, so it has no effect; check the spelling against the rule's page"));
            }
        }
    }

    /// <summary>A rule option (<c>RES001.x</c>) or a shared one (<c>resilience_analyzers.x</c>); severities are the compiler's.</summary>
    private static bool IsOurs(string key)
    {
        // Every key of every file's configuration passes here: most start with "dotnet_", "csharp_" or "build_".
        if (key.Length == 0 || (key[0] | 0x20) != 'r')
        {
            return false;
        }

        if (key.StartsWith("resilience_analyzers.", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return key.Length > 7 && key.StartsWith("res", StringComparison.OrdinalIgnoreCase) && key[6] == '.'
               && char.IsDigit(key[3]) && char.IsDigit(key[4]) && char.IsDigit(key[5]);
    }

    private sealed class ReferenceEqualityComparer : IEqualityComparer<AnalyzerConfigOptions>
    {
        public static readonly ReferenceEqualityComparer Instance = new();

        public bool Equals(AnalyzerConfigOptions? x, AnalyzerConfigOptions? y) => ReferenceEquals(x, y);

        public int GetHashCode(AnalyzerConfigOptions obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
    }

    /// <summary>
    /// The keys set that look like ours (case as set), where the host can list them; null where it cannot (older hosts).
    /// Read as they are listed, with nothing copied: a build's editorconfig sets hundreds of keys, and every file has its
    /// own options object.
    /// </summary>
    private static HashSet<string>? KeysOfOurs(AnalyzerConfigOptions options)
    {
        var found = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        try
        {
            foreach (var key in options.Keys)
            {
                if (IsOurs(key))
                {
                    found.Add(key);
                }
            }
        }
        catch (NotImplementedException)
        {
            return null;
        }

        return found;
    }
}
