using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Retry;

/// <summary>
/// RES006: what a hand-written retry lets out once its last attempt fails, and what a retry's own work throws in sight.
/// Two retry layers multiply only when the outer one goes round on what the inner one gives up with
/// (<see cref="RetryLayer.GoesRoundOnWhatItLetsOut"/>). A retry loop whose failure catches swallow what they catch, and whose
/// method throws nothing in sight outside the attempt, gives up quietly: it returns (a null, a false, nothing) and lets no
/// exception out, so an outer retry that goes round only on a specific exception (<c>catch (IOException)</c>) never repeats
/// its attempts, unless the outer retry's own work turns that quiet failure into such an exception in sight
/// (<c>if (client == null) throw new IOException(…)</c>).
/// </summary>
/// <remarks>
/// What is read, in the method that holds the loop (lambdas and local functions included): a failure catch with a filter
/// lets its type out when the filter stops holding (<c>when (attempt &lt; 3)</c>); a rethrow lets out its catch's type,
/// <c>throw e</c> the static type of <c>e</c>, <c>throw new T(…)</c> a <c>T</c>; a static <c>Throw…</c> helper of an exception
/// type (<c>ArgumentNullException.ThrowIfNull</c>) that type. A throw inside the attempt (the try's block) is left out: the
/// loop's catches take it, or it leaves at the first attempt, which the loop did not retry. Any other helper that exists to
/// throw (<c>ThrowHelper.…</c>, a <c>Throw…</c> method, <c>[DoesNotReturn]</c>, <c>ExceptionDispatchInfo.Throw</c>,
/// <c>EnsureSuccessStatusCode</c>) makes what is let out unknown, and then any outer retry may multiply.
/// <c>ThrowIfCancellationRequested</c> is not a failure: cancelled, both layers stop.
/// </remarks>
internal static class GiveUpFailures
{
    /// <summary>
    /// The exception types <paramref name="loop"/>'s method may let out once the loop gives up; empty when it gives up
    /// quietly; default when that cannot be told.
    /// </summary>
    public static ImmutableArray<ITypeSymbol> Of(ILoopOperation loop, ITryOperation? attempt, ImmutableArray<int> failureCatches)
    {
        var builder = ImmutableArray.CreateBuilder<ITypeSymbol>();
        if (attempt is not null)
        {
            foreach (var index in failureCatches)
            {
                if (index < 0 || index >= attempt.Catches.Length)
                {
                    return default;
                }

                var clause = attempt.Catches[index];
                if (clause.Filter is not null)
                {
                    builder.Add(clause.ExceptionType);
                }
            }
        }

        return AddThrown(OperationTree.Root(loop), attempt?.Body, builder) ? builder.ToImmutable() : default;
    }

    /// <summary>The exception types thrown in sight in <paramref name="region"/>; default when a throw helper's type cannot be told.</summary>
    public static ImmutableArray<ITypeSymbol> ThrownIn(IOperation region)
    {
        var builder = ImmutableArray.CreateBuilder<ITypeSymbol>();
        return AddThrown(region, skip: null, builder) ? builder.ToImmutable() : default;
    }

    /// <summary>
    /// A catch of <paramref name="caught"/> catches a failure that follows from a quiet give-up without a throw in sight (a
    /// <c>NullReferenceException</c> on the null returned, an <c>ArgumentNullException</c> from the call it is handed to): a bare
    /// <c>catch</c>, <c>Exception</c>, <c>SystemException</c>.
    /// </summary>
    public static bool CatchesAnyFollowOn(ITypeSymbol? caught)
        => caught is not INamedTypeSymbol { TypeKind: TypeKind.Class } named
           || named is { Name: "Exception" or "SystemException", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } };

    /// <summary>A catch of <paramref name="caught"/> catches <paramref name="thrown"/> or one of its subtypes.</summary>
    public static bool Catches(ITypeSymbol? caught, ITypeSymbol? thrown)
        => caught is not INamedTypeSymbol { TypeKind: TypeKind.Class } named
           || thrown is not INamedTypeSymbol { TypeKind: TypeKind.Class } thrownType
           || TypeFacts.IsOrDerivesFrom(thrownType, named) || TypeFacts.IsOrDerivesFrom(named, thrownType);

    private static bool AddThrown(IOperation root, IOperation? skip, ImmutableArray<ITypeSymbol>.Builder builder)
    {
        var stack = new Stack<IOperation>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var operation = stack.Pop();
            if (operation == skip)
            {
                continue;
            }

            switch (operation)
            {
                case IThrowOperation { Exception: null } rethrow:
                    if (OperationTree.Ancestor<ICatchClauseOperation>(rethrow) is not { ExceptionType: { } rethrown })
                    {
                        return false;
                    }

                    builder.Add(rethrown);
                    break;
                case IThrowOperation { Exception: { } exception }:
                    if ((OperationTree.Unwrap(exception) ?? exception).Type is not { } thrown)
                    {
                        return false;
                    }

                    builder.Add(thrown);
                    break;
                case IInvocationOperation call:
                    switch (ThrowHelper(call.TargetMethod))
                    {
                        case HelperKind.Unknown:
                            return false;
                        case HelperKind.OfItsType:
                            builder.Add(call.TargetMethod.ContainingType);
                            break;
                    }

                    break;
            }

            foreach (var child in operation.ChildOperations)
            {
                stack.Push(child);
            }
        }

        return true;
    }

    private enum HelperKind
    {
        None,
        OfItsType,
        Unknown,
    }

    /// <summary>Whether a call exists to throw, and what: the type it is declared on (<c>ArgumentNullException.ThrowIfNull</c>) or unknown.</summary>
    private static HelperKind ThrowHelper(IMethodSymbol method)
    {
        var name = method.Name;
        if (name == "ThrowIfCancellationRequested")
        {
            return HelperKind.None;
        }

        if (name.StartsWith("Throw", System.StringComparison.Ordinal))
        {
            return method.IsStatic && IsExceptionType(method.ContainingType) ? HelperKind.OfItsType : HelperKind.Unknown;
        }

        if (name.StartsWith("EnsureSuccess", System.StringComparison.Ordinal)
            || method.ContainingType?.Name is "Throw" or "ThrowHelper" or "ThrowHelpers")
        {
            return HelperKind.Unknown;
        }

        // The cheap tests first: most calls are to methods without attributes that matter here.
        foreach (var attribute in method.GetAttributes())
        {
            if (attribute.AttributeClass?.Name == "DoesNotReturnAttribute")
            {
                return HelperKind.Unknown;
            }
        }

        return HelperKind.None;
    }

    private static bool IsExceptionType(INamedTypeSymbol? type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current is { Name: "Exception", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } })
            {
                return true;
            }
        }

        return false;
    }
}
