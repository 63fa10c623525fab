using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Timeouts;

/// <summary>
/// Decides whether <c>HttpClient.Timeout</c>, turned off, belongs to a client whose <c>IHttpClientFactory</c>
/// builder adds a timeout strategy, which then owns the deadline (RULES.md, RES010): the standard resilience or
/// hedging handler, a resilience handler with <c>AddTimeout</c>, a Polly timeout policy. A builder step whose
/// content cannot be seen counts as owning it too: certain or silent. One instance per compilation.
/// </summary>
internal sealed class HttpClientTimeoutOwners
{
    private enum Evidence
    {
        None,
        Timeout,
        Unknown,
    }

    private readonly Compilation _compilation;
    private readonly ConcurrentDictionary<string, bool> _typedClients = new(StringComparer.Ordinal);

    // 0: not scanned yet, 1: no defaults add a timeout strategy, 2: they do. A race only scans twice.
    private volatile int _defaults;

    public HttpClientTimeoutOwners(Compilation compilation)
    {
        _compilation = compilation;
    }

    /// <param name="assignment">The assignment of the infinite value to <c>HttpClient.Timeout</c>.</param>
    /// <param name="client">The client whose timeout is assigned.</param>
    public bool IsOwnedByStrategy(IOperation assignment, IOperation? client, ISymbol containingSymbol, CancellationToken cancellationToken)
    {
        // ConfigureHttpClient(c => c.Timeout = ...), AddHttpClient("x", c => ...): judge the builder the lambda configures.
        for (var current = assignment.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation lambda)
            {
                return lambda.Parent is IDelegateCreationOperation { Parent: IArgumentOperation { Parent: IInvocationOperation builderCall } }
                    && builderCall.TargetMethod.ReturnType.Name == "IHttpClientBuilder"
                    && (BuilderAddsTimeout(builderCall) || DefaultsAddTimeout(cancellationToken));
            }
        }

        // A typed client's constructor: the registration AddHttpClient<TClient>() elsewhere says what owns the timeout.
        if (OperationTree.Unwrap(client) is IParameterReferenceOperation or IFieldReferenceOperation { Field.IsStatic: false }
            && containingSymbol is IMethodSymbol { MethodKind: MethodKind.Constructor, ContainingType: { } typedClient })
        {
            return _typedClients.GetOrAdd(typedClient.Name, name => TypedClientAddsTimeout(name, cancellationToken)) || DefaultsAddTimeout(cancellationToken);
        }

