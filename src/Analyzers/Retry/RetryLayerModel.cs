using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;
using ResilienceAnalyzers.Libraries;

namespace ResilienceAnalyzers.Retry;

/// <summary>
/// RES006 and RES007: the compilation-wide model of retry layers (DESIGN.md, "Models that span a compilation"). Every retry
/// construct the retry rules recognise is a layer; what its protected work contains is read once, when it is recognised:
/// <list type="bullet">
/// <item>another retry construct written inside it, and a POST or PATCH it sends: reported there and then, so they show
/// while typing;</item>
/// <item>calls to methods of the compilation and to SDK clients that retry by themselves: kept as small facts (symbols and
/// locations) and judged when the compilation ends, when every method's retries, every call edge and every SDK retry
/// setting are known. The compiler runs that part in builds and full-solution analysis, not while typing.</item>
/// </list>
/// A layer of another kind (a factory client whose registration adds a retry) plugs in as one more
/// <see cref="RetryLayer"/>: recorded against the method that sends through it with <see cref="AddContainedRetry"/>, or
/// against the call with <see cref="AddProtectedLayer"/>.
/// </summary>
internal sealed class RetryLayerModel
{
    /// <summary>RULES.md, RES006: a retry reached through up to three calls.</summary>
    private const int MaxCallDepth = 3;

    private readonly RetryRecognitionContext _recognition;
    private readonly IAssemblySymbol _assembly;
    private readonly ConcurrentDictionary<IMethodSymbol, RetryLayer> _methodRetries = new(SymbolEqualityComparer.Default);
    // Queues, not bags: a bag keeps a list per thread, found through a thread-local on every add, and the edges are added
    // on every call between the compilation's methods.
    private readonly ConcurrentQueue<(IMethodSymbol Caller, IMethodSymbol Callee)> _edges = new();
    private readonly ConcurrentQueue<(IMethodSymbol Method, string Group, string Name)> _sdkCalls = new();
    private readonly ConcurrentQueue<ProtectedCall> _protected = new();
    private readonly ConcurrentQueue<(RetryLayer Inner, RetryLayer Outer, Location At)> _layered = new();

    public RetryLayerModel(Compilation compilation, RetryRecognitionContext recognition, LibraryRetryTypes? libraries)
    {
        _recognition = recognition;
        _assembly = compilation.Assembly;
        Sdk = new SdkClientRetries(compilation, recognition.Types, libraries);
    }

    public SdkClientRetries Sdk { get; }

    /// <summary>Sends through factory clients, when Microsoft.Extensions.Http is referenced: told of each call in a retry's protected work.</summary>
    public FactoryClientLayers? FactoryClients { get; set; }

    /// <summary>A call in an outer retry's protected work: into a method of the compilation, or to an SDK client group.</summary>
    private sealed record ProtectedCall(RetryLayer Outer, IMethodSymbol OuterMethod, IMethodSymbol? Callee, string? SdkGroup, string Name, Location Location)
    {
        /// <summary>What the SDK call lets out to the outer retry's catches once its retries give up; null when not known.</summary>
        public SdkFailures? LetsOut { get; init; }
    }

    /// <summary><paramref name="method"/> contains a retry layer: callers retrying around it multiply with it.</summary>
    /// <remarks>A method with two layers may let out what either gives up with: what it lets out is then not known.</remarks>
    public void AddContainedRetry(IMethodSymbol method, RetryLayer layer)
        => _methodRetries.AddOrUpdate(method.OriginalDefinition, layer, (_, old) => ((layer.Attempts ?? 0) > (old.Attempts ?? 0) ? layer : old) with { GivesUpWith = default });

    /// <summary>A layer known to run inside <paramref name="outer"/>, judged when the compilation ends.</summary>
    public void AddProtectedLayer(RetryLayer outer, RetryLayer inner, Location at) => _layered.Enqueue((inner, outer, at));

    /// <summary>Every invocation: call edges between methods of the compilation, and the SDK clients each method calls.</summary>
    public void OnInvocation(OperationAnalysisContext context)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (context.ContainingSymbol is not IMethodSymbol caller)
        {
            return;
        }

