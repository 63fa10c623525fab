using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;
using ResilienceAnalyzers.Libraries.Http;

namespace ResilienceAnalyzers.Load;

/// <summary>
/// RES030 retries with no circuit breaker (<see cref="RetryWithoutBreaker"/>: pipelines and wraps from the invocation callback,
/// factory clients at compilation end) and RES031 unbounded fan-out of outbound calls (<c>Task.WhenAll</c> over a projection,
/// <c>Parallel.ForEach</c> without a limit).
/// </summary>
/// <remarks>Exported through <see cref="ResilienceAnalyzer"/>, which runs the families together; this class runs one family
/// alone (tests, tools).</remarks>
#pragma warning disable RS1001 // Not exported on purpose: ResilienceAnalyzer composes the families (see its remarks).
public sealed class LoadAnalyzer : DiagnosticAnalyzer
#pragma warning restore RS1001
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.RetryWithoutCircuitBreaker,
        DiagnosticDescriptors.UnboundedFanOut);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    internal static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var types = KnownTypes.Create(context.Compilation);
        var load = new LoadTypes(context.Compilation, types);

        // RES031 needs Task.WhenAll, Parallel loops and LINQ to fan out with; RES030 needs Polly, and judges nothing in an
        // Aspire AppHost or hosting integration: its retries wait for the resources it starts, once each, with one caller.
        // Both rules ask about other members' code (who calls a helper with what, who fills a field): MemberUses answers.
        var fanOut = load.IsReferenced && load.Enumerable is not null;
        var breaking = (types.Polly.HasV7 || types.Polly.HasV8) && !StartupCode.IsAppHost(context.Compilation);
        if (!fanOut && !breaking)
        {
            return;
        }

        var uses = MemberUses.For(context.Compilation);
        var recognizer = fanOut ? new FanOutRecognizer(load, new OutboundOperations(types.Console, types.Assembly), uses) : null;
        var breakers = breaking ? new RetryWithoutBreaker(types, uses) : null;
        context.RegisterOperationAction(c => OnInvocation(c, types, recognizer, breakers), OperationKind.Invocation);
        if (breakers is not null)
        {
            context.RegisterCompilationEndAction(c => breakers.OnCompilationEnd(c, tree => types.ShouldAnalyze(c.Options, tree)));
        }
    }

    /// <summary>RES030: builder chains and v7 wraps; RES031: <c>Task.WhenAll</c> and <c>Parallel.ForEach*</c> calls.</summary>
    private static void OnInvocation(OperationAnalysisContext context, KnownTypes types, FanOutRecognizer? recognizer, RetryWithoutBreaker? breakers)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (breakers is not null && RetryWithoutBreaker.IsCandidate(invocation))
        {
            if (types.ShouldAnalyze(context.Options, invocation.Syntax.SyntaxTree) || HttpClientBuilderRecognizer.IsBuilderType(invocation.Type))
            {
                // Registrations are collected from every file: a test file's registration still configures the client.
                breakers.OnInvocation(context, invocation, types.ShouldAnalyze(context.Options, invocation.Syntax.SyntaxTree));
            }

            return;
        }

        if (recognizer is null
            || !FanOutRecognizer.IsCandidate(invocation.TargetMethod)
            || !types.ShouldAnalyze(context.Options, invocation.Syntax.SyntaxTree)
            || recognizer.Recognize(invocation, context.CancellationToken) is not { } fanOut)
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.UnboundedFanOut,
            MethodName(invocation.Syntax).GetLocation(),
            fanOut.Method,
            fanOut.OutboundCall,
            fanOut.Source,
            Pace(fanOut.Pace)));
    }

    private static string Pace(FanOutPace pace)
        => pace switch
        {
            FanOutPace.ThreadPool => "on as many threads as the thread pool gives it (no MaxDegreeOfParallelism)",
            FanOutPace.Unlimited => "with MaxDegreeOfParallelism = int.MaxValue",
            _ => "at once",
        };

    /// <summary>The called method's name token: <c>WhenAll</c> in <c>Task.WhenAll(tasks)</c>.</summary>
    private static SyntaxNodeOrToken MethodName(SyntaxNode invocation)
        => invocation is InvocationExpressionSyntax call && SyntaxShapes.CalledName(call) is { } name ? name : invocation;
}
