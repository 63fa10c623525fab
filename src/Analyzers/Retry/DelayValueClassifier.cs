using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Retry;

/// <summary>What a delay value depends on: the attempt (it grows), randomness (jitter), or something unseen.</summary>
public readonly struct DelayValue
{
    public static readonly DelayValue Constant = new(grows: false, unknown: false, JitterKind.None);
    public static readonly DelayValue Growing = new(grows: true, unknown: false, JitterKind.None);
    public static readonly DelayValue Unknown = new(grows: false, unknown: true, JitterKind.None);

    public DelayValue(bool grows, bool unknown, JitterKind jitter)
    {
        Grows = grows;
        IsUnknown = unknown;
        Jitter = jitter;
    }

    public bool Grows { get; }

    /// <summary>Part of the value cannot be seen (a helper, configuration, a parameter): judge nothing.</summary>
    public bool IsUnknown { get; }

    public JitterKind Jitter { get; }

    public DelayValue Combine(DelayValue other)
        => new(Grows || other.Grows, IsUnknown || other.IsUnknown, Max(Jitter, other.Jitter));

    public DelayModel ToModel(Location? location)
        => IsUnknown
            ? DelayModel.Unknown
            : new DelayModel(Grows ? DelayKind.Growing : DelayKind.Constant, Jitter, location);

    private static JitterKind Max(JitterKind a, JitterKind b) => a > b ? a : b;
}

/// <summary>
/// Classifies a delay argument by what it depends on (DESIGN.md): constants only ⇒ constant; something that
/// changes per attempt ⇒ growing; a call into Random/RandomNumberGenerator with a real range ⇒ jitter;
/// anything that cannot be seen ⇒ unknown.
/// </summary>
public static class DelayValueClassifier
{
    // Deep enough for real delay expressions (locals feeding locals); cycles are cut by the visiting set.
    private const int MaxDepth = 16;

    public static DelayValue Classify(IOperation value, RetryScope scope) => Classify(value, scope, depth: 0, visiting: null);

    private static DelayValue Classify(IOperation? value, RetryScope scope, int depth, HashSet<ISymbol>? visiting)
    {
        if (value is null || depth > MaxDepth)
        {
            return DelayValue.Unknown;
        }

        if (value.ConstantValue.HasValue)
        {
            return DelayValue.Constant;
        }

        switch (value)
        {
            case IConversionOperation conversion:
                return Classify(conversion.Operand, scope, depth + 1, visiting);
            case IParenthesizedOperation parenthesized:
                return Classify(parenthesized.Operand, scope, depth + 1, visiting);
            case IBinaryOperation binary:
                return Classify(binary.LeftOperand, scope, depth + 1, visiting)
                    .Combine(Classify(binary.RightOperand, scope, depth + 1, visiting));
            case IUnaryOperation unary:
                return Classify(unary.Operand, scope, depth + 1, visiting);
            case IConditionalOperation conditional:
                return Classify(conditional.WhenTrue, scope, depth + 1, visiting)
                    .Combine(Classify(conditional.WhenFalse, scope, depth + 1, visiting));
            case ICoalesceOperation coalesce:
                return Classify(coalesce.Value, scope, depth + 1, visiting)
                    .Combine(Classify(coalesce.WhenNull, scope, depth + 1, visiting));
            case IIncrementOrDecrementOperation increment:
                return Classify(increment.Target, scope, depth + 1, visiting);
            case IInvocationOperation invocation:
                return ClassifyInvocation(invocation, scope, depth, visiting);
            case IObjectCreationOperation creation when SymbolEqualityComparer.Default.Equals(creation.Type, scope.Types.TimeSpan):
                return ClassifyAll(creation.Arguments, scope, depth, visiting);
            case ILocalReferenceOperation local:
                return ClassifyLocal(local.Local, scope, depth, visiting);
            case IParameterReferenceOperation parameter:
                if (SymbolEqualityComparer.Default.Equals(parameter.Parameter, scope.AttemptParameter) || IsCounter(parameter.Parameter, scope))
                {
                    return DelayValue.Growing;
                }

                if (scope.Arguments is not null && scope.Arguments.TryGetValue(parameter.Parameter, out var passed))
                {
                    return passed;
                }

                // A caller's value: configuration, not something the compilation shows.
                return DelayValue.Unknown;
            case IFieldReferenceOperation field:
                return ClassifyField(field, scope, depth, visiting);
            case IPropertyReferenceOperation property:
                return ClassifyProperty(property, scope, depth, visiting);
            case IArrayElementReferenceOperation element:
                return ClassifyTable(element.ArrayReference, scope);
            case IDefaultValueOperation:
                return DelayValue.Constant;
            default:
                return DelayValue.Unknown;
        }
    }

