using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Retry;

/// <summary>Tells the application's own code (whose behaviour a rule cannot judge) from the framework's.</summary>
internal static class AppHelpers
{
    /// <summary>
    /// A referenced type under the <c>System</c> or <c>Microsoft</c> root namespaces. A type the compilation declares is
    /// its own code whatever its namespace: Microsoft's own libraries (Event Hubs, Service Bus) write theirs under
    /// <c>Microsoft.*</c>, and their retry policies decide like any application's.
    /// </summary>
    public static bool IsFramework(INamedTypeSymbol? type)
    {
        if (type is null || !type.DeclaringSyntaxReferences.IsEmpty)
        {
            return false;
        }

        var ns = type.ContainingNamespace;
        while (ns?.ContainingNamespace is { IsGlobalNamespace: false } parent)
        {
            ns = parent;
        }

        return ns?.Name is "System" or "Microsoft";
    }

    /// <summary>
    /// A call (awaited or not, through <c>ConfigureAwait</c> or not) into a method that is not the framework's,
    /// or one the compiler could not resolve.
    /// </summary>
    public static bool IsHelperCall(IOperation? operation)
    {
        operation = OperationTree.Unwrap(operation);
        if (operation is IAwaitOperation await)
        {
            operation = OperationTree.Unwrap(await.Operation);
        }

        if (operation is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } inner })
        {
            operation = OperationTree.Unwrap(inner);
        }

        return operation switch
        {
            IInvalidOperation => true,
            IInvocationOperation invocation => !IsFramework(invocation.TargetMethod.ContainingType)
                && invocation.TargetMethod.MethodKind != MethodKind.DelegateInvoke,
            _ => false,
        };
    }
}
