using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Retry;

/// <summary>
/// Judges a delegate that computes the wait before an attempt (a Polly v7 sleep-duration provider, a Polly v8
/// <c>DelayGenerator</c>) by the values it returns, the attempt coming from one of its parameters.
/// Anything but a lambda written in place (a method group, a field, a variable) cannot be seen: unknown.
/// </summary>
public static class DelayLambdaRecognizer
{
    /// <param name="value">The value assigned or passed as the delegate.</param>
    /// <param name="attemptParameter">Picks the lambda parameter that carries the attempt.</param>
    public static DelayModel Recognize(IOperation? value, KnownTypes types, System.Func<IAnonymousFunctionOperation, IParameterSymbol?> attemptParameter)
    {
        if (Lambda(value) is not { } lambda || lambda.Body is not { } body)
        {
            return DelayModel.Unknown;
        }

        var returned = new List<IOperation>();
        foreach (var operation in OperationTree.Descendants(body))
        {
            if (operation is IReturnOperation { Kind: OperationKind.Return, ReturnedValue: { } result })
            {
                CollectResults(result, returned);
            }
        }

        if (returned.Count == 0)
        {
            return DelayModel.Unknown;
        }

        // The body runs afresh for each attempt: a local it declares does not carry over, so nothing in it
        // is per-attempt except the attempt parameter (an empty repeated region says so).
        var scope = new RetryScope(types, body, new TextSpan(body.Syntax.SpanStart, 0), System.Array.Empty<ISymbol>(), attemptParameter(lambda));
        var verdict = DelayValue.Constant;
        foreach (var result in returned)
        {
            if (IsNull(result))
            {
                // Polly v8 falls back to the strategy's own delay when the generator returns null.
                return DelayModel.Unknown;
            }

            verdict = verdict.Combine(DelayValueClassifier.Classify(result, scope));
        }

        return verdict.ToModel(lambda.Syntax.GetLocation());
    }

    /// <summary>
    /// How far the delays of a lambda with one <c>return</c> grow (RES004), run for each retry: the attempt is the
    /// parameter <paramref name="attemptParameter"/> picks, or its <c>AttemptNumber</c> (a v8 generator's arguments).
    /// <paramref name="first"/> is the first retry's number; <paramref name="retries"/> how many there are, null for no limit.
    /// </summary>
    public static DelayGrowth? Growth(IOperation? value, KnownTypes types, System.Func<IAnonymousFunctionOperation, IParameterSymbol?> attemptParameter, int first, int? retries)
    {
        if (Lambda(value) is not { } lambda || lambda.Body is not { } body || attemptParameter(lambda) is not { } attempt)
        {
            return null;
        }

        IOperation? returned = null;
        foreach (var operation in OperationTree.Descendants(body))
        {
            if (operation is IReturnOperation { Kind: OperationKind.Return } @return)
            {
                if (returned is not null || @return.ReturnedValue is null)
                {
                    return null;
                }

                returned = UnwrapTaskLike(@return.ReturnedValue);
            }
        }

        if (returned is null)
        {
            return null;
        }

        bool IsAttempt(IOperation operation, int number)
            => operation switch
            {
                IParameterReferenceOperation reference => SymbolEqualityComparer.Default.Equals(reference.Parameter, attempt),
                IPropertyReferenceOperation { Property.Name: "AttemptNumber", Instance: IParameterReferenceOperation owner }
                    => SymbolEqualityComparer.Default.Equals(owner.Parameter, attempt),
                _ => false,
            };

        var scope = new RetryScope(types, body, new TextSpan(body.Syntax.SpanStart, 0), System.Array.Empty<ISymbol>(), attempt);
        return DelayGrowthRecognizer.ForAttemptFunction(returned, IsAttempt, scope, first, retries);
    }

    private static IOperation UnwrapTaskLike(IOperation value)
    {
        var unwrapped = OperationTree.Unwrap(value) ?? value;
        return unwrapped switch
        {
            IObjectCreationOperation { Arguments.Length: 1 } creation when IsTaskLike(creation.Type) => UnwrapTaskLike(creation.Arguments[0].Value),
            IInvocationOperation { TargetMethod.Name: "FromResult", Arguments.Length: 1 } invocation when IsTaskLike(invocation.TargetMethod.ContainingType)
                => UnwrapTaskLike(invocation.Arguments[0].Value),
            _ => unwrapped,
        };
    }

    /// <summary>The first parameter of type <c>int</c>: the attempt number of a v7 sleep-duration provider.</summary>
    public static IParameterSymbol? FirstIntParameter(IAnonymousFunctionOperation lambda)
    {
        foreach (var parameter in lambda.Symbol.Parameters)
        {
            if (parameter.Type.SpecialType == SpecialType.System_Int32)
            {
                return parameter;
            }
        }

        return null;
    }

    /// <summary>The first parameter: <c>args</c> of a v8 delay generator, read through <c>args.AttemptNumber</c>.</summary>
    public static IParameterSymbol? FirstParameter(IAnonymousFunctionOperation lambda)
        => lambda.Symbol.Parameters.Length > 0 ? lambda.Symbol.Parameters[0] : null;

    private static IAnonymousFunctionOperation? Lambda(IOperation? value)
    {
        value = OperationTree.Unwrap(value);
        return value switch
        {
            IDelegateCreationOperation creation => OperationTree.Unwrap(creation.Target) as IAnonymousFunctionOperation,
            IAnonymousFunctionOperation lambda => lambda,
            _ => null,
        };
    }

    /// <summary>
    /// The delays a returned value stands for, through the wrappers delay generators need:
    /// <c>new ValueTask&lt;TimeSpan?&gt;(x)</c>, <c>ValueTask.FromResult(x)</c>, <c>(TimeSpan?)x</c>, and both arms of a conditional.
    /// </summary>
    private static void CollectResults(IOperation value, List<IOperation> results)
    {
        var unwrapped = OperationTree.Unwrap(value);
        switch (unwrapped)
        {
            case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
                CollectResults(conditional.WhenTrue, results);
                CollectResults(whenFalse, results);
                return;
            case IObjectCreationOperation { Arguments.Length: 1 } creation when IsTaskLike(creation.Type):
                CollectResults(creation.Arguments[0].Value, results);
                return;
            case IInvocationOperation { TargetMethod.Name: "FromResult", Arguments.Length: 1 } invocation when IsTaskLike(invocation.TargetMethod.ContainingType):
                CollectResults(invocation.Arguments[0].Value, results);
                return;
            default:
                results.Add(unwrapped ?? value);
                return;
        }
    }

    private static bool IsTaskLike(ITypeSymbol? type)
        => type is { Name: "ValueTask" or "Task", ContainingNamespace: { Name: "Tasks", ContainingNamespace: { Name: "Threading", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } } };

    private static bool IsNull(IOperation value)
        => value.ConstantValue is { HasValue: true, Value: null }
           || (value is IDefaultValueOperation && value.Type is null or { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } or { IsReferenceType: true });
}
