using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;
using ResilienceAnalyzers.Libraries.Http;
using ResilienceAnalyzers.Libraries.Polly;

namespace ResilienceAnalyzers.Load;

/// <summary>
/// RES030: a resilience pipeline that retries with nothing that stops retrying while the dependency is down. Read from the
/// builder recognisers the other families use (<see cref="ResiliencePipelineRecognizer"/>, <see cref="HttpClientBuilderRecognizer"/>)
/// in the load analyzer's invocation callback: a <c>ResiliencePipelineBuilder</c> chain with <c>AddRetry</c> and no
/// <c>AddCircuitBreaker</c>, and a v7 <c>Policy.Wrap</c> with a retry and no breaker, judged there and then; a factory
/// client's handlers (<c>AddResilienceHandler</c>, <c>AddPolicyHandler</c>, <c>AddTransientHttpErrorPolicy</c>, the
/// defaults' included) judged at compilation end, when every registration of the client is known. The standard resilience
/// handler has a breaker; anything out of sight (a strategy of the application's own, a rate limiter, a delegating
/// handler, a policy from a registry) may be one: certain or silent.
/// </summary>
internal sealed class RetryWithoutBreaker
{
    private readonly KnownTypes _types;
    private readonly ConcurrentQueue<HttpClientChain> _chains = new();

    /// <summary>Pipelines judged at compilation end, by how they are executed: a static member's, a registered key's.</summary>
    private readonly ConcurrentQueue<(string Pipeline, Location Location, string What)> _deferred = new();

    /// <summary>For each static member or registered key, whether every execution seen so far runs once.</summary>
    private readonly ConcurrentDictionary<string, bool> _runsOnce = new(System.StringComparer.Ordinal);

    private readonly MemberUses _uses;

    public RetryWithoutBreaker(KnownTypes types, MemberUses uses)
    {
        _types = types;
        _uses = uses;
    }

    /// <summary>Cheap filter on the call: builder chains, v7 wraps, and the executions and look-ups of a pipeline.</summary>
    public static bool IsCandidate(IInvocationOperation invocation)
        => ResiliencePipelineRecognizer.IsBuilderType(invocation.Type) || HttpClientBuilderRecognizer.IsBuilderType(invocation.Type)
           || invocation.TargetMethod.Name is "Wrap" or "WrapAsync" or "GetPipeline" || IsExecution(invocation);

    /// <summary><c>pipeline.Execute(…)</c>, <c>ExecuteAsync</c>, <c>ExecuteOutcomeAsync</c> on a Polly v8 pipeline.</summary>
    private static bool IsExecution(IInvocationOperation invocation)
        => invocation.TargetMethod.Name.StartsWith("Execute", System.StringComparison.Ordinal) && invocation.Instance?.Type is { Name: "ResiliencePipeline" };

