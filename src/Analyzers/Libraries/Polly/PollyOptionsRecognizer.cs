using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;
using ResilienceAnalyzers.Common;
using ResilienceAnalyzers.Retry;

namespace ResilienceAnalyzers.Libraries.Polly;

/// <summary>
/// The effective retry settings of a Polly v8 options object: the type's defaults, overridden by the object
/// initializer, then by assignments that certainly run later on the same local in the same body; or of the
/// standard handler's <c>Retry</c> options in a configure lambda. A setting that cannot be seen is unknown;
/// an object that escapes to code that may change it (a helper, configuration binding) is not modelled.
/// </summary>
public static class PollyOptionsRecognizer
{
    /// <summary>Cheap test before any symbol comparison.</summary>
    public static bool IsCandidateTypeName(string name) => name is "RetryStrategyOptions" or "HttpRetryStrategyOptions";

    /// <summary>Cheap test for the calls that take a standard-handler configure lambda.</summary>
    public static bool IsCandidateConfigureName(string name) => name is "AddStandardResilienceHandler" or "Configure";

    /// <summary><c>new RetryStrategyOptions()</c>, <c>new RetryStrategyOptions&lt;T&gt;()</c>, <c>new HttpRetryStrategyOptions()</c> and target-typed <c>new()</c>; exact types only.</summary>
    public static PollyOptionsModel? Recognize(IObjectCreationOperation creation, KnownTypes types)
    {
        var polly = types.Polly;
        if (creation.Type is not INamedTypeSymbol type || !IsCandidateTypeName(type.Name))
        {
            return null;
        }

        PollyOptionsKind kind;
        if (SymbolEqualityComparer.Default.Equals(type, polly.HttpRetryStrategyOptions))
        {
            kind = PollyOptionsKind.HttpRetryStrategyOptions;
        }
        else if (SymbolEqualityComparer.Default.Equals(type, polly.RetryStrategyOptions)
                 || SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, polly.RetryStrategyOptionsOfT))
        {
            kind = PollyOptionsKind.RetryStrategyOptions;
        }
        else
        {
            return null;
        }

