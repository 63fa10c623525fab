using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Retry;

/// <summary>
/// RES007: what a retry or hedging <c>ShouldHandle</c> of the application's own decides for a POST or a PATCH, when its
/// only use of the request is the request's method compared with <c>HttpMethod</c> constants (<c>==</c>, <c>!=</c>,
/// <c>Equals</c>, <c>is</c>) under <c>&amp;&amp;</c>, <c>||</c>, <c>!</c>, <c>?:</c> and constants. Every other term is
/// unknown: it may be true or false. The predicate is read twice per method: a response came back for a request of that
/// method, and the attempt failed with no response (<c>Outcome.Result</c> is null: the method read through <c>?.</c> is
/// null, read through <c>.</c> it throws, and a throwing predicate retries nothing). A predicate read any other way (a
/// helper of the application's own given the arguments, the request kept in a pattern variable, a block of statements) is
/// not read at all: certain or silent.
/// </summary>
internal static class UnsafeMethodPredicate
{
    private static readonly string[] UnsafeMethods = { "POST", "PATCH" };

    /// <summary>What a predicate can come to: any of true, false, and an exception (which retries nothing).</summary>
    [System.Flags]
    private enum Outcomes
    {
        None = 0,
        True = 1,
        False = 2,
        Throws = 4,
        Unknown = True | False,
    }

    /// <summary>
    /// Of POST and PATCH, those <paramref name="predicate"/> (the value assigned to <c>ShouldHandle</c>) is certainly false
    /// for, with or without a response; null when it is not read (not a lambda of the shape above, or no method compared).
    /// </summary>
    public static ImmutableHashSet<string>? Excluded(IOperation predicate)
    {
        if (OperationTree.Unwrap(predicate) is not IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda }
            || lambda.Symbol.Parameters.Length != 1
            || lambda.Body.Operations.Length != 1
            || lambda.Body.Operations[0] is not IReturnOperation { ReturnedValue: { } returned })
        {
            return null;
        }

        var reader = new Reader(lambda.Symbol.Parameters[0]);
        if (Condition(returned, lambda.Symbol.IsAsync) is not { } condition)
        {
            return null;
        }

        var excluded = ImmutableHashSet.CreateBuilder<string>();
        foreach (var verb in UnsafeMethods)
        {
            var outcomes = reader.Evaluate(condition, verb, withResponse: true) | reader.Evaluate(condition, verb, withResponse: false);
            if ((outcomes & Outcomes.True) == 0)
            {
                excluded.Add(verb);
            }
        }