    /// <summary>One candidate call; <paramref name="report"/> is false in files the rules skip (test code), where registrations are still collected.</summary>
    public void OnInvocation(OperationAnalysisContext context, IInvocationOperation invocation, bool report)
    {
        if (HttpClientBuilderRecognizer.IsBuilderType(invocation.Type))
        {
            if (_types.Polly.HasHttpResilience || _types.Polly.HasV7)
            {
                if (FluentChain.IsTop(invocation, HttpClientBuilderRecognizer.IsBuilderType) && HttpClientBuilderRecognizer.Recognize(invocation, _types) is { } chain)
                {
                    _chains.Enqueue(chain);
                }
            }

            return;
        }

        if (!report)
        {
            return;
        }

        if (ResiliencePipelineRecognizer.IsBuilderType(invocation.Type))
        {
            if (_types.Polly.HasV8 && FluentChain.IsTop(invocation, ResiliencePipelineRecognizer.IsBuilderType) && !IsHandlerPipeline(invocation) && !IsCallersBuilder(invocation)
                && ResiliencePipelineRecognizer.RecognizeFromFirstChain(invocation, _types) is { IsComplete: true } pipeline
                && UnbrokenRetry(pipeline.Strategies) is { } retry && !RetriesForACondition(invocation, retry)
                && !(Build(invocation) is { } built && KeepsAStreamOpen(built, context.CancellationToken)))
            {
                var what = "This '" + retry.Name + "'";
                switch (Use(invocation, context.ContainingSymbol))
                {
                    case (PipelineUse.Deferred, var identity):
                        _deferred.Enqueue((identity!, retry.Location, what));
                        break;
                    case (PipelineUse.Unknown, _):
                        Report(context.ReportDiagnostic, retry.Location, what, fix: true);
                        break;
                }
            }

            return;
        }

        if (_types.Polly.HasV8 && invocation.TargetMethod.Name == "GetPipeline")
        {
            if (invocation.Arguments.Length > 0 && invocation.Arguments[0].Value.ConstantValue is { HasValue: true, Value: { } key })
            {
                var once = ExecutedOnlyOnce(invocation, context.ContainingSymbol);
                _runsOnce.AddOrUpdate(KeyIdentity(key), once, (_, before) => before && once);
            }

            return;
        }

        if (IsExecution(invocation))
        {
            if (OperationTree.Unwrap(invocation.Instance) is IMemberReferenceOperation { Member: { IsStatic: true } member } and (IFieldReferenceOperation or IPropertyReferenceOperation))
            {
                var once = StartupCode.RunsOnce(invocation, context.ContainingSymbol, _uses);
                _runsOnce.AddOrUpdate(MemberIdentity(member), once, (_, before) => before && once);
            }

            return;
        }

        if (_types.Polly.HasV7 && IsPolly(invocation.TargetMethod))
        {
            Wrap(context, invocation);
        }
    }

    /// <summary>The first retry of a pipeline that has no circuit breaker and nothing unknown; null otherwise.</summary>
    private static ResilienceStrategy? UnbrokenRetry(ImmutableArray<ResilienceStrategy> strategies)
    {
        ResilienceStrategy? retry = null;
        foreach (var strategy in strategies)
        {
            switch (strategy.Kind)
            {
                case StrategyKind.CircuitBreaker:
                case StrategyKind.Other:
                    // A breaker, or something that may stop the retries (a rate limiter as a budget, a strategy of its own).
                    return null;
                case StrategyKind.Retry when strategy.RetryStopsWhenACircuitOpens:
                    // The retry leaves out BrokenCircuitException: it names the breaker it runs around (another pipeline
                    // executed inside it, a handler further in), which is out of sight but there.
                    return null;
                case StrategyKind.Retry:
                    retry ??= strategy;
                    break;
            }
        }

        return retry;
    }

    /// <summary>
    /// A builder handed in by a caller (a method's parameter, a field, a property): the caller may add a breaker. Also a
    /// builder local declared outside the block of the chain (<c>if (retries &gt; 0) builder.AddRetry(…)</c>): the recogniser
    /// reads the statements of one block, so the rest of the builder is not in sight.
    /// </summary>
    private static bool IsCallersBuilder(IInvocationOperation top)
        => FluentChain.Start(top) switch
        {
            IParameterReferenceOperation { Parameter.ContainingSymbol: IMethodSymbol { MethodKind: not MethodKind.AnonymousFunction } } => true,
            IFieldReferenceOperation or IPropertyReferenceOperation => true,
            ILocalReferenceOperation { Local: var local } => local.DeclaringSyntaxReferences.Length != 1
                || local.DeclaringSyntaxReferences[0].GetSyntax().FirstAncestorOrSelf<Microsoft.CodeAnalysis.CSharp.Syntax.BlockSyntax>()
                   != top.Syntax.FirstAncestorOrSelf<Microsoft.CodeAnalysis.CSharp.Syntax.BlockSyntax>(),
            _ => false,
        };