        var target = invocation.TargetMethod.OriginalDefinition;
        var followed = IsFollowed(target);
        if (!followed && !Sdk.Any || InStoredLambda(invocation))
        {
            return;
        }

        // An SDK client first: a generated gRPC client is declared in the compilation, and retries as its channel does.
        if (Sdk.Any)
        {
            Sdk.OnInvocation(invocation);
            if (Sdk.GroupOf(invocation, out var client) is { } group)
            {
                _sdkCalls.Enqueue((caller.OriginalDefinition, group, client + "." + invocation.TargetMethod.Name));
                return;
            }
        }

        if (followed)
        {
            _edges.Enqueue((caller.OriginalDefinition, target));
        }
    }

    /// <summary>A hand-written retry the retry rules recognised, with the operation whose failure it repeats.</summary>
    public void OnConstruct(OperationAnalysisContext context, RetryConstruct construct, IOperation protectedWork)
    {
        var layer = RetryLayer.For(construct);
        var attempt = protectedWork.Parent as ITryOperation;
        if (attempt is not null && RoundCatches(attempt, construct.FailureCatches) is { IsDefault: false } caught)
        {
            layer = layer with
            {
                RoundCatches = caught,
                LeftOutNonTransient = caught.Length < construct.FailureCatches.Length,
                WorkThrows = GiveUpFailures.ThrownIn(protectedWork),
            };
        }

        if (context.Operation is ILoopOperation loop)
        {
            layer = layer with { GivesUpWith = GiveUpFailures.Of(loop, attempt, construct.FailureCatches) };
        }

        if (context.ContainingSymbol is IMethodSymbol method && !InStoredLambda(protectedWork))
        {
            AddContainedRetry(method, layer);
        }

        ScanProtected(layer, context.ContainingSymbol, new[] { protectedWork }, context.ReportDiagnostic, context.Options, unsafeMethodsExcluded: false, context.CancellationToken);
    }

    /// <summary>
    /// A Polly retry (v7 policy call, v8 options): the work of each of its executions, when the compilation shows them all
    /// (<see cref="Libraries.Polly.PollyExecutedWork"/>). An execution inside a retry loop is nested in that loop.
    /// </summary>
    public void OnPolly(OperationAnalysisContext context, IOperation construct, RetryLayer layer, bool unsafeMethodsExcluded)
    {
        if (Libraries.Polly.PollyExecutedWork.Find(construct, context.CancellationToken) is not { } callbacks)
        {
            return;
        }

        foreach (var callback in callbacks)
        {
            // The callback is a lambda's body: the execution is the call the lambda is an argument of.
            if (callback.Parent is not IAnonymousFunctionOperation lambda
                || OperationTree.Ancestor<IInvocationOperation>(lambda) is not { } execution || execution.SemanticModel is not { } model)
            {
                continue;
            }

            var at = NameLocation(execution);
            var method = EnclosingMember.At(model, execution.Syntax.SpanStart, context.CancellationToken);
            if (method is IMethodSymbol executing)
            {
                AddContainedRetry(executing, layer);
            }

            for (var ancestor = execution.Parent; ancestor is not null; ancestor = ancestor.Parent)
            {
                if (ancestor is ILoopOperation loop && LoopRetryRecognizer.Recognize(loop, _recognition, context.CancellationToken) is { } outer)
                {
                    if (ProtectedWork(loop, outer).Syntax.Span.Contains(execution.Syntax.Span))
                    {
                        ReportNested(context.ReportDiagnostic, context.Options, RetryLayer.For(outer), layer, at);
                    }

                    break;
                }
            }

            ScanProtected(layer, method, new[] { callback }, context.ReportDiagnostic, context.Options, unsafeMethodsExcluded, context.CancellationToken);
        }
    }

    /// <summary>
    /// The types the failure catches of a loop's try catch, but those that admit only non-transient failures
    /// (<see cref="RetryLayer.RoundCatches"/>); default when the loop does not go round from catches.
    /// </summary>
    private static ImmutableArray<ITypeSymbol> RoundCatches(ITryOperation @try, ImmutableArray<int> failureCatches)
    {
        if (failureCatches.IsDefaultOrEmpty)
        {
            return default;
        }

        var builder = ImmutableArray.CreateBuilder<ITypeSymbol>(failureCatches.Length);
        foreach (var index in failureCatches)
        {
            if (index < 0 || index >= @try.Catches.Length)
            {
                return default;
            }

            var clause = @try.Catches[index];
            if (!NonTransientCatches.AdmitsOnlyNonTransient(clause))
            {
                builder.Add(clause.ExceptionType);
            }
        }

        return builder.ToImmutable();
    }

    /// <summary>
    /// Inside a lambda the method stores for later (assigned to a field, property or event, or returned): it runs when that
    /// delegate is invoked, not when the method is called, so a caller retrying around the method does not repeat it.
    /// </summary>
    private static bool InStoredLambda(IOperation operation)
    {
        // By kind: this climbs from every call to the compilation's own methods, and an interface type test scans the
        // operation class's interfaces.
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current.Kind != OperationKind.AnonymousFunction)
            {
                continue;
            }

            var outer = OperationTree.Outer(current);
            if (outer.Parent is IDelegateCreationOperation creation)
            {
                outer = OperationTree.Outer(creation);
            }

            if (outer.Parent is IReturnOperation or IEventAssignmentOperation
                || outer.Parent is IAssignmentOperation { Target: IMemberReferenceOperation } assignment && assignment.Value == outer)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What a retry loop repeats after a failure: the block of its try, or its body for a retry on an unsuccessful result.</summary>
    public static IOperation ProtectedWork(ILoopOperation loop, RetryConstruct construct)
    {
        if (construct.TryStatement is { } tryStatement)
        {
            foreach (var operation in OperationTree.Descendants(loop.Body))
            {
                if (operation is ITryOperation @try && @try.Syntax == tryStatement)
                {
                    return @try.Body;
                }
            }
        }

        return loop.Body;
    }

    /// <summary>
    /// A method of this compilation that may have a body: not abstract (an interface's included). One without a body after
    /// all (extern, a partial method never implemented) holds no retry and calls nothing, so the edge to it leads nowhere;
    /// asking for its declaring syntax instead would build an array on every call of the compilation.
    /// </summary>
    private bool IsFollowed(IMethodSymbol method)
        => method.MethodKind is MethodKind.Ordinary or MethodKind.LocalFunction && !method.IsAbstract
           && SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, _assembly);

    /// <summary>
    /// The protected work of a recognised retry: nested retry constructs and unsafe requests are reported now; calls to the
    /// compilation's methods and to SDK clients are kept for the end. A retry's work handed to a Polly execution is left to
    /// that execution's own layer, and a nested retry's work to the nested retry.
    /// </summary>
    public void ScanProtected(RetryLayer outer, ISymbol? outerMethod, IEnumerable<IOperation> regions, System.Action<Diagnostic> report, AnalyzerOptions options, bool unsafeMethodsExcluded, CancellationToken cancellationToken)
    {
        var method = (outerMethod as IMethodSymbol)?.OriginalDefinition;
        var roots = regions as IOperation[] ?? System.Linq.Enumerable.ToArray(regions);
        var stack = new Stack<IOperation>(roots);
        while (stack.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var operation = stack.Pop();
            switch (operation)
            {
                case ILoopOperation loop when LoopRetryRecognizer.Recognize(loop, _recognition, cancellationToken) is { } nested:
                    ReportNested(report, options, outer, RetryLayer.For(nested), nested.ReportLocation);
                    continue;
                case IAnonymousFunctionOperation lambda when IsPollyExecution(lambda):
                    continue;
                case IInvocationOperation call:
                    OnProtectedCall(outer, method, call, roots, report, unsafeMethodsExcluded);
                    break;
            }

            foreach (var child in operation.ChildOperations)
            {
                stack.Push(child);
            }
        }
    }

    private void OnProtectedCall(RetryLayer outer, IMethodSymbol? method, IInvocationOperation call, IOperation[] roots, System.Action<Diagnostic> report, bool unsafeMethodsExcluded)
    {
        if (!unsafeMethodsExcluded && UnsafeRequests.MethodOf(call, _recognition.Types) is { } verb && !UnsafeRequests.CarriesIdempotencyKey(call))
        {
            report(Diagnostic.Create(DiagnosticDescriptors.NonIdempotentRequestRetried, NameLocation(call), call.TargetMethod.Name, verb, outer.DisplayName));
        }

        FactoryClients?.OnProtectedCall(outer, call);
        if (method is null)
        {
            return;
        }

        var target = call.TargetMethod.OriginalDefinition;
        if (Sdk.Any && Sdk.GroupOf(call, out var client) is { } group)
        {
            // Only worth knowing when the outer retry's catches are known; a catch or a lambda between the call and them may
            // turn the failure into another (catch (RequestFailedException e) { throw new IOException(…); }).
            var letsOut = !outer.RoundCatches.IsDefaultOrEmpty && ReachesOuterCatches(call, roots) ? Sdk.FailuresOf(call, group) : null;
            _protected.Enqueue(new ProtectedCall(outer, method, null, group, client + "." + call.TargetMethod.Name, NameLocation(call)) { LetsOut = letsOut });
        }
        else if (IsFollowed(target))
        {
            _protected.Enqueue(new ProtectedCall(outer, method, target, null, "'" + target.ContainingType?.Name + "." + target.Name + "'", NameLocation(call)));
        }
    }

    /// <summary>
    /// A failure of <paramref name="call"/> reaches the outer retry's catches as it is: no try with catches and no lambda
    /// stands between the call and the protected work.
    /// </summary>
    private static bool ReachesOuterCatches(IOperation call, IOperation[] roots)
    {
        var child = call;
        for (var current = call.Parent; current is not null; child = current, current = current.Parent)
        {
            if (System.Array.IndexOf(roots, child) >= 0)
            {
                return true;
            }

            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation
                || current is ITryOperation { Catches.Length: > 0 } @try && @try.Body == child)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>The lambda handed to a Polly <c>Execute*</c>: the work of that pipeline or policy.</summary>
    internal static bool IsPollyExecution(IAnonymousFunctionOperation lambda)
    {
        var outer = OperationTree.Outer(lambda);
        if (outer.Parent is IDelegateCreationOperation creation)
        {
            outer = OperationTree.Outer(creation);
        }

        return outer.Parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod: { } execute } }
               && execute.Name.StartsWith("Execute", System.StringComparison.Ordinal)
               && execute.ContainingNamespace?.ToDisplayString() is { } ns && (ns == "Polly" || ns.StartsWith("Polly.", System.StringComparison.Ordinal));
    }

    /// <summary>RES006 when both layers' attempts are known and their product exceeds <c>RES006.max_total_attempts</c>.</summary>
    public static void ReportNested(System.Action<Diagnostic> report, AnalyzerOptions options, RetryLayer outer, RetryLayer inner, Location at)
    {
        if (outer.Attempts is not { } outerAttempts || inner.Attempts is not { } innerAttempts)
        {
            return;
        }

        // An outer retry none of whose failure catches catches what the SDK client lets out once its retries give up (a
        // catch of IOException around a gRPC call, of a 404 around an Azure one) never re-sends what the client retried.
        if (!outer.GoesRoundOnWhatItLetsOut(inner))
        {
            return;
        }

        var product = (long)outerAttempts * innerAttempts;
        if (product <= Options.Res006MaxTotalAttempts.GetValue(options, at.SourceTree))
        {
            return;
        }

        var culture = System.Globalization.CultureInfo.InvariantCulture;
        report(Diagnostic.Create(DiagnosticDescriptors.RetryInsideRetry, at, product.ToString(culture), outer.DisplayName,
            outerAttempts.ToString(culture), inner.DisplayName, innerAttempts.ToString(culture)));
    }

    /// <summary>The name of the called method, where RES006 and RES007 report on a call.</summary>
    public static Location NameLocation(IInvocationOperation call)
        => call.Syntax is Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax { Expression: var expression }
            ? expression switch
            {
                Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax access => access.Name.GetLocation(),
                Microsoft.CodeAnalysis.CSharp.Syntax.MemberBindingExpressionSyntax binding => binding.Name.GetLocation(),
                _ => expression.GetLocation(),
            }
            : call.Syntax.GetLocation();

    /// <summary>Registered only where something can be judged; returns at once when no retry called anything.</summary>
    public void OnCompilationEnd(CompilationAnalysisContext context)
    {
        if (_protected.IsEmpty && _layered.IsEmpty)
        {
            return;
        }

        foreach (var (inner, outer, at) in _layered)
        {
            ReportNested(context.ReportDiagnostic, context.Options, outer, inner, at);
        }

        if (_protected.IsEmpty)
        {
            return;
        }

        var callees = new Dictionary<IMethodSymbol, HashSet<IMethodSymbol>>(SymbolEqualityComparer.Default);
        foreach (var (caller, callee) in _edges)
        {
            if (!callees.TryGetValue(caller, out var set))
            {
                callees[caller] = set = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
            }

            set.Add(callee);
        }

        var sdkCalls = new Dictionary<IMethodSymbol, RetryLayer>(SymbolEqualityComparer.Default);
        foreach (var (method, group, name) in _sdkCalls)
        {
            if (Sdk.AttemptsOf(group) is { } attempts && (!sdkCalls.TryGetValue(method, out var seen) || seen.Attempts < attempts))
            {
                sdkCalls[method] = new RetryLayer(RetryLayerKind.SdkClient, name, attempts, Location.None);
            }
        }

        var reported = new HashSet<Location>();
        foreach (var call in _protected)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            RetryLayer? inner = call.SdkGroup is { } group
                ? (Sdk.AttemptsOf(group) is { } attempts ? new RetryLayer(RetryLayerKind.SdkClient, call.Name, attempts, call.Location) { LetsOut = call.LetsOut } : null)
                : Reached(call, callees, sdkCalls);
            if (inner is not null && reported.Add(call.Location))
            {
                ReportNested(context.ReportDiagnostic, context.Options, call.Outer, inner, call.Location);
            }
        }
    }

    /// <summary>
    /// The retry layer nearest to the call, through at most <see cref="MaxCallDepth"/> calls, breadth first with a visited set
    /// (recursion and cycles end there). The outer retry's own method is not a layer of its own.
    /// </summary>
    private RetryLayer? Reached(ProtectedCall call, Dictionary<IMethodSymbol, HashSet<IMethodSymbol>> callees, Dictionary<IMethodSymbol, RetryLayer> sdkCalls)
    {
        var visited = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default) { call.OuterMethod };
        var frontier = new List<IMethodSymbol> { call.Callee! };
        for (var depth = 1; depth <= MaxCallDepth && frontier.Count > 0; depth++)
        {
            var next = new List<IMethodSymbol>();
            foreach (var method in frontier)
            {
                if (!visited.Add(method))
                {
                    continue;
                }

                var found = _methodRetries.TryGetValue(method, out var retry) && retry.Attempts is not null ? retry
                    : sdkCalls.TryGetValue(method, out var sdk) ? sdk
                    : null;
                if (found is not null)
                {
                    var how = depth == 1 ? "" : ", " + depth.ToString(System.Globalization.CultureInfo.InvariantCulture) + " calls down";
                    // What a retry further down lets out, the methods between may turn into anything.
                    return found with
                    {
                        DisplayName = call.Name + " (" + found.DisplayName + how + ")",
                        Location = call.Location,
                        GivesUpWith = depth == 1 ? found.GivesUpWith : default,
                    };
                }

                if (callees.TryGetValue(method, out var set))
                {
                    next.AddRange(set);
                }
            }

            frontier = next;
        }

        return null;
    }
}
