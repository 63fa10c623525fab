using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;
using ResilienceAnalyzers.Libraries.Http;
using ResilienceAnalyzers.Libraries.Polly;

namespace ResilienceAnalyzers.Retry;

/// <summary>
/// RES006 and RES007 through factory clients (RULES.md, RES006 nesting 3 and 4; RES007 "sent through a factory client"):
/// the compilation's <c>IHttpClientBuilder</c> chains and the sends through a client the factory gives (a typed client's
/// injected <c>HttpClient</c>, <c>IHttpClientFactory.CreateClient("name")</c>), collected from the retry analyzer's invocation
/// callback as small facts and judged when the compilation ends, when every registration is known. The compiler runs that
/// judgement in builds and full-solution analysis, not while typing.
/// </summary>
internal sealed class FactoryClientLayers
{
    private readonly KnownTypes _types;
    private readonly RetryJudge _judge;
    private readonly ConcurrentQueue<HttpClientChain> _chains = new();
    private readonly ConcurrentDictionary<Location, HandlerSwitches> _switches = new();
    private readonly ConcurrentDictionary<string, bool> _registered = new();
    private readonly ConcurrentQueue<Send> _sends = new();
    private readonly ConcurrentQueue<(RetryLayer Outer, Send Send)> _protectedSends = new();

    public FactoryClientLayers(KnownTypes types, RetryJudge judge)
    {
        _types = types;
        _judge = judge;
    }

    /// <summary>A send through the factory client <see cref="Key"/>; <see cref="UnsafeVerb"/> is POST or PATCH when RES007 may apply.</summary>
    private sealed record Send(IMethodSymbol? Method, string Key, string Name, string? UnsafeVerb, Location Location)
    {
        /// <summary>The HTTP method it sends, when in sight: a handler that turns some methods off may still retry it.</summary>
        public string? Verb { get; init; }
    }

    /// <summary>
    /// What a handler's configuration, or the options of one retry or hedging strategy of its pipeline, turns off in sight:
    /// every retry, the retries of some methods, or something unseen.
    /// </summary>
    private sealed record HandlerSwitches(bool RetriesOff, bool DisablesSomeMethods, ImmutableHashSet<string> DisabledMethods, bool CustomShouldHandle)
    {
        /// <summary>
        /// A <c>ShouldHandle</c> that compares the request's method with constants, read by <see cref="UnsafeMethodPredicate"/>:
        /// the unsafe methods it never retries. Null when there is none. RES006 does not read it: which other methods it retries is not computed.
        /// </summary>
        public ImmutableHashSet<string>? PredicateExcludes { get; init; }

        /// <summary>RES006: nothing is known to be retried for a send of <paramref name="verb"/> (null: a send whose method is not in sight).</summary>
        public bool TurnsOff(string? verb)
            => RetriesOff || PredicateExcludes is not null
               || DisablesSomeMethods && (verb is null || CustomShouldHandle || DisabledMethods.IsEmpty || DisabledMethods.Contains(verb));

        /// <summary>RES007: <paramref name="verb"/> may still be resent: nothing in sight turns it off, and no predicate is out of reading.</summary>
        public bool MayResend(string verb)
            => !(RetriesOff || CustomShouldHandle || DisabledMethods.Contains(verb) || (DisablesSomeMethods && DisabledMethods.IsEmpty)
                 || PredicateExcludes?.Contains(verb) == true);

        public HandlerSwitches Merge(HandlerSwitches other)
            => new(RetriesOff || other.RetriesOff, DisablesSomeMethods || other.DisablesSomeMethods, DisabledMethods.Union(other.DisabledMethods), CustomShouldHandle || other.CustomShouldHandle)
            {
                // Two predicates read for one handler or strategy: a method either one excludes counts as excluded (silent).
                PredicateExcludes = PredicateExcludes is null ? other.PredicateExcludes : other.PredicateExcludes is null ? PredicateExcludes : PredicateExcludes.Union(other.PredicateExcludes),
            };
    }

