using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;
using ResilienceAnalyzers.Libraries.Http;

namespace ResilienceAnalyzers.Endpoints;

/// <summary>What a handler does with its pooled connections.</summary>
internal enum ConnectionLifetime
{
    /// <summary>A finite <c>PooledConnectionLifetime</c>: connections are replaced, and DNS is asked again.</summary>
    Finite,

    /// <summary>Cannot be seen (a parameter, a factory method, configuration): stay silent.</summary>
    Unknown,

    /// <summary><c>HttpClientHandler</c>, or <c>SocketsHttpHandler</c> without the lifetime or with an infinite one.</summary>
    Infinite,
}

/// <summary>The verdict on a handler, with the rewrite that would give it a finite lifetime.</summary>
internal readonly struct HandlerModel
{
    public HandlerModel(ConnectionLifetime lifetime, string? rewrite = null, SyntaxNode? handler = null)
    {
        Lifetime = lifetime;
        Rewrite = rewrite;
        Handler = handler;
    }

    public ConnectionLifetime Lifetime { get; }

    /// <summary><c>ReplaceHandler</c> or <c>AddLifetime</c>; null when no mechanical rewrite is safe.</summary>
    public string? Rewrite { get; }

    /// <summary>The handler creation the rewrite edits.</summary>
    public SyntaxNode? Handler { get; }

    public static HandlerModel Unknown => new(ConnectionLifetime.Unknown);
}

/// <summary>A DNS-blind long-lived client or handler that RES021 reports.</summary>
public sealed class HttpClientFinding
{
    public HttpClientFinding(SyntaxNode node, string subject, string remedy, string? rewrite, SyntaxNode? handler)
    {
        Node = node;
        Subject = subject;
        Remedy = remedy;
        Rewrite = rewrite;
        Handler = handler;
    }

    public SyntaxNode Node { get; }

    public string Subject { get; }

    public string Remedy { get; }

    public string? Rewrite { get; }

    public SyntaxNode? Handler { get; }
}

/// <summary>
/// Recognises HttpClients and handlers that live as long as the process (static members, members of a singleton)
/// without a finite <c>SocketsHttpHandler.PooledConnectionLifetime</c>, and an infinite IHttpClientFactory handler lifetime.
/// </summary>
internal sealed class HttpClientLifetimeRecognizer
{
    internal const string NewHandler = "NewHandler";
    internal const string ReplaceHandler = "ReplaceHandler";
    internal const string AddLifetime = "AddLifetime";
    internal const string FiniteHandlerLifetime = "FiniteHandlerLifetime";

    private const string SocketsRemedy = "give it a SocketsHttpHandler with a finite PooledConnectionLifetime";
    private const string FactoryRemedy = "let IHttpClientFactory rotate its handlers (every 2 minutes by default)";

    private readonly HttpTypes _types;

    public HttpClientLifetimeRecognizer(HttpTypes types)
    {
        _types = types;
    }

    /// <summary><c>new HttpClient(...)</c> in a static member or a singleton, or on a shared process-lived handler.</summary>
    public HttpClientFinding? RecognizeClient(IObjectCreationOperation creation)
    {
        if (!SymbolEqualityComparer.Default.Equals(creation.Type, _types.HttpClient))
        {
            return null;
        }

        IOperation? handler = null;
        foreach (var argument in creation.Arguments)
        {
            if (argument.Parameter is { Name: "handler" })
            {
                handler = OperationTree.Unwrap(argument.Value);
            }
        }

        // A handler kept in a static member, or in a singleton, outlives every client made on it.
        if (handler is IFieldReferenceOperation or IPropertyReferenceOperation
            && OperationTree.ReferencedSymbol(handler) is { } shared && IsProcessLived(shared))
        {
            var model = JudgeSharedHandler(shared, creation);
            return model.Lifetime == ConnectionLifetime.Infinite
                ? new HttpClientFinding(creation.Syntax, "The shared handler of this HttpClient", SocketsRemedy, model.Rewrite, model.Handler)
                : null;
        }

        var subject = LifetimeOf(creation);
        if (subject is null || HasALoopbackBaseAddress(creation))
        {
            return null;
        }

        if (handler is null)
        {
            return new HttpClientFinding(creation.Syntax, subject, SocketsRemedy, _types.SocketsHttpHandler is null ? null : NewHandler, null);
        }

        var judged = Judge(handler, followLocal: true);
        return judged.Lifetime == ConnectionLifetime.Infinite
            ? new HttpClientFinding(creation.Syntax, subject, SocketsRemedy, judged.Rewrite, judged.Handler)
            : null;
    }

