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

        // One callback per operation kind for Polly and the libraries together: the driver's cost of a callback is paid
        // on every invocation, creation and assignment of the compilation, far more often than anything is found.
        var libraries = LibraryRetryAnalysis.TryCreate(context.Compilation, recognition, judge);
        var polly = PollyRetryAnalysis.TryCreate(recognition, judge);
        if (libraries is not null || polly is not null)
        {
            context.RegisterOperationAction(
                c =>
                {
                    polly?.OnInvocation(c);
                    libraries?.OnInvocation(c);
                },
                OperationKind.Invocation);
        }

        var pollyOptions = polly is not null && types.Polly.HasV8 ? polly : null;
        if (libraries is not null || pollyOptions is not null)
        {
            context.RegisterOperationAction(
                c =>
                {
                    pollyOptions?.OnObjectCreation(c);
                    libraries?.OnObjectCreation(c);
                },
                OperationKind.ObjectCreation);
            context.RegisterOperationAction(
                c =>
                {
                    pollyOptions?.OnSimpleAssignment(c);
                    libraries?.OnSimpleAssignment(c);
                },
                OperationKind.SimpleAssignment);
        }

        if (libraries is { JudgesMethodBodies: true })
        {
            // Only an override named GetNextDelay is read, from its declaration: no callback per method body.
            context.RegisterSymbolAction(libraries.OnMethod, SymbolKind.Method);
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