        return reader.Consumed.Count > 0 && reader.OnlyMethodComparisons(lambda.Body) ? excluded.ToImmutable() : null;
    }

    /// <summary>The bool a predicate returns: <c>ValueTask.FromResult(x)</c>, <c>new ValueTask&lt;bool&gt;(x)</c>, <c>PredicateResult.True()</c>, an async lambda's value.</summary>
    private static IOperation? Condition(IOperation returned, bool isAsync)
    {
        var value = OperationTree.Unwrap(returned);
        return value switch
        {
            _ when isAsync => value?.Type?.SpecialType == SpecialType.System_Boolean ? value : null,
            IInvocationOperation { TargetMethod: { Name: "FromResult", ContainingType.Name: "ValueTask" }, Arguments.Length: 1 } call => call.Arguments[0].Value,
            IObjectCreationOperation { Type.Name: "ValueTask", Arguments.Length: 1 } creation => creation.Arguments[0].Value,
            IInvocationOperation { TargetMethod: { Name: "True" or "False", ContainingType.Name: "PredicateResult" } } call => call,
            _ => null,
        };
    }

    /// <summary>A read of the request's method: the <c>HttpMethod</c>, or its name (<c>.Method.Method</c>).</summary>
    private sealed class MethodRead
    {
        public MethodRead(IOperation operation, bool isName, Outcomes withoutResponse)
        {
            Operation = operation;
            IsName = isName;
            WithoutResponse = withoutResponse;
        }

        public IOperation Operation { get; }

        /// <summary>The method's name, a string, rather than the <c>HttpMethod</c>.</summary>
        public bool IsName { get; }

        /// <summary>With no response: <see cref="Outcomes.None"/> when the request is still there, False when the read is null, Throws when it throws.</summary>
        public Outcomes WithoutResponse { get; }
    }

    private sealed class Reader
    {
        private readonly IParameterSymbol _parameter;

        public Reader(IParameterSymbol parameter) => _parameter = parameter;

        /// <summary>The method reads whose every use was understood.</summary>
        public List<TextSpan> Consumed { get; } = new();

        public Outcomes Evaluate(IOperation? operation, string verb, bool withResponse)
        {
            var value = OperationTree.Unwrap(operation);
            if (value is null)
            {
                return Outcomes.Unknown;
            }

            if (value.ConstantValue is { HasValue: true, Value: bool constant })
            {
                return constant ? Outcomes.True : Outcomes.False;
            }

            switch (value)
            {
                case IInvocationOperation { TargetMethod: { Name: "True" or "False", ContainingType.Name: "PredicateResult" } method }:
                    return method.Name == "True" ? Outcomes.True : Outcomes.False;
                case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, OperatorMethod: null } not:
                    return Not(Evaluate(not.Operand, verb, withResponse));
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.And, OperatorMethod: null } both when IsBool(both.LeftOperand):
                    return And(Evaluate(both.LeftOperand, verb, withResponse), Evaluate(both.RightOperand, verb, withResponse));
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr or BinaryOperatorKind.Or, OperatorMethod: null } either when IsBool(either.LeftOperand):
                    return Or(Evaluate(either.LeftOperand, verb, withResponse), Evaluate(either.RightOperand, verb, withResponse));
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison:
                    var equal = Compare(comparison.LeftOperand, comparison.RightOperand, verb, withResponse, invoked: false);
                    return comparison.OperatorKind == BinaryOperatorKind.Equals ? equal : Not(equal);
                case IInvocationOperation { TargetMethod.Name: "Equals", Instance: { } instance, Arguments.Length: 1 } call:
                    return Compare(instance, call.Arguments[0].Value, verb, withResponse, invoked: true);
                case IInvocationOperation { TargetMethod: { Name: "Equals", IsStatic: true, ContainingType.SpecialType: SpecialType.System_Object or SpecialType.System_String }, Arguments.Length: 2 } call:
                    return Compare(call.Arguments[0].Value, call.Arguments[1].Value, verb, withResponse, invoked: false);
                case IIsPatternOperation pattern when Read(pattern.Value) is { } read:
                    var matched = Match(read, Value(read, verb, withResponse), pattern.Pattern);
                    if (matched == Outcomes.None)
                    {
                        return Outcomes.Unknown;
                    }

                    Consumed.Add(read.Operation.Syntax.Span);
                    return matched;
                case IConditionalOperation { WhenFalse: { } whenFalse } conditional when IsBool(conditional.Condition) && IsBool(conditional.WhenTrue):
                    var condition = Evaluate(conditional.Condition, verb, withResponse);
                    var outcomes = condition & Outcomes.Throws;
                    if ((condition & Outcomes.True) != 0)
                    {
                        outcomes |= Evaluate(conditional.WhenTrue, verb, withResponse);
                    }

                    if ((condition & Outcomes.False) != 0)
                    {
                        outcomes |= Evaluate(whenFalse, verb, withResponse);
                    }

                    return outcomes;
                default:
                    return Outcomes.Unknown;
            }
        }

        private static bool IsBool(IOperation operation) => OperationTree.Unwrap(operation)?.Type?.SpecialType == SpecialType.System_Boolean;

        private static Outcomes Not(Outcomes value)
            => (value & Outcomes.Throws) | ((value & Outcomes.True) != 0 ? Outcomes.False : 0) | ((value & Outcomes.False) != 0 ? Outcomes.True : 0);

        private static Outcomes And(Outcomes left, Outcomes right)
            => (left & (Outcomes.False | Outcomes.Throws)) | ((left & Outcomes.True) != 0 ? right : 0);

        private static Outcomes Or(Outcomes left, Outcomes right)
            => (left & (Outcomes.True | Outcomes.Throws)) | ((left & Outcomes.False) != 0 ? right : 0);

        /// <summary>
        /// <c>a == b</c> where one side reads the request's method and the other is a constant: the method's name (or null)
        /// where the predicate runs. Unknown for anything else (the read then stays unconsumed, and the predicate unread).
        /// </summary>
        private Outcomes Compare(IOperation left, IOperation right, string verb, bool withResponse, bool invoked)
        {
            if (Constant(left) is { } a && Constant(right) is { } b)
            {
                return a.Name == b.Name && a.IsName == b.IsName ? Outcomes.True : Outcomes.False;
            }

            var read = Read(left);
            var other = right;
            var readIsInstance = invoked;
            if (read is null)
            {
                read = Read(right);
                other = left;
                readIsInstance = false;
            }

            if (read is null || Constant(other) is not { } constant || (constant.IsName != read.IsName && constant.Name is not null))
            {
                return Outcomes.Unknown;
            }

            Consumed.Add(read.Operation.Syntax.Span);
            var actual = Value(read, verb, withResponse);
            if (actual.Throws || (readIsInstance && actual.Name is null))
            {
                // read.Equals(x) on a null read throws too.
                return Outcomes.Throws;
            }

            return actual.Name == constant.Name ? Outcomes.True : Outcomes.False;
        }

        /// <summary>A constant a method read is compared with: an <c>HttpMethod</c> constant, a string, or null.</summary>
        private static (string? Name, bool IsName)? Constant(IOperation operation)
        {
            var value = OperationTree.Unwrap(operation);
            if (UnsafeRequests.Verb(value) is { } method)
            {
                return (method, false);
            }

            return value?.ConstantValue switch
            {
                { HasValue: true, Value: string name } => (name, true),
                { HasValue: true, Value: null } => (null, false),
                _ => null,
            };
        }

        private static (string? Name, bool Throws) Value(MethodRead read, string verb, bool withResponse)
            => withResponse || read.WithoutResponse == Outcomes.None ? (verb, false)
                : (null, read.WithoutResponse == Outcomes.Throws);

        /// <summary>
        /// <c>read is "POST"</c>, <c>is not null</c>, <c>is "GET" or "HEAD"</c>, <c>is { Method: "GET" }</c>; None when the
        /// pattern is not one of these.
        /// </summary>
        private static Outcomes Match(MethodRead read, (string? Name, bool Throws) value, IPatternOperation pattern)
        {
            if (value.Throws)
            {
                return Outcomes.Throws;
            }

            return MatchName(value.Name, read.IsName, pattern);
        }

        private static Outcomes MatchName(string? name, bool isName, IPatternOperation pattern)
        {
            switch (pattern)
            {
                case IConstantPatternOperation constant:
                    return constant.Value.ConstantValue switch
                    {
                        { HasValue: true, Value: null } => name is null ? Outcomes.True : Outcomes.False,
                        { HasValue: true, Value: string text } when isName => name == text ? Outcomes.True : Outcomes.False,
                        _ => Outcomes.None,
                    };
                case INegatedPatternOperation negated:
                    var inner = MatchName(name, isName, negated.Pattern);
                    return inner == Outcomes.None ? Outcomes.None : Not(inner);
                case IBinaryPatternOperation binary:
                    var left = MatchName(name, isName, binary.LeftPattern);
                    var right = MatchName(name, isName, binary.RightPattern);
                    if (left == Outcomes.None || right == Outcomes.None)
                    {
                        return Outcomes.None;
                    }

                    return binary.OperatorKind == BinaryOperatorKind.Or ? Or(left, right) : And(left, right);
                case IRecursivePatternOperation { DeclaredSymbol: null, DeconstructionSubpatterns.Length: 0 } recursive when !isName:
                    if (name is null)
                    {
                        return Outcomes.False;
                    }

                    var all = Outcomes.True;
                    foreach (var property in recursive.PropertySubpatterns)
                    {
                        if (property.Member is not IPropertyReferenceOperation { Property.Name: "Method" } member || !UnsafeRequests.IsHttpType(member.Property.ContainingType, "HttpMethod"))
                        {
                            return Outcomes.None;
                        }

                        var sub = MatchName(name, isName: true, property.Pattern);
                        if (sub == Outcomes.None)
                        {
                            return Outcomes.None;
                        }

                        all = And(all, sub);
                    }

                    return all;
                default:
                    return Outcomes.None;
            }
        }

        /// <summary>
        /// <c>args.Outcome.Result?.RequestMessage?.Method</c> (or <c>.Method.Method</c>, or through <c>args.Context.GetRequestMessage()</c>):
        /// the request's method, read from the predicate's parameter through properties only.
        /// </summary>
        private MethodRead? Read(IOperation? operation)
        {
            var read = OperationTree.Unwrap(operation);
            if (read is null)
            {
                return null;
            }

            var isName = UnsafeRequests.IsHttpType(read.Type, "HttpMethod") ? false : read.Type?.SpecialType == SpecialType.System_String ? true : (bool?)null;
            if (isName is null)
            {
                return null;
            }

            // Walk from the read back to the parameter: member names, last first, and whether each one's receiver may be null.
            var steps = new List<(ISymbol Member, bool ConditionalReceiver)>();
            var current = read;
            while (true)
            {
                switch (current)
                {
                    case IConditionalAccessOperation access:
                        current = OperationTree.Unwrap(access.WhenNotNull);
                        continue;
                    case IPropertyReferenceOperation { Property.IsIndexer: false, Instance: { } instance } property:
                        current = Receiver(instance, out var conditional);
                        steps.Add((property.Property, conditional));
                        continue;
                    case IInvocationOperation { TargetMethod: { Name: "GetRequestMessage", IsExtensionMethod: true }, Arguments.Length: 1 } call:
                        current = Receiver(call.Arguments[0].Value, out var conditionalCall);
                        steps.Add((call.TargetMethod, conditionalCall));
                        continue;
                    case IParameterReferenceOperation reference when SymbolEqualityComparer.Default.Equals(reference.Parameter, _parameter):
                        break;
                    default:
                        return null;
                }

                break;
            }

            // The last member read is Method of the request (and Method of that HttpMethod, for the name).
            var first = isName.Value ? 1 : 0;
            if (steps.Count <= first
                || !(steps[first].Member is IPropertySymbol { Name: "Method" } method && UnsafeRequests.IsHttpType(method.ContainingType, "HttpRequestMessage"))
                || (isName.Value && !(steps[0].Member is IPropertySymbol { Name: "Method" } name && UnsafeRequests.IsHttpType(name.ContainingType, "HttpMethod"))))
            {
                return null;
            }

            // With no response, Outcome.Result is null: what reads a member of it under ?. is null, with . it throws.
            var withoutResponse = Outcomes.None;
            for (var index = 0; index < steps.Count; index++)
            {
                if (steps[index].Member is IPropertySymbol { Name: "Result" } result && result.ContainingType?.Name == "Outcome" && index > 0)
                {
                    withoutResponse = steps[index - 1].ConditionalReceiver ? Outcomes.False : Outcomes.Throws;
                }
            }

            return new MethodRead(read, isName.Value, withoutResponse);
        }

        /// <summary>The receiver of a member access: the value a <c>?.</c> tests, for the receiver inside a conditional access.</summary>
        private static IOperation? Receiver(IOperation instance, out bool conditional)
        {
            var unwrapped = OperationTree.Unwrap(instance);
            conditional = unwrapped is IConditionalAccessInstanceOperation;
            if (!conditional)
            {
                return unwrapped;
            }

            IOperation child = unwrapped!;
            for (var parent = child.Parent; parent is not null; child = parent, parent = parent.Parent)
            {
                if (parent is IConditionalAccessOperation access && access.WhenNotNull == child)
                {
                    return OperationTree.Unwrap(access.Operation);
                }
            }

            return null;
        }

        /// <summary>
        /// Every use of the request in the predicate is a method read that was understood, and no helper of the
        /// application's own is given the arguments (it could test the method out of sight).
        /// </summary>
        public bool OnlyMethodComparisons(IOperation body)
        {
            foreach (var operation in body.Descendants())
            {
                if (UnsafeRequests.IsHttpType(operation.Type, "HttpRequestMessage") || (UnsafeRequests.IsHttpType(operation.Type, "HttpMethod") && UnsafeRequests.Verb(operation) is null))
                {
                    if (!IsConsumed(operation.Syntax.Span))
                    {
                        return false;
                    }
                }
                else if (operation is IInvocationOperation call && IsInSource(call.TargetMethod)
                         && OperationTree.Any(call, o => o is IParameterReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Parameter, _parameter)))
                {
                    return false;
                }
            }

            return true;
        }

        private bool IsConsumed(TextSpan span)
        {
            foreach (var consumed in Consumed)
            {
                if (consumed.Contains(span))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsInSource(IMethodSymbol method)
        {
            foreach (var location in method.Locations)
            {
                if (location.IsInSource)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