    /// <summary><c>builder.SetHandlerLifetime(Timeout.InfiniteTimeSpan)</c>, unless the same builder's primary handler has a finite lifetime.</summary>
    public HttpClientFinding? RecognizeInvocation(IInvocationOperation invocation)
    {
        if (invocation.TargetMethod.Name != "SetHandlerLifetime"
            || !SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, _types.HttpClientBuilderExtensions))
        {
            return null;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { Name: "handlerLifetime" } && IsInfinite(argument.Value))
            {
                return PrimaryHandlerOf(invocation).Lifetime == ConnectionLifetime.Infinite
                    ? new HttpClientFinding(argument.Value.Syntax, "Every handler of this IHttpClientFactory client", FactoryRemedy, FiniteHandlerLifetime, null)
                    : null;
            }
        }

        return null;
    }

    /// <summary><c>options.HandlerLifetime = Timeout.InfiniteTimeSpan</c> on <c>HttpClientFactoryOptions</c>.</summary>
    public HttpClientFinding? RecognizeAssignment(ISimpleAssignmentOperation assignment)
    {
        if (assignment.Target is IPropertyReferenceOperation { Property.Name: "HandlerLifetime" } target
            && SymbolEqualityComparer.Default.Equals(target.Property.ContainingType, _types.HttpClientFactoryOptions)
            && IsInfinite(assignment.Value))
        {
            return new HttpClientFinding(assignment.Value.Syntax, "Every handler of this IHttpClientFactory client", FactoryRemedy, FiniteHandlerLifetime, null);
        }

        return null;
    }

    /// <summary>How the message names a client that lives for the process; null for one that does not.</summary>
    private static string? LifetimeOf(IOperation creation)
    {
        var top = creation;
        while (top.Parent is IConversionOperation or IParenthesizedOperation || top.Parent is ICoalesceOperation coalesce && coalesce.WhenNull == top)
        {
            top = top.Parent;
        }

        ISymbol? member = top.Parent switch
        {
            IFieldInitializerOperation { InitializedFields.Length: 1 } fields => fields.InitializedFields[0],
            IPropertyInitializerOperation { InitializedProperties.Length: 1 } properties => properties.InitializedProperties[0],
            IAssignmentOperation assignment when assignment.Value == top && IsOwnMember(assignment.Target) => OperationTree.ReferencedSymbol(assignment.Target),
            IArgumentOperation { Parent: IInvocationOperation registration } when IsSingletonRegistration(registration) => registration.TargetMethod,
            IReturnOperation { Parent: IBlockOperation { Parent: IAnonymousFunctionOperation { Parent: IDelegateCreationOperation { Parent: IArgumentOperation argument } } } }
                => argument.Parent switch
                {
                    // new Lazy<HttpClient>(() => new HttpClient()) held by a static member.
                    IObjectCreationOperation lazy when lazy.Type is INamedTypeSymbol { Name: "Lazy", ContainingNamespace.Name: "System" }
                        => LifetimeOf(lazy) is null ? null : lazy.Type,

                    // services.AddSingleton(_ => new HttpClient()).
                    IInvocationOperation registration when IsSingletonRegistration(registration) => registration.TargetMethod,
                    _ => null,
                },
            _ => null,
        };

        return member switch
        {
            INamedTypeSymbol => "This HttpClient, created once for a process-wide Lazy,",
            IMethodSymbol => "This HttpClient, registered as a singleton,",
            { IsStatic: true } => "This static HttpClient",
            IFieldSymbol or IPropertySymbol when IsSingleton(member.ContainingType) => "This HttpClient of a singleton",
            _ => null,
        };
    }

    /// <summary><c>services.AddSingleton(...)</c> / <c>TryAddSingleton(...)</c> of Microsoft.Extensions.DependencyInjection.</summary>
    private static bool IsSingletonRegistration(IInvocationOperation invocation)
        => invocation.TargetMethod.Name is "AddSingleton" or "TryAddSingleton"
           && invocation.TargetMethod.ContainingNamespace?.ToDisplayString() is "Microsoft.Extensions.DependencyInjection" or "Microsoft.Extensions.DependencyInjection.Extensions";

    /// <summary>A field or property of the object itself (<c>_client = ...</c>, <c>this.Client = ...</c>, a static member); RES021, RES023.</summary>
    internal static bool IsOwnMember(IOperation target)
        => target switch
        {
            IFieldReferenceOperation field => field.Field.IsStatic || field.Instance is IInstanceReferenceOperation,
            IPropertyReferenceOperation property => property.Property.IsStatic || property.Instance is IInstanceReferenceOperation,
            _ => false,
        };

    /// <summary>A static member, or a member of a singleton: a type that exposes a static instance of itself (RES021, RES023).</summary>
    internal static bool IsProcessLived(ISymbol member)
        => member is IFieldSymbol or IPropertySymbol && (member.IsStatic || IsSingleton(member.ContainingType));

    /// <summary>
    /// A type with one instance for the process: it exposes a static instance of itself (or a static
    /// <c>Lazy</c> of itself), or it is a hosted service (<c>IHostedService</c>, <c>BackgroundService</c>), which the
    /// host creates once and keeps until shutdown.
    /// </summary>
    internal static bool IsSingleton(INamedTypeSymbol? type)
    {
        if (type is not { TypeKind: TypeKind.Class })
        {
            return false;
        }

        foreach (var implemented in type.AllInterfaces)
        {
            if (implemented is { Name: "IHostedService", ContainingNamespace: { Name: "Hosting", ContainingNamespace.Name: "Extensions" } })
            {
                return true;
            }
        }

        foreach (var member in type.GetMembers())
        {
            var memberType = member switch
            {
                IFieldSymbol { IsStatic: true } field => field.Type,
                IPropertySymbol { IsStatic: true } property => property.Type,
                _ => null,
            };
            if (memberType is INamedTypeSymbol { Name: "Lazy", ContainingNamespace.Name: "System", TypeArguments.Length: 1 } lazy)
            {
                memberType = lazy.TypeArguments[0];
            }

            if (SymbolEqualityComparer.Default.Equals(memberType?.OriginalDefinition, type.OriginalDefinition))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The handler held by a static or singleton member: its initializer (or assignment) in this file, and any lifetime set on it.</summary>
    private HandlerModel JudgeSharedHandler(ISymbol member, IOperation user)
    {
        if (member.DeclaringSyntaxReferences.Length != 1 || user.SemanticModel is not { } model)
        {
            return HandlerModel.Unknown;
        }

        var declaration = member.DeclaringSyntaxReferences[0].GetSyntax();
        if (declaration.SyntaxTree != user.Syntax.SyntaxTree || declaration.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } type)
        {
            return HandlerModel.Unknown;
        }

        ExpressionSyntax? value = declaration switch
        {
            VariableDeclaratorSyntax { Initializer.Value: var initial } => initial,
            PropertyDeclarationSyntax { Initializer.Value: var initial } => initial,
            _ => null,
        };

        foreach (var assignment in type.DescendantNodes())
        {
            if (assignment is not AssignmentExpressionSyntax { Left: var left, Right: var right })
            {
                continue;
            }

            if (NameOf(left) == member.Name)
            {
                if (value is not null)
                {
                    // Set in more than one place: which handler a client gets is not certain.
                    return HandlerModel.Unknown;
                }

                value = right;
            }
            else if (left is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "PooledConnectionLifetime", Expression: var owner } && NameOf(owner) == member.Name)
            {
                return model.GetOperation(right) is { } lifetime && IsInfinite(lifetime) ? new HandlerModel(ConnectionLifetime.Infinite) : new HandlerModel(ConnectionLifetime.Finite);
            }
        }

        return value is not null && model.GetOperation(value) is { } operation ? Judge(operation, followLocal: false) : HandlerModel.Unknown;
    }

    private static string? NameOf(ExpressionSyntax expression)
        => expression switch
        {
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax or IdentifierNameSyntax } access => access.Name.Identifier.ValueText,
            _ => null,
        };

    /// <summary>The connection lifetime a handler expression gives its clients.</summary>
    private HandlerModel Judge(IOperation handler, bool followLocal)
    {
        handler = OperationTree.Unwrap(handler)!;
        switch (handler)
        {
            case IObjectCreationOperation creation when TypeFacts.IsOrDerivesFrom(creation.Type, _types.SocketsHttpHandler):
                var lifetime = AssignedIn(creation.Initializer, "PooledConnectionLifetime");
                if (lifetime is not null && !IsInfinite(lifetime))
                {
                    return new HandlerModel(ConnectionLifetime.Finite);
                }

                return new HandlerModel(ConnectionLifetime.Infinite, AddLifetime, creation.Syntax);

            case IObjectCreationOperation creation when TypeFacts.IsOrDerivesFrom(creation.Type, _types.HttpClientHandler):
                return new HandlerModel(ConnectionLifetime.Infinite, CanReplace(creation) ? ReplaceHandler : null, creation.Syntax);

            case IObjectCreationOperation creation when TypeFacts.IsOrDerivesFrom(creation.Type, _types.DelegatingHandler):
                // new LoggingHandler { InnerHandler = ... } or new LoggingHandler(inner): judge the primary handler.
                if (AssignedIn(creation.Initializer, "InnerHandler") is { } inner)
                {
                    return Judge(inner, followLocal);
                }

                foreach (var argument in creation.Arguments)
                {
                    if (TypeFacts.IsOrDerivesFrom(argument.Parameter?.Type, _types.HttpMessageHandler))
                    {
                        return Judge(argument.Value, followLocal);
                    }
                }

                return HandlerModel.Unknown;

            case ILocalReferenceOperation local when followLocal:
                return JudgeLocal(local);

            default:
                return HandlerModel.Unknown;
        }
    }

    /// <summary><c>var handler = new SocketsHttpHandler(); handler.PooledConnectionLifetime = ...; new HttpClient(handler)</c>.</summary>
    private HandlerModel JudgeLocal(ILocalReferenceOperation use)
    {
        IOperation? initial = null;
        var model = HandlerModel.Unknown;
        var lifetimeSet = false;
        foreach (var operation in OperationTree.Descendants(OperationTree.Root(use)))
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, use.Local):
                    initial = declarator.Initializer?.Value;
                    break;
                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } when SymbolEqualityComparer.Default.Equals(target.Local, use.Local):
                    if (initial is not null)
                    {
                        return HandlerModel.Unknown;
                    }

                    initial = ((ISimpleAssignmentOperation)operation).Value;
                    break;
                case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "PooledConnectionLifetime", Instance: ILocalReferenceOperation owner } } set
                    when SymbolEqualityComparer.Default.Equals(owner.Local, use.Local):
                    if (!IsInfinite(set.Value))
                    {
                        return new HandlerModel(ConnectionLifetime.Finite);
                    }

                    lifetimeSet = true;
                    break;
            }
        }

        if (initial is not null)
        {
            model = Judge(initial, followLocal: false);
        }

        return lifetimeSet && model.Lifetime != ConnectionLifetime.Finite ? new HandlerModel(ConnectionLifetime.Infinite) : model;
    }

    /// <summary>What the builder chain of a <c>SetHandlerLifetime</c> call uses as its primary handler.</summary>
    private HandlerModel PrimaryHandlerOf(IInvocationOperation setLifetime)
    {
        // Down the receivers (services.AddHttpClient("x").ConfigurePrimaryHttpMessageHandler(...)) and up the calls made on the result.
        for (IOperation? current = setLifetime; current is IInvocationOperation call; current = call.Arguments.Length > 0 ? OperationTree.Unwrap(call.Arguments[0].Value) : null)
        {
            if (PrimaryHandlerCall(call) is { } found)
            {
                return found;
            }
        }

        for (IOperation current = setLifetime; current.Parent is IArgumentOperation { Parent: IInvocationOperation call } argument && call.Arguments[0] == argument; current = call)
        {
            if (PrimaryHandlerCall(call) is { } found)
            {
                return found;
            }
        }

        return new HandlerModel(ConnectionLifetime.Infinite);
    }

    private HandlerModel? PrimaryHandlerCall(IInvocationOperation call)
    {
        switch (call.TargetMethod.Name)
        {
            case "ConfigurePrimaryHttpMessageHandler":
                foreach (var argument in call.Arguments)
                {
                    if (OperationTree.Unwrap(argument.Value) is IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda })
                    {
                        foreach (var operation in OperationTree.Descendants(lambda.Body))
                        {
                            if (operation is IReturnOperation { ReturnedValue: { } returned })
                            {
                                var model = Judge(returned, followLocal: true);
                                return model.Lifetime == ConnectionLifetime.Infinite ? new HandlerModel(ConnectionLifetime.Infinite) : model;
                            }
                        }
                    }
                }

                return HandlerModel.Unknown;

            case "UseSocketsHttpHandler":
                // Only a visible lambda that sets other things and not the lifetime leaves it infinite.
                foreach (var argument in call.Arguments)
                {
                    if (OperationTree.Unwrap(argument.Value) is IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda }
                        && !OperationTree.Any(lambda.Body, o => o is IInvocationOperation || o is IPropertyReferenceOperation { Property.Name: "PooledConnectionLifetime" }))
                    {
                        return new HandlerModel(ConnectionLifetime.Infinite);
                    }
                }

                return HandlerModel.Unknown;

            case "ConfigureHttpMessageHandlerBuilder":
                return HandlerModel.Unknown;

            default:
                return null;
        }
    }

    /// <summary>
    /// An <c>HttpClientHandler</c> written inline where any handler will do, whose settings all exist, with the same
    /// type, on <c>SocketsHttpHandler</c>: the fix can swap the type and carry every setting over.
    /// </summary>
    private bool CanReplace(IObjectCreationOperation creation)
    {
        if (_types.SocketsHttpHandler is not { } sockets
            || !SymbolEqualityComparer.Default.Equals(creation.Type, _types.HttpClientHandler)
            || creation.Arguments.Length != 0
            || creation.Parent is not IConversionOperation { Type: var target } || !SymbolEqualityComparer.Default.Equals(target, _types.HttpMessageHandler))
        {
            return false;
        }

        if (creation.Initializer is null)
        {
            return true;
        }

        foreach (var initializer in creation.Initializer.Initializers)
        {
            var (property, needsSetter) = initializer switch
            {
                ISimpleAssignmentOperation { Target: IPropertyReferenceOperation assigned } => (assigned.Property, true),
                IMemberInitializerOperation { InitializedMember: IPropertyReferenceOperation initialized } => (initialized.Property, false),
                _ => (null, false),
            };
            if (property is null || !HasSameProperty(sockets, property, needsSetter))
            {
                return false;
            }
        }

        return true;
    }

    private static bool HasSameProperty(INamedTypeSymbol type, IPropertySymbol property, bool needsSetter)
    {
        foreach (var member in type.GetMembers(property.Name))
        {
            if (member is IPropertySymbol { IsStatic: false } candidate
                && SymbolEqualityComparer.Default.Equals(candidate.Type, property.Type)
                && (!needsSetter || candidate.SetMethod is { DeclaredAccessibility: Accessibility.Public }))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// <c>new HttpClient { BaseAddress = new Uri("https://localhost:5001/") }</c>: a client whose base address is a loopback
    /// constant resolves no name, so there is no DNS answer to keep (a sample client talking to a local server).
    /// </summary>
    private static bool HasALoopbackBaseAddress(IObjectCreationOperation creation)
        => OperationTree.Unwrap(AssignedIn(creation.Initializer, "BaseAddress")) is IObjectCreationOperation { Arguments.Length: > 0 } address
           && address.Arguments[0].Value.ConstantValue is { HasValue: true, Value: string text }
           && Uri.TryCreate(text, UriKind.Absolute, out var uri)
           && uri.IsLoopback;

    private static IOperation? AssignedIn(IObjectOrCollectionInitializerOperation? initializer, string propertyName)
    {
        if (initializer is null)
        {
            return null;
        }

        foreach (var item in initializer.Initializers)
        {
            if (item is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation target } assignment && target.Property.Name == propertyName)
            {
                return assignment.Value;
            }
        }

        return null;
    }

    /// <summary><c>Timeout.InfiniteTimeSpan</c>, <c>TimeSpan.MaxValue</c>, <c>TimeSpan.FromMilliseconds(-1)</c>.</summary>
    private bool IsInfinite(IOperation value)
    {
        value = OperationTree.Unwrap(value)!;
        return value switch
        {
            IPropertyReferenceOperation { Property.Name: "InfiniteTimeSpan" } property => SymbolEqualityComparer.Default.Equals(property.Property.ContainingType, _types.Timeout),
            IFieldReferenceOperation { Field.Name: "InfiniteTimeSpan" } field => SymbolEqualityComparer.Default.Equals(field.Field.ContainingType, _types.Timeout),
            IFieldReferenceOperation { Field: { Name: "MaxValue", ContainingType.SpecialType: SpecialType.None, ContainingType.Name: "TimeSpan" } } => true,
            IInvocationOperation { TargetMethod: { Name: "FromMilliseconds", ContainingType.Name: "TimeSpan" }, Arguments.Length: > 0 } call
                => call.Arguments[0].Value.ConstantValue is { HasValue: true, Value: var constant } && System.Convert.ToDouble(constant, System.Globalization.CultureInfo.InvariantCulture) == -1,
            _ => false,
        };
    }
}