        var settings = new Settings(kind, types);
        if (creation.Initializer is { } initializer)
        {
            foreach (var member in initializer.Initializers)
            {
                if (member is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property } assignment)
                {
                    settings.Assign(property.Property.Name, assignment.Value, assignment.Syntax, definite: true);
                }
                else if (member is IAssignmentOperation { Target: IPropertyReferenceOperation written })
                {
                    settings.MarkUnknown(written.Property.Name);
                }
            }
        }

        if (!FollowLocal(creation, settings))
        {
            return null;
        }

        var model = settings.ToModel("'" + type.Name + "'", creation.Syntax, ResilienceAnalyzers.Common.CreationLocation.Of(creation.Syntax, withArguments: true));
        var insideATimeout = IsAddedInsideATimeout(creation);
        var stopsOnOpenCircuit = creation.Initializer is { } options && ExcludesAnOpenCircuit(options);
        return insideATimeout || stopsOnOpenCircuit
            ? new PollyOptionsModel(model) { RunsInsideATimeout = insideATimeout, StopsWhenACircuitOpens = stopsOnOpenCircuit }
            : model;
    }

    /// <summary>
    /// The <c>ShouldHandle</c> of the initializer tests that the failure is not <c>BrokenCircuitException</c> (or a type
    /// derived from it): <c>ex is not BrokenCircuitException</c>, <c>!(ex is BrokenCircuitException)</c>.
    /// </summary>
    private static bool ExcludesAnOpenCircuit(IObjectOrCollectionInitializerOperation initializer)
    {
        foreach (var member in initializer.Initializers)
        {
            if (member is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "ShouldHandle" } } shouldHandle
                && shouldHandle.Value.Descendants().Any(IsOpenCircuitExcluded))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsOpenCircuitExcluded(IOperation operation)
        => operation switch
        {
            IIsPatternOperation { Pattern: INegatedPatternOperation { Pattern: var pattern } } => IsOpenCircuitType(MatchedType(pattern)),
            IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, Operand: var operand } => OperationTree.Unwrap(operand) switch
            {
                IIsTypeOperation isType => IsOpenCircuitType(isType.TypeOperand),
                IIsPatternOperation isPattern => IsOpenCircuitType(MatchedType(isPattern.Pattern)),
                _ => false,
            },
            _ => false,
        };

    private static ITypeSymbol? MatchedType(IPatternOperation pattern)
        => pattern switch
        {
            ITypePatternOperation type => type.MatchedType,
            IDeclarationPatternOperation declaration => declaration.MatchedType,
            _ => null,
        };

    private static bool IsOpenCircuitType(ITypeSymbol? type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.Name == "BrokenCircuitException" && current.ContainingNamespace?.ToDisplayString() == "Polly.CircuitBreaker")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// <c>builder.AddTimeout(t).AddRetry(new RetryStrategyOptions { … })</c>: a strategy added earlier is the outer one, so a
    /// finite timeout added before the retry bounds every attempt together.
    /// </summary>
    private static bool IsAddedInsideATimeout(IObjectCreationOperation creation)
    {
        // A target-typed new() reaches its parameter through a conversion.
        var value = OperationTree.Outer(creation);
        if (value.Parent is not IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "AddRetry" } addRetry })
        {
            return false;
        }

        var receiver = OperationTree.Receiver(addRetry);
        for (var depth = 0; depth < 16 && receiver is IInvocationOperation step; depth++)
        {
            if (step.TargetMethod.Name == "AddTimeout")
            {
                return IsFiniteTimeout(step);
            }

            receiver = OperationTree.Receiver(step);
        }

        // builder.AddTimeout(...); builder.AddRetry(...);: statements on one builder local, the timeout added first.
        if (receiver is ILocalReferenceOperation { Local: var builder })
        {
            foreach (var operation in OperationTree.Descendants(OperationTree.Root(addRetry)))
            {
                if (operation.Syntax.SpanStart >= addRetry.Syntax.SpanStart)
                {
                    break;
                }

                if (operation is IInvocationOperation { TargetMethod.Name: "AddTimeout" } timeout
                    && OperationTree.Receiver(timeout) is ILocalReferenceOperation reference
                    && SymbolEqualityComparer.Default.Equals(reference.Local, builder)
                    && timeout.Parent is IExpressionStatementOperation { Parent: IBlockOperation block }
                    && block == OperationTree.Ancestor<IBlockOperation>(addRetry))
                {
                    return IsFiniteTimeout(timeout);
                }
            }
        }

        return false;
    }

    private static bool IsFiniteTimeout(IInvocationOperation addTimeout)
    {
        var index = addTimeout.TargetMethod.IsExtensionMethod ? 1 : 0;
        return addTimeout.Arguments.Length > index && !IsInfinite(addTimeout.Arguments[index].Value);
    }

    /// <summary><c>Timeout.InfiniteTimeSpan</c>, or options whose <c>Timeout</c> is set to it.</summary>
    private static bool IsInfinite(IOperation value)
        => OperationTree.Any(value, o => o is IFieldReferenceOperation { Field.Name: "InfiniteTimeSpan" });

    /// <summary>Cheap test for the settings the retry rules read.</summary>
    public static bool IsSettingName(string name) => name is "MaxRetryAttempts" or "BackoffType" or "UseJitter" or "Delay" or "DelayGenerator" or "MaxDelay" or "ShouldHandle";

    /// <summary>
    /// The options behind a later <c>local.Setting = ...</c> assignment: the object creation that initialized the
    /// local, modelled as a whole. Null when the local does not hold a recognised options creation.
    /// </summary>
    public static PollyOptionsModel? RecognizeAssigned(ISimpleAssignmentOperation assignment, KnownTypes types)
    {
        if (assignment.Target is not IPropertyReferenceOperation { Instance: ILocalReferenceOperation { Local: { } local } } property
            || !IsSettingName(property.Property.Name)
            || !IsCandidateTypeName(local.Type.Name))
        {
            return null;
        }

        foreach (var operation in OperationTree.Root(assignment).Descendants())
        {
            var creation = operation switch
            {
                IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local)
                    => OperationTree.Unwrap(declarator.Initializer?.Value),
                ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } write when SymbolEqualityComparer.Default.Equals(target.Local, local)
                    => OperationTree.Unwrap(write.Value),
                _ => null,
            };
            if (creation is IObjectCreationOperation objectCreation)
            {
                return Recognize(objectCreation, types);
            }
        }

        return null;
    }

    /// <summary>
    /// The options a value stands for: a creation (<c>AddRetry(new RetryStrategyOptions { … })</c>), or a local of the same
    /// body initialized with one (<c>var retry = new RetryStrategyOptions(); retry.Delay = …; builder.AddRetry(retry)</c>).
    /// </summary>
    public static PollyOptionsModel? RecognizeValue(IOperation value, KnownTypes types)
    {
        switch (OperationTree.Unwrap(value))
        {
            case IObjectCreationOperation creation:
                return Recognize(creation, types);
            case ILocalReferenceOperation { Local: { } local } when IsCandidateTypeName(local.Type.Name):
                foreach (var operation in OperationTree.Root(value).Descendants())
                {
                    if (operation is IVariableDeclaratorOperation declarator && SymbolEqualityComparer.Default.Equals(declarator.Symbol, local))
                    {
                        return OperationTree.Unwrap(declarator.Initializer?.Value) is IObjectCreationOperation initial ? Recognize(initial, types) : null;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    /// <summary>A lambda passed to <c>AddStandardResilienceHandler</c>/<c>Configure</c> whose parameter is <c>HttpStandardResilienceOptions</c>.</summary>
    public static PollyOptionsModel? RecognizeStandardHandler(IInvocationOperation invocation, KnownTypes types)
    {
        var optionsType = types.Polly.HttpStandardResilienceOptions;
        if (optionsType is null || !IsCandidateConfigureName(invocation.TargetMethod.Name))
        {
            return null;
        }

        return ConfigureLambda(invocation, optionsType) is { } lambda ? RecognizeConfigureLambda(lambda.Symbol.Parameters[0], lambda.Body, types) : null;
    }

    /// <summary>The lambda argument whose first parameter is the options type: <c>o =&gt; …</c> in <c>AddStandardResilienceHandler(o =&gt; …)</c>.</summary>
    private static IAnonymousFunctionOperation? ConfigureLambda(IInvocationOperation invocation, INamedTypeSymbol optionsType)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (OperationTree.Unwrap(argument.Value) is IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda }
                && lambda.Symbol.Parameters.Length > 0
                && SymbolEqualityComparer.Default.Equals(lambda.Symbol.Parameters[0].Type, optionsType))
            {
                return lambda;
            }
        }

        return null;
    }

    /// <summary>
    /// The durations a standard handler's configure lambda (<c>AddStandardResilienceHandler(o =&gt; …)</c>,
    /// <c>AddStandardHedgingHandler(…).Configure(o =&gt; …)</c>) leaves at <paramref name="paths"/>, property paths from the
    /// options parameter (<c>"AttemptTimeout.Timeout"</c>, <c>"Endpoint.CircuitBreaker.SamplingDuration"</c>): the default
    /// given, overridden by an assignment that certainly runs (<c>o.AttemptTimeout.Timeout = …</c>, or
    /// <c>o.AttemptTimeout = new … { Timeout = … }</c>). A path whose object is handed elsewhere, assigned in a branch or given
    /// a <c>TimeoutGenerator</c> is unknown; the whole options object handed elsewhere (configuration binding) makes every
    /// path unknown. Null when the invocation takes no such lambda.
    /// </summary>
    public static ImmutableDictionary<string, OptionSetting<double>>? RecognizeHandlerDurations(
        IInvocationOperation invocation, INamedTypeSymbol optionsType, ImmutableDictionary<string, double> paths)
        => ConfigureLambda(invocation, optionsType) is { } lambda ? DurationsOfLambda(lambda.Symbol.Parameters[0], lambda.Body, paths) : null;

    private static ImmutableDictionary<string, OptionSetting<double>> DurationsOfLambda(IParameterSymbol options, IBlockOperation body, ImmutableDictionary<string, double> paths)
    {
        var settings = paths.ToImmutableDictionary(p => p.Key, p => OptionSetting<double>.Default(p.Value)).ToBuilder();
        foreach (var operation in body.Descendants())
        {
            if (operation is not IParameterReferenceOperation reference || !SymbolEqualityComparer.Default.Equals(reference.Parameter, options))
            {
                continue;
            }

            // Climb o.A.B… as far as property reads go.
            IOperation top = reference;
            var path = string.Empty;
            while (OperationTree.Outer(top).Parent is IPropertyReferenceOperation property && property.Instance == OperationTree.Outer(top))
            {
                path = path.Length == 0 ? property.Property.Name : path + "." + property.Property.Name;
                top = property;
            }

            if (path.Length == 0)
            {
                // The options object itself handed on: anything may be set.
                foreach (var key in paths.Keys)
                {
                    settings[key] = OptionSetting<double>.Default(null);
                }

                return settings.ToImmutable();
            }

            var parent = OperationTree.Outer(top).Parent;
            foreach (var key in paths.Keys)
            {
                if (key == path)
                {
                    if (parent is ISimpleAssignmentOperation assignment && assignment.Target == top)
                    {
                        settings[key] = OptionSetting<double>.Assigned(RunsOnce(assignment, body) ? TimeValue.TryGetMilliseconds(assignment.Value) : null, assignment.Syntax);
                    }
                    else if (parent is IAssignmentOperation or IIncrementOrDecrementOperation or IArgumentOperation { Parameter.RefKind: not RefKind.None })
                    {
                        settings[key] = OptionSetting<double>.Default(null);
                    }
                }
                else if (key.StartsWith(path + ".", System.StringComparison.Ordinal))
                {
                    settings[key] = SettingUnder(key.Substring(path.Length + 1), top, parent, body);
                }
                else if (path.EndsWith("Generator", System.StringComparison.Ordinal)
                         && key.StartsWith(path.Substring(0, path.LastIndexOf('.') + 1), System.StringComparison.Ordinal)
                         && parent is IAssignmentOperation)
                {
                    // o.AttemptTimeout.TimeoutGenerator = …: the timeout is decided per call.
                    settings[key] = OptionSetting<double>.Default(null);
                }
            }
        }

        return settings.ToImmutable();
    }

    /// <summary>A use of <c>o.AttemptTimeout</c> when <c>o.AttemptTimeout.Timeout</c> is the setting followed.</summary>
    private static OptionSetting<double> SettingUnder(string rest, IOperation top, IOperation? parent, IBlockOperation body)
    {
        if (parent is ISimpleAssignmentOperation assignment && assignment.Target == top)
        {
            // o.AttemptTimeout = new HttpTimeoutStrategyOptions { Timeout = … }: only a visible creation setting it counts.
            if (rest.IndexOf('.') < 0 && RunsOnce(assignment, body)
                && OperationTree.Unwrap(assignment.Value) is IObjectCreationOperation { Initializer: { } initializer })
            {
                foreach (var member in initializer.Initializers)
                {
                    if (member is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation written } set && written.Property.Name == rest)
                    {
                        return OptionSetting<double>.Assigned(TimeValue.TryGetMilliseconds(set.Value), assignment.Syntax);
                    }
                }
            }

            return OptionSetting<double>.Assigned(null, assignment.Syntax);
        }

        // Handed to a helper or configuration binding, aliased, or replaced through a ref.
        return OptionSetting<double>.Default(null);
    }

    /// <summary>The standard handler's <c>Retry</c> options when no lambda changes them.</summary>
    public static PollyOptionsModel StandardHandlerDefaults(KnownTypes types)
        => new Settings(PollyOptionsKind.StandardHandler, types).ToModel("'HttpStandardResilienceOptions.Retry'", creation: null, creationLocation: null);

    private static PollyOptionsModel? RecognizeConfigureLambda(IParameterSymbol options, IBlockOperation body, KnownTypes types)
    {
        var settings = new Settings(PollyOptionsKind.StandardHandler, types);
        foreach (var operation in body.Descendants())
        {
            if (operation is not IParameterReferenceOperation reference || !SymbolEqualityComparer.Default.Equals(reference.Parameter, options))
            {
                continue;
            }

            switch (reference.Parent)
            {
                case IPropertyReferenceOperation { Property.Name: "Retry" } retry when retry.Instance == reference:
                    if (!ApplyUse(retry, settings, body))
                    {
                        return null;
                    }

                    break;
                case IPropertyReferenceOperation other when other.Instance == reference:
                    // Another strategy's settings (timeouts, circuit breaker): not this rule's business.
                    break;
                default:
                    // Handed to something that may set anything (configuration binding, a helper).
                    return null;
            }
        }

        return settings.ToModel("'HttpStandardResilienceOptions.Retry'", creation: null, creationLocation: null);
    }

    /// <summary>Applies the later assignments on the local that holds <paramref name="creation"/>; false when the object escapes.</summary>
    private static bool FollowLocal(IObjectCreationOperation creation, Settings settings)
    {
        var value = OperationTree.Outer(creation);

        ILocalSymbol? local;
        IOperation? ownWrite = null;
        IOperation? statement;
        switch (value.Parent)
        {
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                local = declarator.Symbol;
                statement = declarator.Parent?.Parent;
                break;
            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when assignment.Value == value:
                local = target.Local;
                ownWrite = target;
                statement = assignment.Parent;
                break;
            default:
                // Passed straight on or stored in a field: the initializer is all there is to see.
                return true;
        }

        if (statement?.Parent is not { } container)
        {
            return false;
        }

        foreach (var operation in OperationTree.Root(creation).Descendants())
        {
            if (operation is ILocalReferenceOperation reference
                && reference != ownWrite
                && SymbolEqualityComparer.Default.Equals(reference.Local, local)
                && !ApplyUse(reference, settings, container))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Judges one use of the options object; false when it escapes or is replaced.</summary>
    private static bool ApplyUse(IOperation receiver, Settings settings, IOperation container)
    {
        receiver = OperationTree.Outer(receiver);

        switch (receiver.Parent)
        {
            case IPropertyReferenceOperation property when property.Instance == receiver:
                var name = property.Property.Name;
                if (property.Parent is ISimpleAssignmentOperation assignment && assignment.Target == property)
                {
                    settings.Assign(name, assignment.Value, assignment.Syntax, IsDefinite(assignment, container));
                }
                else if (property.Parent is IAssignmentOperation or IIncrementOrDecrementOperation
                         || property.Parent is IArgumentOperation { Parameter.RefKind: not RefKind.None })
                {
                    settings.MarkUnknown(name);
                }

                return true;
            case IArgumentOperation argument:
                return argument.Parameter?.RefKind == RefKind.None
                       && argument.Parent is IInvocationOperation invocation
                       && IsKnownConsumer(invocation.TargetMethod);
            case IAssignmentOperation:
            case IVariableInitializerOperation:
                // Replaced, or aliased through another variable: later writes could land anywhere.
                return false;
            default:
                return true;
        }
    }

    /// <summary>A statement of the body that holds the options, not inside a branch, loop or lambda: it runs.</summary>
    private static bool IsDefinite(IOperation assignment, IOperation container)
        => assignment.Parent is IExpressionStatementOperation statement && statement.Parent == container;

    /// <summary>As <see cref="IsDefinite"/>, and the single expression of an expression-bodied lambda (<c>o =&gt; o.X.Timeout = t</c>).</summary>
    private static bool RunsOnce(IOperation assignment, IOperation container)
        => assignment.Parent is IExpressionStatementOperation or IReturnOperation && assignment.Parent.Parent == container;

    /// <summary>Polly and Microsoft.Extensions.*.Resilience read the options; they do not rewrite the retry settings.</summary>
    private static bool IsKnownConsumer(IMethodSymbol method)
    {
        var ns = method.ContainingNamespace?.ToDisplayString() ?? string.Empty;
        return ns == "Polly" || ns.StartsWith("Polly.", System.StringComparison.Ordinal)
               || ns is "Microsoft.Extensions.Http.Resilience" or "Microsoft.Extensions.Resilience";
    }

    /// <summary>Accumulates the settings in the order they take effect.</summary>
    private sealed class Settings
    {
        private readonly KnownTypes _types;
        private readonly PollyOptionsKind _kind;
        private OptionSetting<int> _maxRetryAttempts;
        private OptionSetting<BackoffKind> _backoffType;
        private OptionSetting<bool> _useJitter;
        private OptionSetting<double> _delay;
        private OptionSetting<double> _maxDelay = OptionSetting<double>.Default(double.PositiveInfinity);
        private OptionSetting<bool> _handlesEveryException;
        private SyntaxNode? _generatorAssignment;
        private IOperation? _generatorValue;
        private DelayModel? _generator;

        public Settings(PollyOptionsKind kind, KnownTypes types)
        {
            _kind = kind;
            _types = types;
            var http = kind != PollyOptionsKind.RetryStrategyOptions;
            _maxRetryAttempts = OptionSetting<int>.Default(PollyDefaults.MaxRetryAttempts);
            _backoffType = OptionSetting<BackoffKind>.Default(http ? BackoffKind.Exponential : BackoffKind.Constant);
            _useJitter = OptionSetting<bool>.Default(http ? PollyDefaults.HttpUseJitter : PollyDefaults.RetryUseJitter);
            _delay = OptionSetting<double>.Default(PollyDefaults.DelayMilliseconds);

            // Polly.Core 8, RetryStrategyOptions<T>.ShouldHandle: DefaultPredicates<…>.HandleOutcome, every exception but
            // OperationCanceledException. HttpRetryStrategyOptions handles transient HTTP failures only.
            _handlesEveryException = OptionSetting<bool>.Default(!http);
        }

        public void Assign(string name, IOperation value, SyntaxNode assignment, bool definite)
        {
            switch (name)
            {
                case "MaxRetryAttempts":
                    _maxRetryAttempts = OptionSetting<int>.Assigned(definite && value.ConstantValue is { HasValue: true, Value: int attempts } ? attempts : null, assignment);
                    break;
                case "BackoffType":
                    _backoffType = OptionSetting<BackoffKind>.Assigned(definite ? Backoff(value) : null, assignment);
                    break;
                case "UseJitter":
                    _useJitter = OptionSetting<bool>.Assigned(definite && value.ConstantValue is { HasValue: true, Value: bool jitter } ? jitter : null, assignment);
                    break;
                case "Delay":
                    _delay = OptionSetting<double>.Assigned(definite ? TimeValue.TryGetMilliseconds(value) : null, assignment);
                    break;
                case "ShouldHandle":
                    _handlesEveryException = OptionSetting<bool>.Assigned(definite ? HandlesEveryException(value) : null, assignment);
                    break;
                case "MaxDelay":
                    _maxDelay = OptionSetting<double>.Assigned(
                        !definite ? null : value.ConstantValue is { HasValue: true, Value: null } ? double.PositiveInfinity : TimeValue.TryGetMilliseconds(value),
                        assignment);
                    break;
                case "DelayGenerator":
                    if (definite && value.ConstantValue is { HasValue: true, Value: null })
                    {
                        _generatorAssignment = null;
                        _generator = null;
                    }
                    else
                    {
                        _generatorAssignment = assignment;
                        _generatorValue = definite ? value : null;
                        _generator = definite ? DelayLambdaRecognizer.Recognize(value, _types, DelayLambdaRecognizer.FirstParameter) : DelayModel.Unknown;
                    }

                    break;
            }
        }

        public void MarkUnknown(string name)
        {
            switch (name)
            {
                case "MaxRetryAttempts":
                    _maxRetryAttempts = OptionSetting<int>.Default(null);
                    break;
                case "BackoffType":
                    _backoffType = OptionSetting<BackoffKind>.Default(null);
                    break;
                case "UseJitter":
                    _useJitter = OptionSetting<bool>.Default(null);
                    break;
                case "Delay":
                    _delay = OptionSetting<double>.Default(null);
                    break;
                case "DelayGenerator":
                    _generator = DelayModel.Unknown;
                    break;
                case "MaxDelay":
                    _maxDelay = OptionSetting<double>.Default(null);
                    break;
                case "ShouldHandle":
                    _handlesEveryException = OptionSetting<bool>.Default(null);
                    break;
            }
        }

        public PollyOptionsModel ToModel(string subject, SyntaxNode? creation, Location? creationLocation)
        {
            // RES004: the generator is called with the retry's AttemptNumber, from 0; MaxDelay does not cap what it returns
            // (Polly 8 RetryResilienceStrategy: a valid generated delay replaces the capped backoff delay).
            if (_generator is { Kind: DelayKind.Growing } generator && _generatorValue is not null && _maxRetryAttempts.Value is { } retries)
            {
                _generator = generator.WithGrowth(DelayLambdaRecognizer.Growth(
                    _generatorValue, _types, DelayLambdaRecognizer.FirstParameter, first: 0, retries: retries == int.MaxValue ? null : retries));
            }

            return Model(subject, creation, creationLocation);
        }

        private PollyOptionsModel Model(string subject, SyntaxNode? creation, Location? creationLocation)
            => new(_kind, subject, creation, creationLocation, _maxRetryAttempts, _backoffType, _useJitter, _delay, _generatorAssignment, _generator, _maxDelay, _handlesEveryException);

        /// <summary>
        /// RES005: <c>new PredicateBuilder().Handle&lt;Exception&gt;()</c> (a <c>Handle&lt;Exception&gt;</c> without a predicate anywhere in
        /// the chain), or a lambda that returns <c>PredicateResult.True()</c>, <c>ValueTask.FromResult(true)</c> or
        /// <c>new ValueTask&lt;bool&gt;(true)</c> whatever it is given.
        /// </summary>
        private static bool HandlesEveryException(IOperation value)
        {
            var current = OperationTree.Unwrap(value);
            if (current is IDelegateCreationOperation { Target: var target })
            {
                return OperationTree.Unwrap(target) is IAnonymousFunctionOperation { Body.Operations: { Length: 1 } operations }
                       && operations[0] is IReturnOperation { ReturnedValue: { } returned }
                       && IsAlwaysTrue(OperationTree.Unwrap(returned));
            }

            for (var depth = 0; depth < 16 && current is IInvocationOperation step; depth++)
            {
                if (step.TargetMethod is { Name: "Handle", TypeArguments.Length: 1 } handle
                    && handle.TypeArguments[0] is { Name: "Exception", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } }
                    && step.Arguments.Length == 0)
                {
                    return true;
                }

                current = OperationTree.Unwrap(step.Instance);
            }

            return false;
        }

        private static bool IsAlwaysTrue(IOperation? returned)
            => returned switch
            {
                IInvocationOperation { TargetMethod: { Name: "True", ContainingType.Name: "PredicateResult" } } => true,
                IInvocationOperation { TargetMethod.Name: "FromResult", Arguments.Length: 1 } fromResult => IsTrue(fromResult.Arguments[0].Value),
                IObjectCreationOperation { Type.Name: "ValueTask", Arguments.Length: 1 } valueTask => IsTrue(valueTask.Arguments[0].Value),
                _ => false,
            };

        private static bool IsTrue(IOperation value) => value.ConstantValue is { HasValue: true, Value: true };

        private BackoffKind? Backoff(IOperation value)
        {
            if (value.ConstantValue is not { HasValue: true, Value: { } constant } || _types.Polly.DelayBackoffType is not { } enumType)
            {
                return null;
            }

            foreach (var member in enumType.GetMembers())
            {
                if (member is IFieldSymbol { HasConstantValue: true } field && Equals(field.ConstantValue, constant))
                {
                    return field.Name switch
                    {
                        "Constant" => BackoffKind.Constant,
                        "Linear" => BackoffKind.Linear,
                        "Exponential" => BackoffKind.Exponential,
                        _ => null,
                    };
                }
            }

            return null;
        }
    }
}
