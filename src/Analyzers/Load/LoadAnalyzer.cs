using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Load;

/// <summary>RES031 unbounded fan-out of outbound calls (<c>Task.WhenAll</c> over a projection, <c>Parallel.ForEach</c> without a limit).</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LoadAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.UnboundedFanOut);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var types = KnownTypes.Create(context.Compilation);
        var load = new LoadTypes(context.Compilation, types);
        if (!load.IsReferenced || load.Enumerable is null)
        {
            // No Task.WhenAll, no Parallel loops, or no LINQ: nothing to fan out with.
            return;
        }

        var recognizer = new FanOutRecognizer(load, new OutboundOperations(types.Console, types.Assembly));
        context.RegisterOperationAction(c => OnInvocation(c, types, recognizer), OperationKind.Invocation);
    }

    /// <summary>RES031: <c>Task.WhenAll</c> and <c>Parallel.ForEach*</c> calls.</summary>
    private static void OnInvocation(OperationAnalysisContext context, KnownTypes types, FanOutRecognizer recognizer)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (!FanOutRecognizer.IsCandidate(invocation.TargetMethod)
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
        => invocation is InvocationExpressionSyntax { Expression: var expression }
            ? expression switch
            {
                MemberAccessExpressionSyntax member => member.Name.Identifier,
                MemberBindingExpressionSyntax binding => binding.Name.Identifier,
                GenericNameSyntax generic => generic.Identifier,
                SimpleNameSyntax simple => simple.Identifier,
                _ => invocation,
            }
            : invocation;
}
