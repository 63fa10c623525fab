using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;
using ResilienceAnalyzers.Libraries;

namespace ResilienceAnalyzers.Retry;

/// <summary>
/// RES001, RES002, RES003, RES004, RES005, RES006 and RES007: one recognition of each retry construct, judged by every retry
/// rule. RES006's layers reached through calls and SDK clients are judged when the compilation ends (<see cref="RetryLayerModel"/>).
/// </summary>
/// <remarks>Exported through <see cref="ResilienceAnalyzer"/>, which runs the families together; this class runs one family
/// alone (tests, tools).</remarks>
#pragma warning disable RS1001 // Not exported on purpose: ResilienceAnalyzer composes the families (see its remarks).
public sealed class RetryAnalyzer : DiagnosticAnalyzer
#pragma warning restore RS1001
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.RetryHasNoAttemptLimit,
        DiagnosticDescriptors.RetryWithoutBackoff,
        DiagnosticDescriptors.BackoffWithoutJitter,
        DiagnosticDescriptors.BackoffWithoutCap,
        DiagnosticDescriptors.RetryOnEveryException,
        DiagnosticDescriptors.RetryInsideRetry,
        DiagnosticDescriptors.NonIdempotentRequestRetried);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    internal static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var recognition = RetryRecognitionContext.Create(context.Compilation);
        var types = recognition.Types;
        if (types.Task is null)
        {
            // Not a compilation against a .NET framework we understand.
            return;
        }

        var judge = new RetryJudge(types);
        var libraryTypes = LibraryRetryTypes.TryCreate(context.Compilation);
        var layers = new RetryLayerModel(context.Compilation, recognition, libraryTypes);

        context.RegisterOperationAction(
            c =>
            {
                var loop = (ILoopOperation)c.Operation;
                var construct = LoopRetryRecognizer.Recognize(loop, recognition, c.CancellationToken);
                judge.Report(c, construct);
                if (construct is not null && judge.ShouldAnalyze(c.Options, loop.Syntax.SyntaxTree))
                {
                    layers.OnConstruct(c, construct, RetryLayerModel.ProtectedWork(loop, construct));
                }
            },
            OperationKind.Loop);

        // A goto back before the try and a method calling itself both go round from a catch: they are looked for in
        // the catches of each try, far fewer than the branches and invocations of a compilation.
        context.RegisterOperationAction(c => OnTry(c, recognition, judge, layers), OperationKind.Try);

        // One callback per operation kind for Polly, the libraries and the layers together: the driver's cost of a callback
        // is paid on every invocation, creation and assignment of the compilation, far more often than anything is found.
        // The layers need every invocation: the call edges between the compilation's methods, and the SDK clients they call.
        // RES006/RES007 through factory clients: the builder chains and the sends are seen by the same invocation callback.
        var factoryClients = (types.Polly.HasHttpResilience || types.Polly.HasV7)
                             && context.Compilation.GetTypeByMetadataName("Microsoft.Extensions.DependencyInjection.IHttpClientBuilder") is not null
            ? new FactoryClientLayers(types, judge)
            : null;
        layers.FactoryClients = factoryClients;
        var libraries = libraryTypes is null ? null : LibraryRetryAnalysis.Create(libraryTypes, recognition, judge, layers.Sdk);
        var polly = PollyRetryAnalysis.TryCreate(recognition, judge, layers);
        context.RegisterOperationAction(
            c =>
            {
                polly?.OnInvocation(c);
                libraries?.OnInvocation(c);
                layers.OnInvocation(c);
                var invocation = (IInvocationOperation)c.Operation;
                factoryClients?.OnInvocation(c, invocation);
                if (RetryChains.IsCandidateName(invocation.TargetMethod.Name) && judge.ShouldAnalyze(c.Options, invocation.Syntax.SyntaxTree))
                {
                    RetryChains.OnInvocation(c, invocation, types, libraryTypes);
                }
            },
            OperationKind.Invocation);

        var pollyOptions = polly is not null && types.Polly.HasV8 ? polly : null;
        if (libraries is not null || pollyOptions is not null)
        {
            context.RegisterOperationAction(
                c =>
                {
                    pollyOptions?.OnObjectCreation(c);
                    libraries?.OnObjectCreation(c);
                    if (libraryTypes?.GrpcRetryPolicy is not null)
                    {
                        layers.Sdk.OnObjectCreation((IObjectCreationOperation)c.Operation);
                    }
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

        context.RegisterCompilationEndAction(
            c =>
            {
                // The factory clients' layers go into the model first: it judges the sends inside retries with the rest.
                factoryClients?.OnCompilationEnd(c, layers);
                layers.OnCompilationEnd(c);
            });

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
    private static void OnTry(OperationAnalysisContext context, RetryRecognitionContext recognition, RetryJudge judge, RetryLayerModel layers)
    {
        var self = context.ContainingSymbol.OriginalDefinition;
        foreach (var @catch in ((ITryOperation)context.Operation).Catches)
        {
            // Most catches neither jump nor name their own method: their tokens say so without reading their operations.
            if (!MayGoRound(@catch.Handler.Syntax, self.Name))
            {
                continue;
            }

            foreach (var operation in OperationTree.Descendants(@catch.Handler, static o => o is ICatchClauseOperation))
            {
                switch (operation)
                {
                    case IBranchOperation { BranchKind: BranchKind.GoTo } branch:
                        Judge(GotoRetryRecognizer.Recognize(branch, recognition));
                        break;
                    case IInvocationOperation invocation when SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.OriginalDefinition, self):
                        Judge(RecursiveRetryRecognizer.Recognize(invocation, context.ContainingSymbol, recognition));
                        break;
                }
            }
        }

        void Judge(RetryConstruct? construct)
        {
            judge.Report(context, construct);
            if (construct is not null && judge.ShouldAnalyze(context.Options, context.Operation.Syntax.SyntaxTree))
            {
                layers.OnConstruct(context, construct, ((ITryOperation)context.Operation).Body);
            }
        }
    }

    /// <summary>A <c>goto</c>, or the name of the method the catch is in: what a goto retry or a recursive retry needs.</summary>
    private static bool MayGoRound(SyntaxNode handler, string methodName)
    {
        foreach (var token in handler.DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.GotoKeyword) || (token.IsKind(SyntaxKind.IdentifierToken) && token.ValueText == methodName))
            {
                return true;
            }
        }

        return false;
    }
}
