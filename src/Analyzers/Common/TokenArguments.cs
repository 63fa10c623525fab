using Microsoft.CodeAnalysis.Operations;

namespace ResilienceAnalyzers.Common;

/// <summary>What a cancellation token argument can do for the wait it is passed to.</summary>
internal static class TokenArguments
{
    /// <summary>
    /// A token argument that is written and is not <c>CancellationToken.None</c>, <c>default</c> or <c>null</c>: its owner may
    /// cancel it, or built it with a deadline (<c>CancellationTokenSource(TimeSpan)</c>, <c>CancelAfter</c>), so the wait
    /// it is given may end (certain or silent).
    /// </summary>
    public static bool CanEnd(IArgumentOperation argument)
    {
        if (argument.ArgumentKind == ArgumentKind.DefaultValue)
        {
            return false;
        }

        var value = OperationTree.Unwrap(argument.Value);
        return value is not (IDefaultValueOperation or { ConstantValue: { HasValue: true, Value: null } } or IPropertyReferenceOperation { Property.Name: "None", Property.IsStatic: true });
    }
}