    /// <summary>
    /// The retry waits for a condition rather than for a failing dependency to answer, so a breaker would count "not yet"
    /// as a failure of the dependency. Its <c>ShouldHandle</c> either handles a result (<c>HandleResult(…)</c>, a predicate
    /// on <c>Outcome.Result</c>): it polls; or handles nothing but a stream the other side ended
    /// (<c>Handle&lt;EndOfStreamException&gt;()</c>, <c>HandleInner&lt;…&gt;</c>): it re-opens a watch or long poll the
    /// server closed, which is how such a stream ends in the normal course, not an outage; or handles nothing but a
    /// SQLite lock, which another writer in this process or on this machine holds.
    /// </summary>
    private static bool RetriesForACondition(IInvocationOperation top, ResilienceStrategy retry)
    {
        if (top.SemanticModel is not { } model
            || top.Syntax.SyntaxTree.GetRoot().FindNode(retry.Location.SourceSpan, getInnermostNodeForTie: true)
                .FirstAncestorOrSelf<Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax>() is not { } syntax
            || model.GetOperation(syntax) is not IInvocationOperation addRetry)
        {
            return false;
        }

        foreach (var argument in addRetry.Arguments)
        {
            var value = OperationTree.Unwrap(argument.Value);
            if (value is ILocalReferenceOperation { Local: var local })
            {
                value = Initializer(argument.Value, local);
            }

            if (value is IObjectCreationOperation { Initializer: { } initializer })
            {
                foreach (var member in initializer.Initializers)
                {
                    if (member is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "ShouldHandle" } } shouldHandle
                        && (Polls(shouldHandle.Value) || HandlesOnlyLocalFailures(shouldHandle.Value)))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private static bool Polls(IOperation shouldHandle)
        => shouldHandle.DescendantsAndSelf().Any(o => o is IInvocationOperation { TargetMethod.Name: "HandleResult" }
                                                      || o is IPropertyReferenceOperation { Property.Name: "Result", Instance: IPropertyReferenceOperation { Property.Name: "Outcome" } });

    /// <summary>
    /// A <c>PredicateBuilder</c> chain whose every step handles, directly or as an inner exception, only a failure no shared
    /// dependency raised: an <c>EndOfStreamException</c> (or a type derived from it), a stream the other side ended; or a
    /// SQLite provider's exception, a lock on a database file inside this process (<c>SQLITE_BUSY</c>). A breaker sheds
    /// load from a dependency that many callers share; neither is one.
    /// </summary>
    private static bool HandlesOnlyLocalFailures(IOperation shouldHandle)
    {
        var handled = 0;
        foreach (var operation in shouldHandle.DescendantsAndSelf())
        {
            if (operation is IInvocationOperation { TargetMethod: { ContainingType.Name: "PredicateBuilder" } method })
            {
                if (method.Name is not ("Handle" or "HandleInner") || method.TypeArguments.Length != 1
                    || !(IsEndOfStream(method.TypeArguments[0]) || Libraries.Sqlite.SqliteFailures.IsSqliteException(method.TypeArguments[0])))
                {
                    return false;
                }

                handled++;
            }
        }

        return handled > 0;

        static bool IsEndOfStream(ITypeSymbol type)
        {
            for (var current = type; current is not null; current = current.BaseType)
            {
                if (current is { Name: "EndOfStreamException", ContainingNamespace: { Name: "IO", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } })
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>
    /// The retry keeps one long-lived subscription open: every execution of the pipeline or wrap (all of them in sight,
    /// <see cref="PollyExecutedWork"/>) runs work that hands no result back (its delegate returns <c>void</c>, <c>Task</c>
    /// or <c>ValueTask</c>) and consumes an async stream to its end (an <c>await foreach</c> in the callback or in a
    /// method of the same file it calls). One execution lasts as long as the stream, and the retry re-subscribes when it
    /// drops: the reconnect of one consumer, not the traffic of many operations a breaker would shed.
    /// </summary>
    private static bool KeepsAStreamOpen(IOperation pipeline, System.Threading.CancellationToken cancellationToken)
    {
        if (PollyExecutedWork.Find(pipeline, cancellationToken) is not { } callbacks)
        {
            return false;
        }

        foreach (var callback in callbacks)
        {
            if (callback.Parent is not IAnonymousFunctionOperation { Symbol: var function } || !ReturnsNothing(function) || !ConsumesAStream(callback))
            {
                return false;
            }
        }

        return true;

        static bool ReturnsNothing(IMethodSymbol function)
            => function.ReturnsVoid
               || function.ReturnType is INamedTypeSymbol { Name: "Task" or "ValueTask", IsGenericType: false, ContainingNamespace: { Name: "Tasks", ContainingNamespace: { Name: "Threading", ContainingNamespace.Name: "System" } } };

        static bool ConsumesAStream(IOperation work)
        {
            foreach (var operation in work.Descendants())
            {
                if (operation is IForEachLoopOperation { IsAsynchronous: true })
                {
                    return true;
                }

                if (operation is IInvocationOperation call)
                {
                    foreach (var body in OperationTree.BodiesInSameFile(call))
                    {
                        if (body.Descendants().Any(o => o is IForEachLoopOperation { IsAsynchronous: true }))
                        {
                            return true;
                        }
                    }
                }
            }

            return false;
        }
    }

    private enum PipelineUse
    {
        /// <summary>Returned, stored, handed on, executed per operation: judged now.</summary>
        Unknown,

        /// <summary>Built and executed only in code that runs once: not reported.</summary>
        RunsOnce,

        /// <summary>A static member's pipeline or a registered key's: judged at compilation end by its executions.</summary>
        Deferred,
    }

    /// <summary>
    /// How the pipeline the chain ending at <paramref name="top"/> builds is executed. Built into a local and executed only
    /// in code that runs once (<see cref="StartupCode.RunsOnce"/>), it retries one start-up step with one caller and no
    /// traffic for a breaker to shed. Built into a static field or property, or registered under a constant key
    /// (<c>AddResiliencePipeline("key", b =&gt; …)</c>), its executions may be anywhere in the compilation: judged at its end.
    /// </summary>
    private (PipelineUse Use, string? Identity) Use(IInvocationOperation top, ISymbol containingSymbol)
    {
        if (LambdaReceiver(top) is { } receiver)
        {
            // A call that does not bind (a package missing) registers nothing that can be followed: judged as it reads.
            return RegistrationKey(receiver) is { } key ? (PipelineUse.Deferred, KeyIdentity(key)) : (PipelineUse.Unknown, null);
        }

        if (Build(top) is not { } build)
        {
            return (PipelineUse.Unknown, null);
        }

        switch (OperationTree.Outer(build).Parent)
        {
            case IFieldInitializerOperation { InitializedFields: { Length: 1 } fields } when fields[0].IsStatic:
                return (PipelineUse.Deferred, MemberIdentity(fields[0]));
            case IPropertyInitializerOperation { InitializedProperties: { Length: 1 } properties } when properties[0].IsStatic:
                return (PipelineUse.Deferred, MemberIdentity(properties[0]));
            default:
                return ExecutedOnlyOnce(build, containingSymbol) ? (PipelineUse.RunsOnce, null) : (PipelineUse.Unknown, null);
        }
    }

    /// <summary>The <c>Build()</c> call of the chain: on the chain itself, or the one <c>builder.Build()</c> of its builder local.</summary>
    private static IInvocationOperation? Build(IInvocationOperation top)
    {
        var outer = OperationTree.Outer(top);
        if (outer.Parent is IInvocationOperation { TargetMethod.Name: "Build" } direct && direct.Instance == outer)
        {
            return direct;
        }

        var builder = OperationTree.ReferencedSymbol(FluentChain.Start(top));
        if (builder is not ILocalSymbol && outer.Parent is IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator })
        {
            builder = declarator.Symbol;
        }

        if (builder is not ILocalSymbol local)
        {
            return null;
        }

        IInvocationOperation? found = null;
        foreach (var operation in OperationTree.Root(top).Descendants())
        {
            if (operation is IInvocationOperation { TargetMethod.Name: "Build", Instance: ILocalReferenceOperation reference } build
                && SymbolEqualityComparer.Default.Equals(reference.Local, local))
            {
                if (found is not null)
                {
                    return null;
                }

                found = build;
            }
        }

        return found;
    }

    /// <summary>
    /// The pipeline <paramref name="pipeline"/> yields is only executed, directly (<c>….Build().Execute(…)</c>) or through a
    /// local of the same body used for nothing else, at least once, and every execution runs once.
    /// </summary>
    private bool ExecutedOnlyOnce(IOperation pipeline, ISymbol containingSymbol)
    {
        var outer = OperationTree.Outer(pipeline);
        if (outer.Parent is IInvocationOperation direct && direct.Instance == outer)
        {
            return IsExecution(direct) && StartupCode.RunsOnce(direct, containingSymbol, _uses);
        }

        if (outer.Parent is not IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol: var local } })
        {
            return false;
        }

        var executions = 0;
        foreach (var operation in OperationTree.Root(pipeline).Descendants())
        {
            if (operation is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local))
            {
                var use = OperationTree.Outer(reference);
                if (use.Parent is not IInvocationOperation execution || execution.Instance != use || !IsExecution(execution)
                    || !StartupCode.RunsOnce(execution, containingSymbol, _uses))
                {
                    return false;
                }

                executions++;
            }
        }

        return executions > 0;
    }

    /// <summary>
    /// When the chain is on a lambda's builder parameter (<c>AddResiliencePipeline("key", b =&gt; b.AddRetry(…))</c>), the
    /// operation the lambda is handed to: the call it is an argument of, or an invalid operation when that call does not
    /// bind (then the retry is judged as it reads, with no registration to follow); null otherwise.
    /// </summary>
    private static IOperation? LambdaReceiver(IInvocationOperation top)
    {
        if (FluentChain.Start(top) is not IParameterReferenceOperation { Parameter.ContainingSymbol: IMethodSymbol { MethodKind: MethodKind.AnonymousFunction } } parameter
            || OperationTree.Ancestor<IAnonymousFunctionOperation>(parameter) is not { } lambda)
        {
            return null;
        }

        var outer = OperationTree.Outer(lambda);
        if (outer.Parent is IDelegateCreationOperation creation)
        {
            outer = OperationTree.Outer(creation);
        }

        return outer.Parent switch
        {
            IArgumentOperation { Parent: IInvocationOperation call } => call,
            IInvalidOperation invalid => invalid,
            IArgumentOperation { Parent: IInvalidOperation invalid } => invalid,
            _ => null,
        };
    }

    /// <summary>The constant key of an <c>AddResiliencePipeline(key, b =&gt; …)</c> call; null for any other call.</summary>
    private static object? RegistrationKey(IOperation receiver)
    {
        if (receiver is not IInvocationOperation { TargetMethod.Name: "AddResiliencePipeline" } register)
        {
            return null;
        }

        foreach (var argument in register.Arguments)
        {
            if (argument.Parameter is { Name: "key" } && argument.Value.ConstantValue is { HasValue: true, Value: { } key })
            {
                return key;
            }
        }

        return null;
    }

    private static string MemberIdentity(ISymbol member) => "member:" + member.ContainingType?.ToDisplayString() + "." + member.Name;

    private static string KeyIdentity(object key) => "key:" + key.GetType().Name + ":" + key;

    /// <summary>
    /// The builder parameter of a lambda given to <c>AddResilienceHandler</c>: judged with the client's other handlers at
    /// compilation end, since a breaker in another handler of the same client stops it too.
    /// </summary>
    private static bool IsHandlerPipeline(IInvocationOperation top)
        => LambdaReceiver(top) is IInvocationOperation { TargetMethod.Name: "AddResilienceHandler" };

    /// <summary>
    /// A v7 <c>Policy.Wrap(…)</c>/<c>WrapAsync(…)</c> (or <c>retry.WrapAsync(…)</c>) whose policies, nested wraps included,
    /// are all in sight: a retry and no breaker. A wrap that is itself wrapped again is left to the outermost one.
    /// </summary>
    private void Wrap(OperationAnalysisContext context, IInvocationOperation wrap)
    {
        if (IsWrappedAgain(wrap))
        {
            return;
        }

        var policies = new List<IInvocationOperation>();
        if (!Flatten(wrap, policies, depth: 0))
        {
            return;
        }

        PollyV7Policy? retry = null;
        foreach (var policy in policies)
        {
            var name = policy.TargetMethod.Name;
            if (name.IndexOf("CircuitBreaker", System.StringComparison.Ordinal) >= 0)
            {
                return;
            }

            if (retry is null && PollyV7PolicyRecognizer.Recognize(policy, _types) is { } recognised)
            {
                retry = recognised;
            }
        }

        if (retry is not null && !KeepsAStreamOpen(wrap, context.CancellationToken))
        {
            Report(context.ReportDiagnostic, retry.NameLocation, "'" + retry.MethodName + "' in this " + wrap.TargetMethod.Name, fix: false);
        }
    }

    /// <summary>The policy calls a wrap combines, through locals of the same body and nested wraps; false when one cannot be seen.</summary>
    private static bool Flatten(IInvocationOperation wrap, List<IInvocationOperation> policies, int depth)
    {
        if (depth > 4)
        {
            return false;
        }

        var operands = new List<IOperation>();
        if (wrap.Instance is { } instance)
        {
            operands.Add(instance);
        }

        foreach (var argument in wrap.Arguments)
        {
            if (OperationTree.Unwrap(argument.Value) is IArrayCreationOperation { Initializer: { } elements } && argument.ArgumentKind == ArgumentKind.ParamArray)
            {
                operands.AddRange(elements.ElementValues);
            }
            else if (argument.ArgumentKind != ArgumentKind.DefaultValue)
            {
                operands.Add(argument.Value);
            }
        }

        foreach (var operand in operands)
        {
            var value = OperationTree.Unwrap(operand);
            if (value is ILocalReferenceOperation { Local: var local })
            {
                value = Initializer(operand, local);
            }

            if (value is not IInvocationOperation call || !IsPolly(call.TargetMethod))
            {
                // A field, a parameter, a helper of the application: it may be a breaker.
                return false;
            }

            if (call.TargetMethod.Name is "Wrap" or "WrapAsync")
            {
                if (!Flatten(call, policies, depth + 1))
                {
                    return false;
                }
            }
            else
            {
                policies.Add(call);
            }
        }

        return true;
    }

    /// <summary>The value a local is initialised with, when nothing else writes it in the body.</summary>
    private static IOperation? Initializer(IOperation reference, ILocalSymbol local)
    {
        IOperation? value = null;
        foreach (var operation in OperationTree.Root(reference).Descendants())
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local):
                    value = OperationTree.Unwrap(declarator.Initializer?.Value);
                    break;
                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } when SymbolEqualityComparer.Default.Equals(target.Local, local):
                    return null;
            }
        }

        return value;
    }

    /// <summary>
    /// The wrap is an operand of another wrap, or the policy of a factory client's handler (judged with the client's other
    /// handlers): directly, or through a local of the same body.
    /// </summary>
    private static bool IsWrappedAgain(IInvocationOperation wrap)
    {
        var outer = Operand(wrap);
        if (outer.Parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "Wrap" or "WrapAsync" or "AddPolicyHandler" } }
            || outer.Parent is IInvocationOperation { TargetMethod.Name: "Wrap" or "WrapAsync" } instanceCall && instanceCall.Instance == outer)
        {
            return true;
        }

        if (outer.Parent is IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol: var local } })
        {
            foreach (var operation in OperationTree.Root(wrap).Descendants())
            {
                if (operation is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local))
                {
                    var use = Operand(reference);
                    if (use.Parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "Wrap" or "WrapAsync" or "AddPolicyHandler" } }
                        || use.Parent is IInvocationOperation { TargetMethod.Name: "Wrap" or "WrapAsync" })
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>The operand as a call sees it: through conversions and a <c>params</c> array.</summary>
    private static IOperation Operand(IOperation value)
    {
        var outer = OperationTree.Outer(value);
        if (outer.Parent is IArrayInitializerOperation { Parent: IArrayCreationOperation array })
        {
            outer = OperationTree.Outer(array);
        }

        return outer;
    }

    private static bool IsPolly(IMethodSymbol method)
        => method.ContainingNamespace?.ToDisplayString() is { } ns && (ns == "Polly" || ns.StartsWith("Polly.", System.StringComparison.Ordinal));

    /// <summary>
    /// The factory clients: a retry handler (or an <c>AddResilienceHandler</c> retry) of a client none of whose handlers,
    /// the defaults' included, breaks a circuit, and all of whose handlers are in sight.
    /// </summary>
    public void OnCompilationEnd(CompilationAnalysisContext context, System.Func<SyntaxTree, bool> shouldAnalyze)
    {
        // A static member's or a registered key's pipeline whose executions all run once (and at least one is in sight).
        foreach (var (pipeline, location, what) in _deferred)
        {
            if (!(_runsOnce.TryGetValue(pipeline, out var once) && once))
            {
                Report(context.ReportDiagnostic, location, what, fix: true);
            }
        }

        if (_chains.IsEmpty)
        {
            return;
        }

        var byKey = HttpClientHandlers.ByClient(_chains);
        var defaults = byKey.TryGetValue(HttpClientKey.Defaults, out var shared) ? shared : new List<BuilderHandler>();
        var anyBreaker = byKey.Values.Any(handlers => handlers.Any(StopsRetrying));
        var reported = new HashSet<Location>();
        foreach (var pair in byKey)
        {
            var handlers = pair.Value;
            if (handlers.Any(StopsRetrying) || handlers.Any(h => !h.IsComplete || h.Kind == HandlerKind.MessageHandler || h.Has(StrategyKind.Other)))
            {
                continue;
            }

            foreach (var handler in handlers)
            {
                if (!handler.Retries || (defaults.Contains(handler) && anyBreaker))
                {
                    // A retry from the defaults is judged only when no client adds a breaker of its own.
                    continue;
                }

                var (location, what) = handler.Kind == HandlerKind.ResiliencePipeline
                    ? (handler.Strategies.First(s => s.Kind == StrategyKind.Retry).Location, "This 'AddRetry' of " + HttpClientKey.Display(pair.Key))
                    : (handler.Location, "This '" + handler.Strategies.First(s => s.Kind == StrategyKind.Retry).Name + "' handler of " + HttpClientKey.Display(pair.Key));
                if (location.SourceTree is { } tree && shouldAnalyze(tree) && reported.Add(location))
                {
                    Report(context.ReportDiagnostic, location, what, fix: handler.Kind == HandlerKind.ResiliencePipeline);
                }
            }
        }
    }

    /// <summary>The standard handlers have a breaker; so does a pipeline or policy handler that adds one.</summary>
    private static bool StopsRetrying(BuilderHandler handler)
        => handler.Kind is HandlerKind.StandardResilience or HandlerKind.StandardHedging || handler.Has(StrategyKind.CircuitBreaker);

    private static void Report(System.Action<Diagnostic> report, Location location, string what, bool fix)
    {
        var properties = fix
            ? ImmutableDictionary<string, string?>.Empty.Add(LoadFixHintKeys.Fix, LoadFixHintKeys.AddCircuitBreaker)
            : ImmutableDictionary<string, string?>.Empty;
        report(Diagnostic.Create(DiagnosticDescriptors.RetryWithoutCircuitBreaker, location, properties, what));
    }
}