    /// <summary>Every invocation: builder chains, typed-client registrations and sends through a factory client.</summary>
    public void OnInvocation(OperationAnalysisContext context, IInvocationOperation invocation)
    {
        if (HttpClientBuilderRecognizer.IsBuilderType(invocation.Type))
        {
            if (invocation.TargetMethod.Name == "AddHttpClient" && HttpClientBuilderRecognizer.ClientKey(invocation) is { } key)
            {
                _registered.TryAdd(key, true);
            }

            if (FluentChain.IsTop(invocation, HttpClientBuilderRecognizer.IsBuilderType) && HttpClientBuilderRecognizer.Recognize(invocation, _types) is { } chain)
            {
                _chains.Enqueue(chain);
                NoteSwitches(invocation);
            }

            return;
        }

        if (SendOf(invocation, context.ContainingSymbol) is { } send)
        {
            _sends.Enqueue(send);
        }
    }

    /// <summary>A call in an outer retry's protected work (<see cref="RetryLayerModel.ScanProtected"/>): a send through a factory client.</summary>
    public void OnProtectedCall(RetryLayer outer, IInvocationOperation call)
    {
        if (SendOf(call, containing: null) is { } send)
        {
            _protectedSends.Enqueue((outer, send));
        }
    }

    /// <summary>
    /// RES006 two retry handlers of one client, and RES007 unsafe sends through a retrying client, reported here; the
    /// clients' retry layers handed to <paramref name="layers"/> for the sends inside retries, which it judges next.
    /// </summary>
    public void OnCompilationEnd(CompilationAnalysisContext context, RetryLayerModel layers)
    {
        if (_chains.IsEmpty)
        {
            return;
        }

        var byKey = HttpClientHandlers.ByClient(_chains);
        var reported = new HashSet<Location>();
        foreach (var pair in byKey)
        {
            TwoRetryHandlers(context, HttpClientKey.Display(pair.Key), pair.Value, reported);
        }

        // Two retry handlers on one builder a caller hands in stack on that caller's client, whichever it is.
        foreach (var group in _chains.Where(c => c.Key is null && c.Builder is not null).GroupBy(c => c.Builder!.Id))
        {
            var handlers = group
                .OrderBy(c => c.Id.SourceTree?.FilePath, System.StringComparer.Ordinal)
                .ThenBy(c => c.Id.SourceSpan.Start)
                .SelectMany(c => c.Handlers)
                .ToList();
            TwoRetryHandlers(context, group.First().Builder!.Name, handlers, reported);
        }

        foreach (var (outer, send) in _protectedSends)
        {
            if (ClientLayer(send, byKey) is { } inner)
            {
                layers.AddProtectedLayer(outer, inner with { DisplayName = "'" + send.Name + "' through " + inner.DisplayName }, send.Location);
            }
        }

        var unsafeReported = new HashSet<Location>();
        foreach (var send in _sends)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            if (send.Method is not null && ClientLayer(send, byKey) is { } layer)
            {
                layers.AddContainedRetry(send.Method, layer);
            }

            if (send.UnsafeVerb is { } verb)
            {
                UnsafeSend(context, send, verb, byKey, unsafeReported);
            }
        }
    }

    /// <summary>The handlers a client gets: its entry, or the defaults' alone for a named client with no registration of its own.</summary>
    private static List<BuilderHandler> Handlers(string key, Dictionary<string, List<BuilderHandler>> byKey)
        => byKey.TryGetValue(key, out var handlers) ? handlers
            : byKey.TryGetValue(HttpClientKey.Defaults, out var defaults) ? defaults
            : new List<BuilderHandler>();

    /// <summary>
    /// The attempts a handler's retry makes for a send of <paramref name="verb"/> (null: any send), when it retries, the count
    /// is known and nothing in sight turns it off. A handler that turns some methods off (<c>DisableForUnsafeHttpMethods()</c>,
    /// <c>DisableFor(HttpMethod.Post)</c>) still retries a send whose method is in sight and not among them; a send whose
    /// method cannot be seen, methods out of sight, or a policy chosen by the request's method leave it without attempts.
    /// </summary>
    private int? Attempts(BuilderHandler handler, string? verb = null)
    {
        if (_switches.TryGetValue(handler.Location, out var switches) && switches.TurnsOff(verb))
        {
            return null;
        }

        int? attempts = null;
        foreach (var strategy in handler.Strategies)
        {
            if (strategy.Kind == StrategyKind.Retry)
            {
                if (StrategySwitches(handler, strategy) is { } own && own.TurnsOff(verb))
                {
                    continue;
                }

                if (strategy.RetryAttempts is not { } retries || retries <= 0 || retries >= 1000)
                {
                    return null;
                }

                attempts = System.Math.Max(attempts ?? 0, retries + 1);
            }
        }

        return attempts;
    }

    /// <summary>What the options of one retry or hedging strategy of a pipeline turn off, noted apart from the handler's.</summary>
    private HandlerSwitches? StrategySwitches(BuilderHandler handler, ResilienceStrategy strategy)
        => !strategy.Location.Equals(handler.Location) && _switches.TryGetValue(strategy.Location, out var own) ? own : null;

    /// <summary>RES006, nesting 4: a second retry handler on one client's chain (the defaults' count as the client's), or on one builder handed in.</summary>
    private void TwoRetryHandlers(CompilationAnalysisContext context, string client, List<BuilderHandler> handlers, HashSet<Location> reported)
    {
        BuilderHandler? first = null;
        foreach (var handler in handlers)
        {
            if (Attempts(handler) is not { } attempts)
            {
                continue;
            }

            if (first is null)
            {
                first = handler;
                continue;
            }

            if (handler.Location.SourceTree is { } tree && _judge.ShouldAnalyze(context.Options, tree) && reported.Add(handler.Location))
            {
                var outer = new RetryLayer(RetryLayerKind.FactoryClient, "the " + HandlerName(first, handler.Location) + " of " + client, Attempts(first), first.Location);
                var inner = new RetryLayer(RetryLayerKind.FactoryClient, "this '" + CallName(handler.Location) + "'", attempts, handler.Location);
                RetryLayerModel.ReportNested(context.ReportDiagnostic, context.Options, outer, inner, handler.Location);
            }

            return;
        }
    }

    /// <summary>The retry layer of the client a send goes through: its handler that makes the most attempts.</summary>
    private RetryLayer? ClientLayer(Send send, Dictionary<string, List<BuilderHandler>> byKey)
    {
        if (!IsKnownClient(send.Key, byKey))
        {
            return null;
        }

        RetryLayer? layer = null;
        foreach (var handler in Handlers(send.Key, byKey))
        {
            if (Attempts(handler, send.Verb) is { } attempts && (layer is null || attempts > layer.Attempts))
            {
                layer = new RetryLayer(RetryLayerKind.FactoryClient, HttpClientKey.Display(send.Key) + " (its " + HandlerName(handler, send.Location) + ")", attempts, handler.Location);
            }
        }

        return layer;
    }

    /// <summary>A typed client counts when it is registered; a named client always goes through the factory, defaults included.</summary>
    private bool IsKnownClient(string key, Dictionary<string, List<BuilderHandler>> byKey)
        => key.StartsWith("name:", System.StringComparison.Ordinal) || _registered.ContainsKey(key) || byKey.ContainsKey(key);

    /// <summary>
    /// RES007: a POST or PATCH sent through a client one of whose handlers retries or hedges it, reported once on that handler
    /// (where the fix goes), unless the handler turns retries off for the method in sight or its predicate is its own.
    /// </summary>
    private void UnsafeSend(CompilationAnalysisContext context, Send send, string verb, Dictionary<string, List<BuilderHandler>> byKey, HashSet<Location> reported)
    {
        if (!IsKnownClient(send.Key, byKey))
        {
            return;
        }

        foreach (var handler in Handlers(send.Key, byKey))
        {
            if (!(handler.Has(StrategyKind.Retry) || handler.Has(StrategyKind.Hedging)) || !ResendsUnsafe(handler, verb)
                || handler.Location.SourceTree is not { } tree || !_judge.ShouldAnalyze(context.Options, tree) || !reported.Add(handler.Location))
            {
                continue;
            }

            var properties = ImmutableDictionary<string, string?>.Empty;
            if (handler.Kind == HandlerKind.StandardResilience)
            {
                properties = properties.Add(FactoryClientFixHintKeys.Fix, FactoryClientFixHintKeys.DisableForUnsafeHttpMethods);
            }

            var where = send.Method is null ? string.Empty : "' in '" + send.Method.ContainingType?.Name + "." + send.Method.Name;
            // RES007 is reported while typing too (sends inside a retry construct): no CompilationEnd tag, as for RES006.
            System.Action<Diagnostic> report = context.ReportDiagnostic;
            report(Diagnostic.Create(
                DiagnosticDescriptors.NonIdempotentRequestRetried,
                handler.Location,
                properties,
                send.Name + where,
                verb,
                "this '" + CallName(handler.Location) + "' of " + HttpClientKey.Display(send.Key)));
        }
    }

    /// <summary>
    /// The handler retries or hedges <paramref name="verb"/>: nothing in sight turns that off for the handler, and one of its
    /// retry or hedging strategies that resends is not turned off for it by its own options (a pipeline may add a guarded
    /// and an unguarded retry).
    /// </summary>
    private bool ResendsUnsafe(BuilderHandler handler, string verb)
    {
        if (!handler.IsComplete || (_switches.TryGetValue(handler.Location, out var switches) && !switches.MayResend(verb)))
        {
            return false;
        }

        foreach (var strategy in handler.Strategies)
        {
            if (strategy.Kind == StrategyKind.Retry && strategy.RetryAttempts is null && StrategySwitches(handler, strategy)?.MayResend(verb) != false)
            {
                // Options from configuration or a delegate out of sight may turn the unsafe methods off.
                return false;
            }
        }

        // MaxRetryAttempts = 0 sends nothing again (RES006 counts no layer there either): a retry that resends, or hedging.
        foreach (var strategy in handler.Strategies)
        {
            if ((strategy.Kind == StrategyKind.Hedging || (strategy.Kind == StrategyKind.Retry && strategy.RetryAttempts > 0))
                && StrategySwitches(handler, strategy)?.MayResend(verb) != false)
            {
                return true;
            }
        }

        return false;
    }

    private static string HandlerName(BuilderHandler handler, Location from)
        => "'" + CallName(handler.Location) + "'" + (handler.Location.SourceTree == from.SourceTree ? string.Empty : " in " + System.IO.Path.GetFileName(handler.Location.SourceTree?.FilePath ?? string.Empty))
           + RetryLayer.OnLine(handler.Location);

    /// <summary>The method name a handler location starts with: <c>AddStandardResilienceHandler</c>.</summary>
    private static string CallName(Location location)
    {
        var text = location.SourceTree?.GetText().ToString(location.SourceSpan) ?? string.Empty;
        var end = text.IndexOfAny(new[] { '(', '<' });
        return end < 0 ? text : text.Substring(0, end);
    }

    /// <summary>
    /// What the handler steps of one chain turn off in sight: <c>Retry.ShouldHandle</c> set to a predicate that is always
    /// false (no retries), <c>DisableForUnsafeHttpMethods()</c>, <c>DisableFor(HttpMethod.Post, …)</c>, a predicate that
    /// compares the request's method with constants (<see cref="UnsafeMethodPredicate"/>), and a predicate of the
    /// application's own or a policy chosen by the request's method (which methods it retries is then not known). A switch
    /// on the options of one <c>AddRetry</c>/<c>AddHedging</c> of a pipeline is noted for that strategy, the others for the handler.
    /// </summary>
    private void NoteSwitches(IInvocationOperation top)
    {
        Location? handler = null;
        foreach (var step in FluentChain.Steps(top))
        {
            switch (step.TargetMethod.Name)
            {
                case "AddStandardResilienceHandler" or "AddStandardHedgingHandler" or "AddResilienceHandler" or "AddPolicyHandler" or "AddTransientHttpErrorPolicy" or "AddPolicyHandlerFromRegistry":
                    handler = FluentChain.CallLocation(step);
                    break;
                case "Configure":
                    break;
                default:
                    handler = null;
                    continue;
            }

            if (handler is null)
            {
                continue;
            }

            foreach (var argument in step.Arguments)
            {
                if (argument.Parameter?.Ordinal == 0 && step.TargetMethod.IsExtensionMethod)
                {
                    continue;
                }

                // A local function given as the configure callback: its body is the configuration.
                var configured = argument.Value.DescendantsAndSelf().ToList();
                if (OperationTree.Unwrap(argument.Value) is IDelegateCreationOperation { Target: IMethodReferenceOperation { Method: { MethodKind: MethodKind.LocalFunction } local } }
                    && HttpClientBuilderRecognizer.LocalFunctionBody(step, local) is { } body)
                {
                    configured.AddRange(body.Descendants());
                }

                NoteGuards(configured, configured, step, handler, outside: false);

                // Options the callback captures (var options = …; options.DisableForUnsafeHttpMethods(); … b => b.AddRetry(options)):
                // their guards are written beside the registration, in the body that makes it.
                if (CapturesOptions(configured))
                {
                    var inside = new HashSet<IOperation>(configured);
                    NoteGuards(OperationTree.Root(step).DescendantsAndSelf().Where(o => !inside.Contains(o)).ToList(), configured, step, handler, outside: true);
                }
            }
        }
    }

    /// <summary>
    /// Notes each guard among <paramref name="operations"/> for the retry or hedging strategy of <paramref name="configured"/>
    /// whose options it configures, else for the handler; a guard <paramref name="outside"/> the callback only for a strategy.
    /// </summary>
    private void NoteGuards(List<IOperation> operations, List<IOperation> configured, IInvocationOperation step, Location handler, bool outside)
    {
        // Predicates read first: the method reads inside them are understood, not "a policy chosen by the method".
        var read = new Dictionary<IOperation, ImmutableHashSet<string>>();
        foreach (var operation in operations)
        {
            if (operation is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property: { Name: "ShouldHandle" } property } } assignment
                && property.ContainingType?.Name is "RetryStrategyOptions" or "HedgingStrategyOptions"
                && !AlwaysFalse(assignment.Value)
                && UnsafeMethodPredicate.Excluded(assignment.Value) is { } excluded)
            {
                read.Add(assignment, excluded);
            }
        }

        foreach (var operation in operations)
        {
            var noted = operation switch
            {
                IInvocationOperation { TargetMethod.Name: "DisableForUnsafeHttpMethods" } =>
                    new HandlerSwitches(false, true, ImmutableHashSet.Create("POST", "PATCH", "PUT", "DELETE", "CONNECT"), false),
                IInvocationOperation { TargetMethod.Name: "DisableFor" } call => new HandlerSwitches(false, true, DisabledMethods(call), false),
                IPropertyReferenceOperation { Property: { Name: "Method", ContainingType.Name: "HttpRequestMessage" } } when !InReadPredicate(operation, read) =>
                    new HandlerSwitches(false, true, ImmutableHashSet<string>.Empty, true),
                ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "ShouldHandle" } } assignment when read.TryGetValue(assignment, out var excluded) =>
                    new HandlerSwitches(false, false, ImmutableHashSet<string>.Empty, false) { PredicateExcludes = excluded },
                ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "ShouldHandle" } } assignment =>
                    AlwaysFalse(assignment.Value) ? new HandlerSwitches(true, false, ImmutableHashSet<string>.Empty, false) : new HandlerSwitches(false, false, ImmutableHashSet<string>.Empty, true),
                _ => null,
            };
            if (noted is null)
            {
                continue;
            }

            var keys = StrategiesConfigured(operation, step, configured);
            if (keys is null && outside)
            {
                continue;
            }

            foreach (var key in keys ?? new List<Location> { handler })
            {
                _switches.AddOrUpdate(key, noted, (_, old) => old.Merge(noted));
            }
        }
    }

    /// <summary>An <c>AddRetry</c>/<c>AddHedging</c> of the callback is given an options local declared outside it.</summary>
    private static bool CapturesOptions(List<IOperation> configured)
    {
        foreach (var operation in configured)
        {
            if (operation is IInvocationOperation call && IsStrategyStep(call))
            {
                foreach (var argument in call.Arguments)
                {
                    if (!(call.TargetMethod.IsExtensionMethod && argument.Parameter?.Ordinal == 0)
                        && OperationTree.Unwrap(argument.Value) is ILocalReferenceOperation passed
                        && !configured.Any(o => o is IVariableDeclaratorOperation declarator && SymbolEqualityComparer.Default.Equals(declarator.Symbol, passed.Local)))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>A read of the request's method inside a <c>ShouldHandle</c> predicate that <see cref="UnsafeMethodPredicate"/> read.</summary>
    private static bool InReadPredicate(IOperation operation, Dictionary<IOperation, ImmutableHashSet<string>> read)
    {
        if (read.Count == 0)
        {
            return false;
        }

        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (read.ContainsKey(current))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The <c>AddRetry</c>/<c>AddHedging</c> calls of a pipeline whose options a switch configures: the call whose options
    /// argument holds it (<c>AddRetry(new HttpRetryStrategyOptions { ShouldHandle = … })</c>), or every call given the options
    /// local it configures (<c>options.DisableForUnsafeHttpMethods(); b.AddRetry(options);</c>). Null: the whole handler.
    /// </summary>
    private static List<Location>? StrategiesConfigured(IOperation guard, IInvocationOperation step, List<IOperation> configured)
    {
        ILocalSymbol? options = null;
        for (IOperation? current = guard; current is not null && current != step && current is not ILocalFunctionOperation; current = current.Parent)
        {
            switch (current)
            {
                case IArgumentOperation { Parent: IInvocationOperation call } argument when IsStrategyStep(call) && !(call.TargetMethod.IsExtensionMethod && argument.Parameter?.Ordinal == 0):
                    return new List<Location> { FluentChain.CallLocation(call) };
                case IInvocationOperation call when call == guard && OperationTree.Receiver(call) is ILocalReferenceOperation receiver:
                    // options.DisableForUnsafeHttpMethods();
                    options = receiver.Local;
                    break;
                case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "ShouldHandle" } target } when OperationTree.Unwrap(target.Instance) is ILocalReferenceOperation written:
                    // options.ShouldHandle = …;
                    options ??= written.Local;
                    break;
                case IVariableDeclaratorOperation declarator:
                    // var options = new HttpRetryStrategyOptions { ShouldHandle = … };
                    options ??= declarator.Symbol;
                    break;
            }
        }

        if (options is null)
        {
            return null;
        }

        var strategies = new List<Location>();
        foreach (var operation in configured)
        {
            if (operation is IInvocationOperation call && IsStrategyStep(call))
            {
                foreach (var argument in call.Arguments)
                {
                    if (!(call.TargetMethod.IsExtensionMethod && argument.Parameter?.Ordinal == 0)
                        && OperationTree.Unwrap(argument.Value) is ILocalReferenceOperation passed && SymbolEqualityComparer.Default.Equals(passed.Local, options))
                    {
                        strategies.Add(FluentChain.CallLocation(call));
                    }
                }
            }
        }

        return strategies.Count > 0 ? strategies : null;
    }

    private static bool IsStrategyStep(IInvocationOperation call)
        => call.TargetMethod.Name is "AddRetry" or "AddHedging" && ResiliencePipelineRecognizer.IsBuilderType(call.Type);

    /// <summary>The methods of <c>DisableFor(HttpMethod.Post, HttpMethod.Patch)</c> that are visible constants.</summary>
    private static ImmutableHashSet<string> DisabledMethods(IInvocationOperation call)
    {
        var methods = ImmutableHashSet.CreateBuilder<string>();
        foreach (var operation in call.DescendantsAndSelf())
        {
            if (operation is IPropertyReferenceOperation { Property: { IsStatic: true, ContainingType.Name: "HttpMethod" } property })
            {
                methods.Add(property.Name.ToUpperInvariant());
            }
        }

        return methods.ToImmutable();
    }

    /// <summary><c>_ =&gt; ValueTask.FromResult(false)</c>, <c>_ =&gt; PredicateResult.False()</c>, <c>_ =&gt; new ValueTask&lt;bool&gt;(false)</c>.</summary>
    private static bool AlwaysFalse(IOperation value)
    {
        if (OperationTree.Unwrap(value) is not IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda }
            || lambda.Body.Operations.Length != 1 || lambda.Body.Operations[0] is not IReturnOperation { ReturnedValue: { } returned })
        {
            return false;
        }

        return OperationTree.Unwrap(returned) switch
        {
            IInvocationOperation { TargetMethod.Name: "False", TargetMethod.ContainingType.Name: "PredicateResult" } => true,
            IInvocationOperation { TargetMethod.Name: "FromResult", Arguments.Length: 1 } call => call.Arguments[0].Value.ConstantValue is { HasValue: true, Value: false },
            IObjectCreationOperation { Type.Name: "ValueTask", Arguments.Length: 1 } creation => creation.Arguments[0].Value.ConstantValue is { HasValue: true, Value: false },
            _ => false,
        };
    }

    /// <summary>A call on an <c>HttpClient</c> that the factory gives: the send's name, the client, and its method when unsafe.</summary>
    private Send? SendOf(IInvocationOperation call, ISymbol? containing)
    {
        var method = call.TargetMethod;
        var receiver = method.IsExtensionMethod && call.Arguments.Length > 0 ? call.Arguments[0].Value : call.Instance;
        if (receiver?.Type is not { Name: "HttpClient" } type || type.ContainingNamespace?.ToDisplayString() != "System.Net.Http"
            || !(method.Name.EndsWith("Async", System.StringComparison.Ordinal) || method.Name == "Send"))
        {
            return null;
        }

        if (ClientOf(OperationTree.Unwrap(receiver), call) is not { } key)
        {
            return null;
        }

        var verb = UnsafeRequests.MethodOf(call, _types);
        if (verb is not null && UnsafeRequests.CarriesIdempotencyKey(call))
        {
            verb = null;
        }

        return new Send((EnclosingMember.Outside(containing) as IMethodSymbol)?.OriginalDefinition, key, method.Name, verb, RetryLayerModel.NameLocation(call))
        {
            Verb = UnsafeRequests.HttpMethodOf(call, _types),
        };
    }

    /// <summary>
    /// The factory client a receiver holds: a typed client's own field, property or primary-constructor parameter (set from
    /// the <c>HttpClient</c> its constructor is given), or <c>CreateClient("name")</c> directly or through a local of the body.
    /// </summary>
    private static string? ClientOf(IOperation? receiver, IInvocationOperation call)
    {
        switch (receiver)
        {
            case IInvocationOperation creation:
                return NamedClient(creation);
            case ILocalReferenceOperation { Local: var local }:
                IInvocationOperation? initial = null;
                foreach (var operation in OperationTree.Root(call).Descendants())
                {
                    switch (operation)
                    {
                        case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local):
                            initial = OperationTree.Unwrap(declarator.Initializer?.Value) as IInvocationOperation;
                            break;
                        case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } when SymbolEqualityComparer.Default.Equals(target.Local, local):
                            return null;
                    }
                }

                return initial is null ? null : NamedClient(initial);
            case IFieldReferenceOperation { Field: { IsStatic: false } field, Instance: IInstanceReferenceOperation }:
                return TypedClient(field.ContainingType, field.DeclaringSyntaxReferences, call);
            case IPropertyReferenceOperation { Property: { IsStatic: false } property, Instance: IInstanceReferenceOperation }:
                return TypedClient(property.ContainingType, property.DeclaringSyntaxReferences, call);
            case IParameterReferenceOperation { Parameter.ContainingSymbol: IMethodSymbol { MethodKind: MethodKind.Constructor } constructor }
                when constructor.DeclaringSyntaxReferences.Length == 1 && constructor.DeclaringSyntaxReferences[0].GetSyntax() is TypeDeclarationSyntax:
                return HttpClientKey.Typed(constructor.ContainingType);
            default:
                return null;
        }
    }

    /// <summary><c>factory.CreateClient("name")</c> on <c>IHttpClientFactory</c> with a constant name.</summary>
    private static string? NamedClient(IInvocationOperation creation)
    {
        if (creation.TargetMethod is not { Name: "CreateClient" } method
            || !(method.ContainingType?.Name == "IHttpClientFactory" || (method.IsExtensionMethod && method.Parameters.Length > 0 && method.Parameters[0].Type.Name == "IHttpClientFactory")))
        {
            return null;
        }

        foreach (var argument in creation.Arguments)
        {
            if (argument.Parameter?.Name == "name")
            {
                return argument.Value.ConstantValue is { HasValue: true, Value: string name } ? HttpClientKey.Named(name) : null;
            }
        }

        // CreateClient() is the client named Options.DefaultName, the empty string.
        return HttpClientKey.Named(string.Empty);
    }

    /// <summary>
    /// A member with no initializer of a class whose constructor is given an <c>HttpClient</c>, used in that class: what the
    /// factory injects into a typed client. A member initialised in its declaration holds some other client.
    /// </summary>
    private static string? TypedClient(INamedTypeSymbol type, ImmutableArray<SyntaxReference> declarations, IInvocationOperation call)
    {
        if (call.SemanticModel?.GetEnclosingSymbol(call.Syntax.SpanStart)?.ContainingType is not { } user
            || !SymbolEqualityComparer.Default.Equals(user.OriginalDefinition, type.OriginalDefinition))
        {
            return null;
        }

        foreach (var reference in declarations)
        {
            if (reference.GetSyntax() is VariableDeclaratorSyntax { Initializer: not null } or PropertyDeclarationSyntax { Initializer: not null })
            {
                return null;
            }
        }

        foreach (var constructor in type.InstanceConstructors)
        {
            if (HttpClientBuilderRecognizer.TakesHttpClient(constructor))
            {
                return HttpClientKey.Typed(type);
            }
        }

        return null;
    }
}
