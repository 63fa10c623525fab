using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Timeouts;

/// <summary>How the RES011 fix gives a call its deadline.</summary>
public enum DeadlineFixKind
{
    /// <summary>Append <c>deadline: …</c> to the call's arguments.</summary>
    AddArgument,

    /// <summary>Replace the <c>deadline</c> argument's value (<c>null</c>, <c>default</c>, <c>DateTime.MaxValue</c>).</summary>
    ReplaceArgument,

    /// <summary>Give the <c>new CallOptions(…)</c> a deadline argument.</summary>
    CallOptionsCreation,

    /// <summary>Replace <c>default</c> CallOptions with <c>new CallOptions(deadline: …)</c>.</summary>
    CallOptionsDefault,

    /// <summary>Append <c>.WithDeadline(…)</c> to the CallOptions passed.</summary>
    WithDeadline,
}

/// <summary>A gRPC client call that no deadline reaches, and where the fix puts one.</summary>
public sealed class GrpcCallWithoutDeadline
{
    public GrpcCallWithoutDeadline(IInvocationOperation call, DeadlineFixKind fix, IOperation? value)
    {
        Call = call;
        Fix = fix;
        Value = value;
    }

    public IInvocationOperation Call { get; }

    public DeadlineFixKind Fix { get; }

    /// <summary>The expression the fix rewrites; null for <see cref="DeadlineFixKind.AddArgument"/>.</summary>
    public IOperation? Value { get; }
}

/// <summary>
/// RES011: calls to methods of generated gRPC clients (types deriving from <c>Grpc.Core.ClientBase</c>) that take a
/// deadline or <c>CallOptions</c>, with no deadline given. A deadline or CallOptions that cannot be seen (a
/// parameter, a field, a helper) is taken as given.
/// </summary>
internal static class GrpcDeadlineRecognizer
{
    private enum Deadline
    {
        None,
        Given,
        Unknown,
    }

    private const int MaxDepth = 6;

    public static GrpcCallWithoutDeadline? Recognize(IInvocationOperation call, KnownTypes types)
    {
        var method = call.TargetMethod;
        if (method.IsStatic || method.MethodKind != MethodKind.Ordinary || method.ContainingType is not { } client
            || !types.Grpc.IsClient(client.BaseType)
            || client.ContainingNamespace?.ToDisplayString() == "Grpc.Core")
        {
            return null;
        }

        // A subscription or watch is meant to stay open: a deadline would end the stream by design.
        if (method.ReturnType.Name is "AsyncServerStreamingCall" or "AsyncDuplexStreamingCall")
        {
            return null;
        }

        // A token handed in by the caller may carry the caller's deadline: certain or silent.
        foreach (var argument in call.Arguments)
        {
            if (argument.Parameter?.Name == "cancellationToken" && TokenArguments.CanEnd(argument))
            {
                return null;
            }
        }

        foreach (var argument in call.Arguments)
        {
            if (argument.Parameter is not { } parameter)
            {
                continue;
            }

            var parameterType = TypeFacts.UnwrapNullable(parameter.Type);
            if (parameter.Name == "deadline" && SymbolEqualityComparer.Default.Equals(parameterType, types.DateTime))
            {
                if (argument.ArgumentKind == ArgumentKind.DefaultValue)
                {
                    return new GrpcCallWithoutDeadline(call, DeadlineFixKind.AddArgument, value: null);
                }

                return IsNoDeadline(argument.Value, types) ? new GrpcCallWithoutDeadline(call, DeadlineFixKind.ReplaceArgument, argument.Value) : null;
            }

            if (SymbolEqualityComparer.Default.Equals(parameterType, types.Grpc.CallOptions))
            {
                if (argument.ArgumentKind == ArgumentKind.DefaultValue)
                {
                    return null;
                }

                return Options(argument.Value, types, out var fix, out var value, depth: 0) == Deadline.None
                    ? new GrpcCallWithoutDeadline(call, fix, value)
                    : null;
            }
        }

        return null;
    }

    /// <summary>What deadline CallOptions carry, and how the fix would give them one.</summary>
    private static Deadline Options(IOperation options, KnownTypes types, out DeadlineFixKind fix, out IOperation value, int depth)
    {
        fix = DeadlineFixKind.WithDeadline;
        value = options;
        var unwrapped = OperationTree.Unwrap(options);
        if (unwrapped is null || depth > MaxDepth)
        {
            return Deadline.Unknown;
        }

        switch (unwrapped)
        {
            case IDefaultValueOperation:
                fix = DeadlineFixKind.CallOptionsDefault;
                return Deadline.None;
            case IObjectCreationOperation creation when SymbolEqualityComparer.Default.Equals(creation.Type, types.Grpc.CallOptions):
                fix = DeadlineFixKind.CallOptionsCreation;
                value = creation;
                return Creation(creation, types);
            case IInvocationOperation { Instance: { } instance } invocation
                when SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, types.Grpc.CallOptions):
                switch (invocation.TargetMethod.Name)
                {
                    case "WithDeadline":
                        return invocation.Arguments.Length == 1 && IsNoDeadline(invocation.Arguments[0].Value, types) ? Deadline.None : Deadline.Given;
                    case "WithPropagationToken":
                        // The parent call's deadline travels with the token.
                        return Deadline.Given;
                    case "WithCancellationToken" when invocation.Arguments.Length == 1 && TokenArguments.CanEnd(invocation.Arguments[0]):
                        // A caller's token may carry the caller's deadline: certain or silent.
                        return Deadline.Unknown;
                    default:
                        // WithHeaders, WithCancellationToken...: the deadline is the instance's.
                        var inner = Options(instance, types, out _, out _, depth + 1);
                        return inner;
                }

            case ILocalReferenceOperation local:
                // Every value the local is given lacks a deadline: then so does the call.
                if (LocalWrites.Values(local.Local, local) is not { } writes)
                {
                    return Deadline.Unknown;
                }

                foreach (var write in writes)
                {
                    if (Options(write, types, out _, out _, depth + 1) != Deadline.None)
                    {
                        return Deadline.Unknown;
                    }
                }

                return Deadline.None;
            default:
                return Deadline.Unknown;
        }
    }

    private static Deadline Creation(IObjectCreationOperation creation, KnownTypes types)
    {
        foreach (var argument in creation.Arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.DefaultValue || argument.Parameter is null)
            {
                continue;
            }

            if (argument.Parameter.Name == "deadline" && !IsNoDeadline(argument.Value, types))
            {
                return Deadline.Given;
            }

            if (argument.Parameter.Name == "propagationToken" && !IsNull(argument.Value))
            {
                return Deadline.Given;
            }

            if (argument.Parameter.Name == "cancellationToken" && TokenArguments.CanEnd(argument))
            {
                return Deadline.Unknown;
            }
        }

        return Deadline.None;
    }

    /// <summary><c>null</c>, <c>default</c> or <c>DateTime.MaxValue</c>, which gRPC reads as "no deadline".</summary>
    private static bool IsNoDeadline(IOperation value, KnownTypes types)
    {
        if (IsNull(value))
        {
            return true;
        }

        var unwrapped = OperationTree.Unwrap(value);
        return unwrapped is IFieldReferenceOperation { Field.Name: "MaxValue" } field
               && SymbolEqualityComparer.Default.Equals(field.Field.ContainingType, types.DateTime);
    }

    private static bool IsNull(IOperation value)
    {
        var unwrapped = OperationTree.Unwrap(value);
        return unwrapped is IDefaultValueOperation || (unwrapped?.ConstantValue is { HasValue: true, Value: null });
    }
}
