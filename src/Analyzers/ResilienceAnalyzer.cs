using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using ResilienceAnalyzers.Common;
using ResilienceAnalyzers.Endpoints;
using ResilienceAnalyzers.Load;
using ResilienceAnalyzers.Retry;
using ResilienceAnalyzers.Timeouts;

namespace ResilienceAnalyzers;

/// <summary>
/// The analyzer the package exports for the rule families (endpoints, load, retries, timeouts): each family registers what
/// it needs at compilation start as it would on its own, and the families that ask for the same operation kind share one
/// callback for it (<see cref="SharedOperationCallbacks"/>).
/// </summary>
/// <remarks>
/// The compiler's driver pays a fixed cost for every callback it makes, on every operation of the registered kinds, whether
/// or not anything is found; a compilation has tens of thousands of invocations, literals and field references. Four
/// analyzers each registering for invocations cost four callbacks per invocation; composed, one. The families stay separate
/// classes (tests and tools run each alone), but only this one is exported, so no build runs a family twice.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ResilienceAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        new DiagnosticAnalyzer[] { new EndpointAnalyzer(), new LoadAnalyzer(), new RetryAnalyzer(), new TimeoutAnalyzer() }
            .SelectMany(family => family.SupportedDiagnostics)
            .Distinct()
            .ToImmutableArray();

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var shared = new SharedOperationCallbacks(context);
        EndpointAnalyzer.OnCompilationStart(shared);
        LoadAnalyzer.OnCompilationStart(shared);
        RetryAnalyzer.OnCompilationStart(shared);
        TimeoutAnalyzer.OnCompilationStart(shared);
        shared.Register();
    }
}
