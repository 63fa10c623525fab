using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Retry;

/// <summary>RES001, RES002, RES003, RES004 and RES005: one recognition of each retry construct, judged by every retry rule.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RetryAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.RetryHasNoAttemptLimit,
        DiagnosticDescriptors.RetryWithoutBackoff,
        DiagnosticDescriptors.BackoffWithoutJitter,
        DiagnosticDescriptors.BackoffWithoutCap,
        DiagnosticDescriptors.RetryOnEveryException);

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

        // A goto back before the try and a method calling itself both go round from a catch: they are looked for in
        // the catches of each try, far fewer than the branches and invocations of a compilation.
        context.RegisterOperationAction(c => OnTry(c, recognition, judge), OperationKind.Try);

        if (LibraryRetryAnalysis.TryCreate(context.Compilation, recognition, judge) is { } libraries)
        {
            context.RegisterOperationAction(libraries.OnInvocation, OperationKind.Invocation);
            context.RegisterOperationAction(libraries.OnObjectCreation, OperationKind.ObjectCreation);
            context.RegisterOperationAction(libraries.OnSimpleAssignment, OperationKind.SimpleAssignment);
            if (libraries.JudgesMethodBodies)
            {
                context.RegisterOperationAction(libraries.OnMethodBody, OperationKind.MethodBody);
            }
        }

        if (PollyRetryAnalysis.TryCreate(recognition, judge) is { } polly)
        {
            context.RegisterOperationAction(polly.OnInvocation, OperationKind.Invocation);
            if (types.Polly.HasV8)
            {
                context.RegisterOperationAction(polly.OnObjectCreation, OperationKind.ObjectCreation);
                context.RegisterOperationAction(polly.OnSimpleAssignment, OperationKind.SimpleAssignment);
            }
        }
    }

    /// <summary>
    /// The gotos and the calls to the method being analysed in each catch of the try. A nested try's catches are left
    /// to that try, and lambdas and local functions to themselves: the recognisers take the nearest catch around them.
    /// </summary>
    private static void OnTry(OperationAnalysisContext context, RetryRecognitionContext recognition, RetryJudge judge)
    {
        var self = context.ContainingSymbol.OriginalDefinition;
        foreach (var @catch in ((ITryOperation)context.Operation).Catches)
        {
            foreach (var operation in OperationTree.Descendants(@catch.Handler, static o => o is ICatchClauseOperation))
            {
                switch (operation)
                {
                    case IBranchOperation { BranchKind: BranchKind.GoTo } branch:
                        judge.Report(context, GotoRetryRecognizer.Recognize(branch, recognition));
                        break;
                    case IInvocationOperation invocation when SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.OriginalDefinition, self):
                        judge.Report(context, RecursiveRetryRecognizer.Recognize(invocation, context.ContainingSymbol, recognition));
                        break;
                }
            }
        }
    }
}
