using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Retry;

/// <summary>
/// RES007: HTTP requests that are not idempotent (POST, PATCH; RFC 9110 section 9.2.2), as a call shows them:
/// <c>PostAsync</c>, <c>PostAsJsonAsync</c>, <c>PatchAsync</c>, <c>PatchAsJsonAsync</c> on an <c>HttpClient</c>, and
/// <c>Send</c>/<c>SendAsync</c> of a request whose method is visibly POST or PATCH in the same body.
/// </summary>
internal static class UnsafeRequests
{
    /// <summary>"POST" or "PATCH" when <paramref name="call"/> sends such a request; null otherwise or when it cannot be seen.</summary>
    public static string? MethodOf(IInvocationOperation call, KnownTypes types)
        => HttpMethodOf(call, types) is { } verb && verb is "POST" or "PATCH" ? verb : null;

    /// <summary>
    /// The HTTP method <paramref name="call"/> sends on an <c>HttpClient</c> ("GET", "PUT", ...): by the helper's name
    /// (<c>GetStringAsync</c>, <c>PutAsJsonAsync</c>), or the method of the request a <c>Send</c>/<c>SendAsync</c> is given when it
    /// is created in sight. Null when it cannot be seen (RES006: which methods a handler's <c>DisableFor</c> leaves retried).
    /// </summary>
    public static string? HttpMethodOf(IInvocationOperation call, KnownTypes types)
    {
        var method = call.TargetMethod;
        var verb = method.Name switch
        {
            "PostAsync" or "PostAsJsonAsync" => "POST",
            "PatchAsync" or "PatchAsJsonAsync" => "PATCH",
            "PutAsync" or "PutAsJsonAsync" => "PUT",
            "DeleteAsync" or "DeleteFromJsonAsync" => "DELETE",
            "GetAsync" or "GetStringAsync" or "GetByteArrayAsync" or "GetStreamAsync" or "GetFromJsonAsync" or "GetFromJsonAsAsyncEnumerable" => "GET",
            "SendAsync" or "Send" => "",
            _ => null,
        };
        if (verb is null || !IsHttpClient(call, types))
        {
            return null;
        }

        if (verb.Length > 0)
        {
            return verb;
        }

        foreach (var argument in call.Arguments)
        {
            if (argument.Parameter?.Type.Name == "HttpRequestMessage")
            {
                return RequestMethod(OperationTree.Unwrap(argument.Value), call);
            }
        }

        return null;
    }

    private static bool IsHttpClient(IInvocationOperation call, KnownTypes types)
    {
        var receiver = call.TargetMethod.IsExtensionMethod && call.Arguments.Length > 0 ? call.Arguments[0].Value.Type : call.Instance?.Type;
        return TypeFacts.IsOrDerivesFrom(receiver, types.Http.HttpClient)
               || (receiver is { Name: "HttpMessageInvoker" } && receiver.ContainingNamespace?.ToDisplayString() == "System.Net.Http");
    }

    /// <summary>
    /// The method of a request created in sight: <c>new HttpRequestMessage(HttpMethod.Post, …)</c>, <c>{ Method = HttpMethod.Patch }</c>,
    /// directly or through the local that holds it: the last write before the send of the local (a request created again
    /// replaces the first) or of its <c>Method</c>, in the same body.
    /// </summary>
    private static string? RequestMethod(IOperation? request, IInvocationOperation call)
    {
        if (request is not ILocalReferenceOperation { Local: var local })
        {
            return request is IObjectCreationOperation creation ? CreatedMethod(creation) : null;
        }

        string? verb = null;
        var send = call.Syntax.SpanStart;
        foreach (var operation in OperationTree.Root(call).Descendants())
        {
            if (operation.Syntax.SpanStart >= send)
            {
                continue;
            }

            switch (operation)
            {
                case IVariableDeclaratorOperation { Initializer.Value: var value } declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local):
                    verb = OperationTree.Unwrap(value) is IObjectCreationOperation created ? CreatedMethod(created) : null;
                    break;
                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation written } replaced when SymbolEqualityComparer.Default.Equals(written.Local, local):
                    verb = OperationTree.Unwrap(replaced.Value) is IObjectCreationOperation recreated ? CreatedMethod(recreated) : null;
                    break;
                case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "Method", Instance: ILocalReferenceOperation target } } assignment
                    when SymbolEqualityComparer.Default.Equals(target.Local, local):
                    verb = Verb(assignment.Value);
                    break;
            }
        }

        return verb;
    }

    private static string? CreatedMethod(IObjectCreationOperation creation)
    {
        string? verb = null;
        foreach (var argument in creation.Arguments)
        {
            if (argument.Parameter?.Name == "method")
            {
                verb = Verb(argument.Value);
            }
        }

        foreach (var member in creation.Initializer?.Initializers ?? System.Collections.Immutable.ImmutableArray<IOperation>.Empty)
        {
            if (member is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "Method" } } assignment)
            {
                verb = Verb(assignment.Value);
            }
        }

        return verb;
    }

    /// <summary>The name of an <c>HttpMethod</c> constant: <c>HttpMethod.Post</c>, <c>new HttpMethod("POST")</c>; null otherwise.</summary>
    internal static string? Verb(IOperation? value)
    {
        switch (OperationTree.Unwrap(value))
        {
            case IPropertyReferenceOperation { Property: { IsStatic: true } property, Instance: null } when IsHttpType(property.ContainingType, "HttpMethod") && IsHttpType(property.Type, "HttpMethod"):
                return property.Name.ToUpperInvariant();
            case IObjectCreationOperation { Arguments.Length: 1 } created
                when IsHttpType(created.Type, "HttpMethod") && created.Arguments[0].Value.ConstantValue is { HasValue: true, Value: string name }:
                return name.ToUpperInvariant();
            default:
                return null;
        }
    }

    /// <summary>A type of System.Net.Http named <paramref name="name"/>.</summary>
    internal static bool IsHttpType(ITypeSymbol? type, string name)
        => type is not null && type.Name == name
           && type.ContainingNamespace is { Name: "Http", ContainingNamespace: { Name: "Net", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } };

    /// <summary>
    /// An <c>Idempotency-Key</c> header named in the body that sends (lambdas included): the server can drop the copy a retry
    /// sends.
    /// </summary>
    public static bool CarriesIdempotencyKey(IInvocationOperation call)
    {
        foreach (var token in OperationTree.Root(call).Syntax.DescendantTokens())
        {
            if (token.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.StringLiteralToken)
                && token.ValueText.Equals("Idempotency-Key", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