        return false;
    }

    /// <summary>
    /// Every send in sight passes a cancellation token, so the deadline moved from the client to each call: a token of a
    /// source with a timeout, one a timeout helper hands to its lambda (<c>WithTimeout(t, ct =&gt; client.SendAsync(r, ct))</c>),
    /// or the caller's, who holds the deadline (as for RES011). The client-wide timeout is turned off so it does not cut
    /// long transfers short. A send with no token at all can wait for ever, and so does a client whose sends are not in
    /// sight. The sends judged are those on the local the timeout is set on, else every send of the type (all its parts),
    /// else, for a type no other assembly can reach that sends nothing itself (a library's own client factory, handing
    /// its clients to the code that sends), every send of the compilation: no other code can hold those clients.
    /// </summary>
    public bool SendsCarryTokens(ISimpleAssignmentOperation assignment, IOperation? client, KnownTypes types, CancellationToken cancellationToken)
    {
        var model = assignment.SemanticModel;
        if (model is null || types.Http.HttpClient is not { } httpClient)
        {
            return false;
        }

        if (OperationTree.Unwrap(client) is ILocalReferenceOperation local)
        {
            var localSends = 0;
            foreach (var operation in OperationTree.Root(assignment).Descendants())
            {
                if (operation is IInvocationOperation invocation && IsSend(invocation, httpClient)
                    && OperationTree.Receiver(invocation) is ILocalReferenceOperation receiver
                    && SymbolEqualityComparer.Default.Equals(receiver.Local, local.Local))
                {
                    localSends++;
                    if (!PassesAToken(invocation))
                    {
                        return false;
                    }
                }
            }

            if (localSends > 0)
            {
                return true;
            }
        }

        if (model.GetEnclosingSymbol(assignment.Syntax.SpanStart)?.ContainingType is not { } type)
        {
            return false;
        }

        var declarations = new List<TypeDeclarationSyntax>();
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration)
            {
                declarations.Add(declaration);
            }
        }

        var typeSends = CountSends(declarations, model, httpClient, cancellationToken);
        if (typeSends != 0)
        {
            return typeSends > 0;
        }

        if (IsReachableFromOtherAssemblies(type))
        {
            return false;
        }

        if (_compilationSends == 0)
        {
            var all = new List<TypeDeclarationSyntax>();
            foreach (var tree in _compilation.SyntaxTrees)
            {
                foreach (var node in tree.GetRoot(cancellationToken).DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax))
                {
                    if (node is TypeDeclarationSyntax declaration)
                    {
                        all.Add(declaration);
                    }
                }
            }

            var sends = ExposesAClient(all, model, httpClient, cancellationToken) ? -1 : CountSends(all, model, httpClient, cancellationToken);
            _compilationSends = sends > 0 ? 1 : 2;
        }

        return _compilationSends == 1;
    }

    // 0: not counted yet, 1: every send of the compilation passes a token (and there is one), 2: not. A race counts twice.
    private volatile int _compilationSends;

    /// <summary>The sends in the members of <paramref name="declarations"/>; -1 as soon as one passes no token.</summary>
    private static int CountSends(IReadOnlyList<TypeDeclarationSyntax> declarations, SemanticModel model, INamedTypeSymbol httpClient, CancellationToken cancellationToken)
    {
        var sends = 0;
        foreach (var declaration in declarations)
        {
            var partModel = declaration.SyntaxTree == model.SyntaxTree ? model : model.Compilation.GetSemanticModel(declaration.SyntaxTree);
            foreach (var member in declaration.Members)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (member is not (BaseMethodDeclarationSyntax or PropertyDeclarationSyntax or FieldDeclarationSyntax)
                    || !MayHoldASend(member)
                    || Body(partModel, member, cancellationToken) is not { } body)
                {
                    continue;
                }

                // Lambdas included: a send inside a policy's or a timeout helper's delegate is a send of this type too.
                foreach (var operation in body.Descendants())
                {
                    if (operation is not IInvocationOperation invocation || !IsSend(invocation, httpClient))
                    {
                        continue;
                    }

                    sends++;
                    if (!PassesAToken(invocation))
                    {
                        return -1;
                    }
                }
            }
        }

        return sends;
    }

    /// <summary>A member other assemblies can reach hands out an <c>HttpClient</c>: then code outside the compilation may send on it.</summary>
    private static bool ExposesAClient(IReadOnlyList<TypeDeclarationSyntax> declarations, SemanticModel model, INamedTypeSymbol httpClient, CancellationToken cancellationToken)
    {
        foreach (var declaration in declarations)
        {
            var partModel = declaration.SyntaxTree == model.SyntaxTree ? model : model.Compilation.GetSemanticModel(declaration.SyntaxTree);
            if (partModel.GetDeclaredSymbol(declaration, cancellationToken) is not INamedTypeSymbol type || !IsReachableFromOtherAssemblies(type))
            {
                continue;
            }

            foreach (var member in type.GetMembers())
            {
                if (member.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal))
                {
                    continue;
                }

                var handedOut = member switch
                {
                    IFieldSymbol field => field.Type,
                    IPropertySymbol property => property.Type,
                    IMethodSymbol { MethodKind: MethodKind.Ordinary } method => method.ReturnType,
                    _ => null,
                };
                for (var handed = handedOut as INamedTypeSymbol; handed is not null; handed = handed.BaseType)
                {
                    if (SymbolEqualityComparer.Default.Equals(handed, httpClient))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>The type, or a type containing it, is public or protected: code outside this compilation may use its clients.</summary>
    private static bool IsReachableFromOtherAssemblies(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            if (current.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The client goes to Azure.Core's <c>HttpClientTransport</c>, whose pipeline bounds every try with its own
    /// <c>RetryOptions.NetworkTimeout</c> (100 s by default) and which turns <c>HttpClient.Timeout</c> off on the clients
    /// it makes itself: <c>new HttpClientTransport(new HttpClient { Timeout = Timeout.InfiniteTimeSpan })</c>, or a local
    /// handed to it in the same body.
    /// </summary>
    public static bool IsHandedToAzureTransport(ISimpleAssignmentOperation assignment, IOperation? client)
    {
        if (OperationTree.Unwrap(client) is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ImplicitReceiver })
        {
            for (var current = assignment.Parent; current is not null; current = current.Parent)
            {
                if (current is IObjectCreationOperation creation)
                {
                    return IsAzureTransportArgument(creation);
                }
            }

            return false;
        }

        if (OperationTree.Unwrap(client) is not ILocalReferenceOperation local)
        {
            return false;
        }

        foreach (var operation in OperationTree.Root(assignment).Descendants())
        {
            if (operation is ILocalReferenceOperation use && SymbolEqualityComparer.Default.Equals(use.Local, local.Local) && IsAzureTransportArgument(use))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsAzureTransportArgument(IOperation value)
    {
        var current = value.Parent;
        while (current is IConversionOperation)
        {
            current = current.Parent;
        }

        return current is IArgumentOperation { Parent: IObjectCreationOperation { Type: { Name: "HttpClientTransport" } transport } }
               && transport.ContainingNamespace?.ToDisplayString() == "Azure.Core.Pipeline";
    }

    private static IOperation? Body(SemanticModel model, MemberDeclarationSyntax member, CancellationToken cancellationToken)
        => member is FieldDeclarationSyntax field
            ? (field.Declaration.Variables.Count > 0 && field.Declaration.Variables[0].Initializer is { } initializer
                ? model.GetOperation(initializer, cancellationToken)
                : null)
            : model.GetOperation(member, cancellationToken);

    /// <summary>Cheap text test before binding a member of another part.</summary>
    private static bool MayHoldASend(MemberDeclarationSyntax member)
    {
        foreach (var token in member.DescendantTokens())
        {
            if (token.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.IdentifierToken)
                && (token.ValueText.EndsWith("Async", StringComparison.Ordinal) || token.ValueText.StartsWith("Send", StringComparison.Ordinal)
                    || token.ValueText.StartsWith("Download", StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A call of <c>HttpClient</c> that sends (<c>Send*</c>, <c>*Async</c>), or an extension method of it that takes a token.</summary>
    private static bool IsSend(IInvocationOperation invocation, INamedTypeSymbol httpClient)
    {
        var method = invocation.TargetMethod;
        if (SymbolEqualityComparer.Default.Equals(method.ContainingType, httpClient))
        {
            return method.Name.StartsWith("Send", StringComparison.Ordinal) || method.Name.EndsWith("Async", StringComparison.Ordinal);
        }

        if (!method.IsExtensionMethod || invocation.Arguments.Length == 0
            || !SymbolEqualityComparer.Default.Equals(OperationTree.Unwrap(invocation.Arguments[0].Value)?.Type, httpClient))
        {
            return false;
        }

        foreach (var parameter in method.Parameters)
        {
            if (parameter.Type.Name == "CancellationToken")
            {
                return true;
            }
        }

        return method.Name.StartsWith("Send", StringComparison.Ordinal) || method.Name.EndsWith("Async", StringComparison.Ordinal);
    }

    /// <summary>The send is given a token that can end it: not left out, not <c>default</c>, not <c>CancellationToken.None</c>.</summary>
    private static bool PassesAToken(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Type.Name != "CancellationToken")
            {
                continue;
            }

            var value = OperationTree.Unwrap(argument.Value);
            return argument.ArgumentKind != ArgumentKind.DefaultValue
                   && value is not IDefaultValueOperation
                   && value is not IPropertyReferenceOperation { Property.Name: "None" };
        }

        return false;
    }

    /// <summary>
    /// <c>services.ConfigureHttpClientDefaults(b =&gt; b.AddStandardResilienceHandler())</c> anywhere in the compilation
    /// (the .NET Aspire service defaults): every factory client then has a timeout strategy.
    /// </summary>
    private bool DefaultsAddTimeout(CancellationToken cancellationToken)
    {
        if (_defaults == 0)
        {
            _defaults = ScanDefaults(cancellationToken) ? 2 : 1;
        }

        return _defaults == 2;
    }

    private bool ScanDefaults(CancellationToken cancellationToken)
    {
        foreach (var tree in _compilation.SyntaxTrees)
        {
            if (tree.GetText(cancellationToken).ToString().IndexOf("ConfigureHttpClientDefaults", StringComparison.Ordinal) < 0)
            {
                continue;
            }

            foreach (var node in tree.GetRoot(cancellationToken).DescendantNodes())
            {
                if (node is InvocationExpressionSyntax
                    {
                        Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureHttpClientDefaults" },
                    } defaults
                    && AddsStrategy(defaults.ArgumentList))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Syntax that adds a timeout strategy: the standard handlers, or a handler or policy that names a timeout.</summary>
    private static bool AddsStrategy(SyntaxNode node)
    {
        var text = node.ToString();
        return text.IndexOf("AddStandardResilienceHandler", StringComparison.Ordinal) >= 0
               || text.IndexOf("AddStandardHedgingHandler", StringComparison.Ordinal) >= 0
               || ((text.IndexOf("AddResilienceHandler", StringComparison.Ordinal) >= 0 || text.IndexOf("AddPolicyHandler", StringComparison.Ordinal) >= 0)
                   && MentionsTimeout(node));
    }

    private static bool BuilderAddsTimeout(IInvocationOperation call)
    {
        var steps = new List<IInvocationOperation>();
        var top = CollectChain(call, steps);
        if (IsUnboundStep(top.Parent))
        {
            // The chain goes on through a call that does not bind (half-typed, or a package that did not resolve):
            // what it adds cannot be seen, a timeout among the possibilities. Certain or silent.
            return true;
        }

        // The builder held in a local or a lambda's parameter: every chain on it in the same body counts.
        ISymbol? builder = null;
        if (OperationTree.Receiver(steps[steps.Count - 1]) is { } bottom && OperationTree.ReferencedSymbol(bottom) is { } symbol && IsBuilder(symbol))
        {
            if (symbol is IParameterSymbol { ContainingSymbol: IMethodSymbol { MethodKind: not MethodKind.AnonymousFunction } })
            {
                // A builder handed in by a caller, who may add the strategy: not certain.
                return true;
            }

            builder = symbol;
        }
        else if (top.Parent is IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator })
        {
            builder = declarator.Symbol;
        }

        // A named or typed client registered again in the same body (AddHttpClient("x") twice) is the same client.
        var client = ClientKey(steps);
        if (builder is not null || client is not null)
        {
            foreach (var operation in OperationTree.Root(call).Descendants())
            {
                if (operation is IInvocationOperation other && !steps.Contains(other)
                    && ((builder is not null && OperationTree.Receiver(other) is { } receiver && SymbolEqualityComparer.Default.Equals(OperationTree.ReferencedSymbol(receiver), builder))
                        || (client is not null && other.TargetMethod.Name == "AddHttpClient" && ClientKey(other) == client)))
                {
                    CollectChain(other, steps);
                }
            }
        }

        foreach (var step in steps)
        {
            if (StepEvidence(step) != Evidence.None)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An operation that continues a chain without binding: an invalid call, or an argument of one.</summary>
    private static bool IsUnboundStep(IOperation? parent)
    {
        while (parent is IConversionOperation)
        {
            parent = parent.Parent;
        }

        return parent is IInvalidOperation || parent is IArgumentOperation { Parent: IInvalidOperation };
    }

    /// <summary>The client an <c>AddHttpClient</c> in the chain registers: its constant name or its type arguments.</summary>
    private static string? ClientKey(List<IInvocationOperation> steps)
    {
        foreach (var step in steps)
        {
            if (step.TargetMethod.Name == "AddHttpClient" && ClientKey(step) is { } key)
            {
                return key;
            }
        }

        return null;
    }

    private static string? ClientKey(IInvocationOperation addHttpClient)
    {
        foreach (var argument in addHttpClient.Arguments)
        {
            if (argument.Parameter?.Name == "name" && argument.Value.ConstantValue is { HasValue: true, Value: string name })
            {
                return "name:" + name;
            }
        }

        var typeArguments = addHttpClient.TargetMethod.TypeArguments;
        return typeArguments.Length > 0 ? "type:" + typeArguments[typeArguments.Length - 1].ToDisplayString() : null;
    }

    /// <summary>Adds <paramref name="call"/>, what it is called on, and what is called on its result; returns the outermost call.</summary>
    private static IOperation CollectChain(IInvocationOperation call, List<IInvocationOperation> steps)
    {
        for (var current = call; current is not null; current = OperationTree.Receiver(current) as IInvocationOperation)
        {
            if (!steps.Contains(current))
            {
                steps.Add(current);
            }
        }

        // Calls on the result go in front, so the innermost receiver stays last.
        IOperation top = call;
        while (true)
        {
            var parent = top.Parent;
            while (parent is IConversionOperation)
            {
                parent = parent.Parent;
            }

            if (parent is IArgumentOperation { Parent: IInvocationOperation extension } argument
                && extension.TargetMethod.IsExtensionMethod && extension.Arguments.Length > 0 && extension.Arguments[0] == argument)
            {
                top = extension;
            }
            else if (parent is IInvocationOperation instanceCall && instanceCall.Instance is not null && OperationTree.Unwrap(instanceCall.Instance) == top)
            {
                top = instanceCall;
            }
            else
            {
                break;
            }

            if (!steps.Contains((IInvocationOperation)top))
            {
                steps.Insert(0, (IInvocationOperation)top);
            }
        }

        return top;
    }

    private static bool IsBuilder(ISymbol symbol)
    {
        var type = symbol switch
        {
            ILocalSymbol local => local.Type,
            IParameterSymbol parameter => parameter.Type,
            _ => null,
        };
        return type is { Name: "IHttpClientBuilder" };
    }

    private static Evidence StepEvidence(IInvocationOperation step)
    {
        switch (step.TargetMethod.Name)
        {
            case "AddStandardResilienceHandler":
            case "AddStandardHedgingHandler":
                return Evidence.Timeout;
            case "AddResilienceHandler":
            case "AddPolicyHandler":
            case "AddTransientHttpErrorPolicy":
            case "AddPolicyHandlerFromRegistry":
            case "AddHttpMessageHandler":
                var evidence = Evidence.None;
                foreach (var argument in step.Arguments)
                {
                    if (argument.Parameter?.Ordinal == 0 && step.TargetMethod.IsExtensionMethod)
                    {
                        continue;
                    }

                    evidence = Max(evidence, ArgumentEvidence(argument.Value));
                }

                foreach (var typeArgument in step.TargetMethod.TypeArguments)
                {
                    if (typeArgument.Name.IndexOf("Timeout", StringComparison.Ordinal) >= 0)
                    {
                        evidence = Evidence.Timeout;
                    }
                }

                return step.TargetMethod.Name == "AddPolicyHandlerFromRegistry" ? Max(evidence, Evidence.Unknown) : evidence;
            default:
                return Evidence.None;
        }
    }

    /// <summary>A builder step's argument: its text, and one level into the declarations it uses.</summary>
    private static Evidence ArgumentEvidence(IOperation argument)
    {
        if (MentionsTimeout(argument.Syntax))
        {
            return Evidence.Timeout;
        }

        var evidence = Evidence.None;
        foreach (var operation in argument.DescendantsAndSelf())
        {
            ISymbol? used = operation switch
            {
                IInvocationOperation invocation => invocation.TargetMethod,
                IMethodReferenceOperation method => method.Method,
                IFieldReferenceOperation field => field.Field,
                IPropertyReferenceOperation property => property.Property,
                ILocalReferenceOperation local => local.Local,
                IParameterReferenceOperation parameter => parameter.Parameter,
                _ => null,
            };
            if (used is not null)
            {
                evidence = Max(evidence, SymbolEvidence(used, argument));
            }
        }

        return evidence;
    }

    private static Evidence SymbolEvidence(ISymbol symbol, IOperation argument)
    {
        if (symbol is IParameterSymbol parameter)
        {
            // A lambda's own parameter (builder => builder.AddRetry(...)) is seen; a caller's value is not.
            return parameter.ContainingSymbol is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction } lambda
                   && argument.Syntax.Span.Contains(lambda.DeclaringSyntaxReferences.Length > 0 ? lambda.DeclaringSyntaxReferences[0].Span : default)
                ? Evidence.None
                : Evidence.Unknown;
        }

        if (symbol.DeclaringSyntaxReferences.Length == 0)
        {
            // Library code: Polly and the Microsoft.Extensions builders say what they do by name; anything else is unseen.
            var ns = symbol.ContainingNamespace?.ToDisplayString() ?? string.Empty;
            return OutboundOperations.IsSameOrChild(ns, "Polly") || OutboundOperations.IsSameOrChild(ns, "Microsoft.Extensions")
                   || OutboundOperations.IsSameOrChild(ns, "System")
                ? Evidence.None
                : Evidence.Unknown;
        }

        if (symbol is ILocalSymbol && argument.Syntax.Span.Contains(symbol.DeclaringSyntaxReferences[0].Span))
        {
            return Evidence.None;
        }

        foreach (var reference in symbol.DeclaringSyntaxReferences)
        {
            var declaration = reference.GetSyntax();
            if (declaration is VariableDeclaratorSyntax && declaration.Parent?.Parent is { } statement)
            {
                declaration = statement;
            }

            if (MentionsTimeout(declaration))
            {
                return Evidence.Timeout;
            }
        }

        return Evidence.None;
    }

    private bool TypedClientAddsTimeout(string typedClient, CancellationToken cancellationToken)
    {
        foreach (var tree in _compilation.SyntaxTrees)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (tree.GetText(cancellationToken).ToString().IndexOf("AddHttpClient<", StringComparison.Ordinal) < 0)
            {
                continue;
            }

            foreach (var node in tree.GetRoot(cancellationToken).DescendantNodes())
            {
                if (node is GenericNameSyntax { Identifier.ValueText: "AddHttpClient" } generic
                    && generic.TypeArgumentList.Arguments.Count > 0
                    && LastName(generic.TypeArgumentList.Arguments[generic.TypeArgumentList.Arguments.Count - 1]) == typedClient
                    && SyntaxChainAddsTimeout(generic))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Syntax only (another file's semantic model is not the analyzer's to ask for): the calls chained on the registration.</summary>
    private static bool SyntaxChainAddsTimeout(GenericNameSyntax registration)
    {
        SyntaxNode current = registration.Parent is MemberAccessExpressionSyntax access && access.Name == registration ? access : registration;
        while (current.Parent is InvocationExpressionSyntax invocation && invocation.Expression == current)
        {
            if (invocation.Parent is MemberAccessExpressionSyntax next && next.Expression == invocation)
            {
                switch (next.Name.Identifier.ValueText)
                {
                    case "AddStandardResilienceHandler":
                    case "AddStandardHedgingHandler":
                        return true;
                    case "AddResilienceHandler":
                    case "AddPolicyHandler":
                    case "AddTransientHttpErrorPolicy":
                    case "AddPolicyHandlerFromRegistry":
                    case "AddHttpMessageHandler":
                        if (next.Parent is InvocationExpressionSyntax step && (MentionsTimeout(step.ArgumentList) || MentionsTimeout(next.Name)))
                        {
                            return true;
                        }

                        break;
                }

                current = next;
            }
            else
            {
                break;
            }
        }

        return false;
    }

    private static string? LastName(TypeSyntax type)
        => type switch
        {
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
            _ => null,
        };

    /// <summary>
    /// The text names a timeout strategy (<c>AddTimeout</c>, <c>Policy.TimeoutAsync</c>, <c>TimeoutStrategyOptions</c>,
    /// <c>TotalRequestTimeout</c>): not only <c>TimeoutException</c>, <c>Timeout.Infinite…</c> or an assignment to a
    /// client's <c>.Timeout</c>.
    /// </summary>
    private static bool MentionsTimeout(SyntaxNode node)
    {
        const string Word = "Timeout";
        var text = node.ToString();
        for (var index = text.IndexOf(Word, StringComparison.Ordinal); index >= 0; index = text.IndexOf(Word, index + 1, StringComparison.Ordinal))
        {
            var end = index + Word.Length;
            if (string.CompareOrdinal(text, end, "Exception", 0, "Exception".Length) == 0
                || string.CompareOrdinal(text, end, ".Infinite", 0, ".Infinite".Length) == 0)
            {
                continue;
            }

            if (index > 0 && text[index - 1] == '.' && IsAssignmentAt(text, end))
            {
                continue;
            }

            return true;
        }

        return false;
    }

    private static bool IsAssignmentAt(string text, int position)
    {
        while (position < text.Length && char.IsWhiteSpace(text[position]))
        {
            position++;
        }

        return position < text.Length && text[position] == '=' && (position + 1 == text.Length || text[position + 1] != '=');
    }

    private static Evidence Max(Evidence a, Evidence b) => a > b ? a : b;
}
