using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Retry;

/// <summary>RES001, RES002 and RES003: one recognition of each retry construct, judged by every retry rule.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RetryAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.RetryHasNoAttemptLimit,
        DiagnosticDescriptors.RetryWithoutBackoff,
        DiagnosticDescriptors.BackoffWithoutJitter);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var recognition = RetryRecognitionContext.Create(context.Compilation);
        var types = recognition.Types;
        if (types.Task is null)
        {
            // Not a compilation against a .NET framework we understand.
            return;
        }

        var judge = new RetryJudge(types);

        context.RegisterOperationAction(
            c => judge.Report(c, LoopRetryRecognizer.Recognize((ILoopOperation)c.Operation, recognition, c.CancellationToken)),
            OperationKind.Loop);

        context.RegisterOperationAction(
            c => judge.Report(c, GotoRetryRecognizer.Recognize((IBranchOperation)c.Operation, recognition)),
            OperationKind.Branch);

        var polly = PollyRetryAnalysis.TryCreate(recognition, judge);
        context.RegisterOperationAction(
            c => OnInvocation(c, recognition, judge, polly),
            OperationKind.Invocation);

        if (polly is not null && types.Polly.HasV8)
        {
            context.RegisterOperationAction(polly.OnObjectCreation, OperationKind.ObjectCreation);
            context.RegisterOperationAction(polly.OnSimpleAssignment, OperationKind.SimpleAssignment);
        }
    }

    private static void OnInvocation(OperationAnalysisContext context, RetryRecognitionContext recognition, RetryJudge judge, PollyRetryAnalysis? polly)
    {
        polly?.OnInvocation(context);

        var invocation = (IInvocationOperation)context.Operation;

        // Cheap test first: only a call to the method being analysed can be a recursive retry.
        if (SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.OriginalDefinition, context.ContainingSymbol.OriginalDefinition))
        {
            judge.Report(context, RecursiveRetryRecognizer.Recognize(invocation, context.ContainingSymbol, recognition));
        }
    }
}