    private static DelayValue ClassifyAll(IEnumerable<IArgumentOperation> arguments, RetryScope scope, int depth, HashSet<ISymbol>? visiting)
    {
        var result = DelayValue.Constant;
        foreach (var argument in arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.DefaultValue)
            {
                continue;
            }

            result = result.Combine(Classify(argument.Value, scope, depth + 1, visiting));
        }

        return result;
    }

    private static DelayValue ClassifyInvocation(IInvocationOperation invocation, RetryScope scope, int depth, HashSet<ISymbol>? visiting)
    {
        var method = invocation.TargetMethod;
        var containingType = method.ContainingType;
        if (IsRandom(containingType, scope.Types))
        {
            // The range can itself grow: Next(attempt * 100, attempt * 200).
            var range = ClassifyAll(invocation.Arguments, scope, depth, visiting);
            return range.Combine(new DelayValue(grows: false, unknown: false, IsDegenerate(invocation) ? JitterKind.Fake : JitterKind.Real));
        }

        if (IsArithmetic(containingType, scope.Types))
        {
            var result = ClassifyAll(invocation.Arguments, scope, depth, visiting);
            return invocation.Instance is null ? result : result.Combine(Classify(invocation.Instance, scope, depth + 1, visiting));
        }

        return ClassifyHelper(invocation, scope, depth, visiting);
    }

    /// <summary>
    /// A helper written in the same file (<c>static TimeSpan Backoff(int attempt) =&gt; ...</c>, a local function) is
    /// judged by what it returns, each parameter standing for what the call passed. Anything else, or a
    /// helper in another file or assembly, cannot be seen: unknown.
    /// </summary>
    private static DelayValue ClassifyHelper(IInvocationOperation invocation, RetryScope scope, int depth, HashSet<ISymbol>? visiting)
    {
        var method = invocation.TargetMethod.OriginalDefinition;
        if (method.DeclaringSyntaxReferences.Length != 1
            || invocation.SemanticModel is not { } model
            || method.DeclaringSyntaxReferences[0].SyntaxTree != invocation.Syntax.SyntaxTree
            || (invocation.Instance is not null and not IInstanceReferenceOperation))
        {
            return DelayValue.Unknown;
        }

        visiting ??= new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        if (!visiting.Add(method))
        {
            return DelayValue.Unknown;
        }

        var body = model.GetOperation(method.DeclaringSyntaxReferences[0].GetSyntax()) switch
        {
            IMethodBodyOperation methodBody => (IOperation?)methodBody.BlockBody ?? methodBody.ExpressionBody,
            ILocalFunctionOperation localFunction => localFunction.Body,
            _ => null,
        };

        var result = DelayValue.Unknown;
        if (body is not null)
        {
            var arguments = new Dictionary<IParameterSymbol, DelayValue>(SymbolEqualityComparer.Default);
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter is { } parameter)
                {
                    arguments[parameter.OriginalDefinition] = Classify(argument.Value, scope, depth + 1, visiting);
                }
            }

            // The helper runs afresh on each call: nothing it declares carries from one attempt to the next.
            var helperScope = new RetryScope(scope.Types, body, new TextSpan(body.Syntax.SpanStart, 0), System.Array.Empty<ISymbol>())
            {
                Arguments = arguments,
            };

            var returned = false;
            result = DelayValue.Constant;
            foreach (var operation in OperationTree.Descendants(body))
            {
                if (operation is IReturnOperation { Kind: OperationKind.Return, ReturnedValue: { } value })
                {
                    returned = true;
                    result = result.Combine(Classify(value, helperScope, depth + 1, visiting));
                }
            }

            result = returned ? result : DelayValue.Unknown;
        }

        visiting.Remove(method);
        return result;
    }

    private static DelayValue ClassifyLocal(ILocalSymbol local, RetryScope scope, int depth, HashSet<ISymbol>? visiting)
    {
        if (IsCounter(local, scope))
        {
            return DelayValue.Growing;
        }

        if (local.IsConst)
        {
            return DelayValue.Constant;
        }

        if (!IsDeclaredIn(local, scope.Root))
        {
            // Captured from around a lambda: written at times this scope does not show.
            return DelayValue.Unknown;
        }

        var writes = scope.WritesOf(local);
        if (writes is null)
        {
            // Declared by a pattern, an out argument or a foreach: not something we can see.
            return DelayValue.Unknown;
        }

        visiting ??= new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        if (!visiting.Add(local))
        {
            // Reads itself: `delay = delay * 2`. Growth is decided by where that write happens.
            return DelayValue.Constant;
        }

        var result = DelayValue.Constant;
        foreach (var write in writes)
        {
            var perAttempt = scope.RepeatedRegion.Contains(write.Syntax.Span);
            switch (write)
            {
                case IVariableDeclaratorOperation declarator:
                    var initializer = declarator.Initializer?.Value ?? (declarator.Parent as IVariableDeclarationOperation)?.Initializer?.Value;
                    result = result.Combine(initializer is null ? DelayValue.Constant : Classify(initializer, scope, depth + 1, visiting));
                    break;
                case ICompoundAssignmentOperation compound:
                    var step = Classify(compound.Value, scope, depth + 1, visiting);
                    result = result.Combine(perAttempt && IsGrowingOperator(compound.OperatorKind) ? DelayValue.Growing.Combine(step) : step);
                    break;
                case IIncrementOrDecrementOperation:
                    result = result.Combine(perAttempt ? DelayValue.Growing : DelayValue.Constant);
                    break;
                case ISimpleAssignmentOperation assignment:
                    var assigned = Classify(assignment.Value, scope, depth + 1, visiting);
                    if (perAttempt && ReadsSymbol(assignment.Value, local))
                    {
                        assigned = assigned.Combine(DelayValue.Growing);
                    }

                    result = result.Combine(assigned);
                    break;
                default:
                    result = result.Combine(DelayValue.Unknown);
                    break;
            }
        }

        visiting.Remove(local);
        return result;
    }

    private static DelayValue ClassifyField(IFieldReferenceOperation field, RetryScope scope, int depth, HashSet<ISymbol>? visiting)
    {
        if (field.Field.IsConst || IsWellKnownConstant(field.Field, scope.Types))
        {
            return DelayValue.Constant;
        }

        if (IsCounter(field.Field, scope))
        {
            return DelayValue.Growing;
        }

        // A static readonly field initialized with literals only is as good as a constant.
        if (field.Field.IsStatic && field.Field.IsReadOnly && FieldInitializer.IsLiteralOnly(field.Field))
        {
            return DelayValue.Constant;
        }

        return DelayValue.Unknown;
    }

    private static DelayValue ClassifyProperty(IPropertyReferenceOperation property, RetryScope scope, int depth, HashSet<ISymbol>? visiting)
    {
        // Polly v8 DelayGenerator: args.AttemptNumber.
        if (property.Property.Name == "AttemptNumber"
            && property.Instance is IParameterReferenceOperation parameter
            && SymbolEqualityComparer.Default.Equals(parameter.Parameter, scope.AttemptParameter))
        {
            return DelayValue.Growing;
        }

        if (IsWellKnownConstant(property.Property, scope.Types))
        {
            return DelayValue.Constant;
        }

        // A count of what the retry has met so far (an EF Core strategy's ExceptionsEncountered.Count): the attempt.
        if (IsCounter(property.Property, scope)
            || (property.Property.Name == "Count" && property.Instance is IPropertyReferenceOperation { Property: var counted } && IsCounter(counted, scope)))
        {
            return DelayValue.Growing;
        }

        // TimeSpan members (delay.TotalMilliseconds, delay.Ticks) follow the value they read.
        if (property.Instance is not null && IsArithmetic(property.Property.ContainingType, scope.Types))
        {
            return Classify(property.Instance, scope, depth + 1, visiting);
        }

        // Array length of a visible table is fixed.
        return DelayValue.Unknown;
    }

    /// <summary>A table of delays indexed by the attempt: equal entries are constant, increasing ones grow.</summary>
    private static DelayValue ClassifyTable(IOperation arrayReference, RetryScope scope)
    {
        IArrayInitializerOperation? initializer = null;
        var symbol = OperationTree.ReferencedSymbol(arrayReference);
        if (symbol is ILocalSymbol local && scope.WritesOf(local) is { Count: 1 } writes && writes[0] is IVariableDeclaratorOperation declarator)
        {
            var value = OperationTree.Unwrap(declarator.Initializer?.Value);
            initializer = (value as IArrayCreationOperation)?.Initializer;
        }

        if (initializer is null || initializer.ElementValues.Length == 0)
        {
            return DelayValue.Unknown;
        }

        return SequenceClassifier.Classify(initializer.ElementValues) switch
        {
            SequenceShape.Equal => DelayValue.Constant,
            SequenceShape.Increasing => DelayValue.Growing,
            _ => DelayValue.Unknown,
        };
    }

    private static bool IsCounter(ISymbol symbol, RetryScope scope)
    {
        foreach (var counter in scope.Counters)
        {
            if (SymbolEqualityComparer.Default.Equals(counter, symbol))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsDeclaredIn(ILocalSymbol local, IOperation root)
    {
        var span = root.Syntax.Span;
        foreach (var reference in local.DeclaringSyntaxReferences)
        {
            if (reference.SyntaxTree == root.Syntax.SyntaxTree && span.Contains(reference.Span))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsGrowingOperator(BinaryOperatorKind kind)
        => kind is BinaryOperatorKind.Add or BinaryOperatorKind.Multiply or BinaryOperatorKind.LeftShift;

    private static bool ReadsSymbol(IOperation operation, ISymbol symbol)
        => OperationTree.Any(operation, o => o is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, symbol));

    internal static bool IsRandom(INamedTypeSymbol? type, KnownTypes types)
        => TypeFacts.IsOrDerivesFrom(type, types.Random) || TypeFacts.IsOrDerivesFrom(type, types.RandomNumberGenerator);

    /// <summary><c>Next(x, x + 1)</c>, <c>Next(1)</c>, <c>Next(5, 5)</c>: calls that can only return one value.</summary>
    internal static bool IsDegenerate(IInvocationOperation invocation)
    {
        if (invocation.TargetMethod.Name is not ("Next" or "NextInt64" or "GetInt32"))
        {
            return false;
        }

        var arguments = invocation.Arguments;
        if (arguments.Length == 1)
        {
            return arguments[0].Value.ConstantValue is { HasValue: true, Value: int or long } single && System.Convert.ToInt64(single.Value) <= 1;
        }

        if (arguments.Length != 2)
        {
            return false;
        }

        var min = arguments[0].Value;
        var max = arguments[1].Value;
        if (min.ConstantValue.HasValue && max.ConstantValue.HasValue
            && min.ConstantValue.Value is int or long && max.ConstantValue.Value is int or long)
        {
            return System.Convert.ToInt64(max.ConstantValue.Value) - System.Convert.ToInt64(min.ConstantValue.Value) <= 1;
        }

        // Next(x, x + 1) and Next(x, x)
        var maxValue = OperationTree.Unwrap(max);
        if (maxValue is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } add
            && add.RightOperand.ConstantValue is { HasValue: true, Value: 1 or 1L or 0 or 0L })
        {
            maxValue = OperationTree.Unwrap(add.LeftOperand);
        }

        return maxValue is not null && OperationTree.Unwrap(min)!.Syntax.IsEquivalentTo(maxValue.Syntax, topLevel: false);
    }

    private static bool IsArithmetic(INamedTypeSymbol? type, KnownTypes types)
    {
        if (type is null)
        {
            return false;
        }

        if (SymbolEqualityComparer.Default.Equals(type, types.Math) || SymbolEqualityComparer.Default.Equals(type, types.TimeSpan))
        {
            return true;
        }

        return type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Double or SpecialType.System_Single
            || (type.Name is "MathF" or "Convert" && type.ContainingNamespace?.Name == "System");
    }

    private static bool IsWellKnownConstant(ISymbol member, KnownTypes types)
        => member.IsStatic
           && member.Name is "Zero" or "MaxValue" or "MinValue"
           && (SymbolEqualityComparer.Default.Equals(member.ContainingType, types.TimeSpan) || member.ContainingType.SpecialType != SpecialType.None);
}
