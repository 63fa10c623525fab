using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace HcrCases;

/// <summary>One HCR040-HCR043 case recompiled against the real packages.</summary>
internal sealed record RealCase(int Number, string Test, string Kind, string HcrRule, string[] Sources, IReadOnlyList<string> Dropped,
    IReadOnlyList<string> Adapted, IReadOnlyList<string> Errors, IReadOnlyList<string> Hcr, IReadOnlyList<string> Ours);

/// <summary>
/// The second compilation of each HCR040-HCR043 case. HCR's cases declare stand-ins for the libraries in their
/// own source (IServiceCollection, IHttpClientBuilder, ResiliencePipelineBuilder, HttpRetryStrategyOptions, the
/// extension classes around them, a `namespace Polly`); this drops those stand-ins, adds `using` directives for
/// the real namespaces, and compiles against the real Microsoft.Extensions.Http.Resilience, Polly.Core and
/// System.Net.Http.Json, the versions our own tests use.
///
/// What is a stand-in, mechanically:
/// - a type declared in the global namespace or in one of the imitated namespaces, whose name (any arity) is a
///   public type of an imitated namespace in the real assemblies;
/// - an extension method declared there whose name is one of the real extension methods of those namespaces
///   and whose receiver's simple name is such a type (a static class left empty goes with it);
/// - a namespace left empty.
/// Look-alikes that the cases declare in their own namespaces (`Custom`, `Other`...) or on their own types
/// (`CustomBuilder`) are the situation under test, and stay. A case that no longer compiles says so and is
/// out of the score.
/// </summary>
internal static class RealPackages
{
    public static readonly string[] Namespaces =
    {
        "Microsoft.Extensions.DependencyInjection",
        "Microsoft.Extensions.Http",
        "Microsoft.Extensions.Http.Resilience",
        "System.Net.Http",
        "Polly",
        "Polly.Retry",
        "Polly.Hedging",
        "Polly.Timeout",
        "Polly.CircuitBreaker",
        "System.Net.Http.Json",
    };

    public static List<RealCase> Cases { get; } = new();

    private static readonly string Output = Path.GetDirectoryName(typeof(RealPackages).Assembly.Location)!;

    /// <summary>The packages' assemblies in this program's output: Microsoft.Extensions.Http.Resilience and its closure.</summary>
    public static readonly ImmutableArray<MetadataReference> Packages = Directory
        .GetFiles(Output, "*.dll")
        .Where(f =>
        {
            var name = Path.GetFileNameWithoutExtension(f);
            return (name.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal) && name != "Microsoft.Extensions.Http.Polly")
                || name is "Polly.Core" or "Polly.Extensions" or "Polly.RateLimiting" or "System.Threading.RateLimiting";
        })
        .OrderBy(f => f, StringComparer.Ordinal)
        .Select(f => (MetadataReference)MetadataReference.CreateFromFile(f))
        .ToImmutableArray();

    private static HashSet<string> typeNames;
    private static HashSet<string> extensionNames;

    private static void LoadNames(ImmutableArray<MetadataReference> runtime)
    {
        if (typeNames is not null)
        {
            return;
        }

        typeNames = new HashSet<string>(StringComparer.Ordinal);
        extensionNames = new HashSet<string>(StringComparer.Ordinal);
        var compilation = CSharpCompilation.Create("Names", references: runtime.AddRange(Packages));

        // The packages' own types, and System.Net.Http.Json from the runtime: System.Net.Http's other runtime
        // types (HttpClient, HttpMethod) are real in both compilations, so a case declaring one is a look-alike.
        var assemblies = Packages.Select(r => compilation.GetAssemblyOrModuleSymbol(r)).OfType<IAssemblySymbol>()
            .Concat(compilation.References.Select(r => compilation.GetAssemblyOrModuleSymbol(r)).OfType<IAssemblySymbol>().Where(a => a.Name == "System.Net.Http.Json"));
        foreach (var assembly in assemblies)
        {
            foreach (var ns in Namespaces)
            {
                foreach (var type in TypesIn(assembly.GlobalNamespace, ns))
                {
                    typeNames.Add(type.Name);
                    if (type.IsStatic)
                    {
                        foreach (var method in type.GetMembers().OfType<IMethodSymbol>().Where(m => m.IsExtensionMethod && m.DeclaredAccessibility == Accessibility.Public))
                        {
                            extensionNames.Add(method.Name);
                        }
                    }
                }
            }
        }
    }

    private static IEnumerable<INamedTypeSymbol> TypesIn(INamespaceSymbol global, string ns)
    {
        var current = global;
        foreach (var part in ns.Split('.'))
        {
            current = current?.GetNamespaceMembers().FirstOrDefault(n => n.Name == part);
        }

        return current is null
            ? Enumerable.Empty<INamedTypeSymbol>()
            : current.GetTypeMembers().Where(t => t.DeclaredAccessibility == Accessibility.Public);
    }

    public static async Task RunAsync(
        DiagnosticAnalyzer hcrAnalyzer, int number, string test, string kind, string[] sources,
        ImmutableArray<MetadataReference> references, ImmutableArray<MetadataReference> runtime, ImmutableArray<DiagnosticAnalyzer> ours,
        Func<ImmutableArray<Diagnostic>, List<string>> describe)
    {
        LoadNames(runtime);
        var dropped = new List<string>();
        var rewritten = sources.Select(s => Rewrite(s, dropped)).ToArray();
        var trees = rewritten
            .Select((s, i) => CSharpSyntaxTree.ParseText(
                SourceText.From(s, Encoding.UTF8),
                CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Preview),
                path: i == 0 ? "Test.cs" : $"Test{i}.cs"))
            .ToArray();
        var kindOfOutput = trees.Any(t => ((CompilationUnitSyntax)t.GetRoot()).Members.OfType<GlobalStatementSyntax>().Any())
            ? OutputKind.ConsoleApplication
            : OutputKind.DynamicallyLinkedLibrary;
        var compilation = CSharpCompilation.Create(
            "AnalyzerTests", trees, references.AddRange(Packages), new CSharpCompilationOptions(kindOfOutput));

        // The stand-ins are shaped a little differently from the real API; where the compiler says so, the
        // case is adapted to the real shape, one error at a time, keeping the situation (Adapt).
        var adapted = new List<string>();
        for (var round = 0; round < 24; round++)
        {
            var firstErrors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            (SyntaxTree Tree, SyntaxNode Root, string What) change = default;
            foreach (var error in firstErrors)
            {
                change = error.Location.SourceTree is { } tree ? Adapt(error, compilation.GetSemanticModel(tree)) : default;
                if (change.Root is not null)
                {
                    break;
                }
            }

            if (change.Root is null)
            {
                break;
            }

            compilation = compilation.ReplaceSyntaxTree(change.Tree, change.Tree.WithRootAndOptions(change.Root, change.Tree.Options));
            adapted.Add(change.What);
        }

        rewritten = compilation.SyntaxTrees.Select(t => t.ToString()).ToArray();
        var errors = compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => $"{d.Id}@{(d.Location.SourceTree?.FilePath is "Test.cs" or null ? "" : d.Location.SourceTree.FilePath + ":")}{d.Location.GetLineSpan().StartLinePosition.Line + 1}: {d.GetMessage()}")
            .ToList();
        var hcr = await compilation.WithAnalyzers(ImmutableArray.Create(hcrAnalyzer)).GetAnalyzerDiagnosticsAsync();
        var ourDiagnostics = await compilation.WithAnalyzers(ours).GetAnalyzerDiagnosticsAsync();
        Cases.Add(new RealCase(number, test, kind, hcrAnalyzer.SupportedDiagnostics[0].Id, rewritten, dropped, adapted.Distinct().ToList(), errors, describe(hcr), describe(ourDiagnostics)));
    }

    private const string HttpClientBuilder = "Microsoft.Extensions.DependencyInjection.IHttpClientBuilder";

    /// <summary>
    /// One adaptation of the case to the real API, for one compiler error, or none. Each keeps the situation:
    /// - a registration method declared to return IHttpClientBuilder returns what the real handler returns
    ///   (AddStandardResilienceHandler returns IHttpStandardResiliencePipelineBuilder): its return type becomes that;
    /// - a handler chained onto another handler (`.AddStandardResilienceHandler().AddStandardResilienceHandler()`,
    ///   which the real API cannot chain) becomes the two registrations on one client builder, one statement each;
    /// - a retry or hedging `ShouldHandle` returning bool returns `ValueTask.FromResult(…)`;
    /// - `AddStandardHedgingHandler(options => …)`, whose real overload configures routing, becomes
    ///   `AddStandardHedgingHandler().Configure(options => …)`;
    /// - a method group configuring a handler's pipeline takes `ResiliencePipelineBuilder&lt;HttpResponseMessage&gt;`.
    /// </summary>
    private static (SyntaxTree Tree, SyntaxNode Root, string What) Adapt(Diagnostic error, SemanticModel model)
    {
        var tree = model.SyntaxTree;
        var root = tree.GetRoot();
        var span = error.Location.SourceSpan;
        var node = root.FindNode(span, getInnermostNodeForTie: true);
        var message = error.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        switch (error.Id)
        {
            case "CS0266" or "CS0029" when message.Contains("to '" + HttpClientBuilder + "'", StringComparison.Ordinal):
            {
                var expression = node.AncestorsAndSelf().OfType<ExpressionSyntax>().LastOrDefault(e => e.Span == node.Span) ?? node as ExpressionSyntax;
                var member = node.Ancestors().FirstOrDefault(a => a is MethodDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax);
                var returnType = member switch
                {
                    MethodDeclarationSyntax m => m.ReturnType,
                    LocalFunctionStatementSyntax l => l.ReturnType,
                    _ => null,
                };
                var type = expression is null ? null : model.GetTypeInfo(expression).Type;
                if (returnType is null || type is null || !returnType.ToString().EndsWith("IHttpClientBuilder", StringComparison.Ordinal))
                {
                    return default;
                }

                var name = type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
                return (tree, root.ReplaceNode(returnType, SyntaxFactory.ParseTypeName(name).WithTriviaFrom(returnType)), "registration returns " + name);
            }

            case "CS0029" when message.Contains("'bool' to 'System.Threading.Tasks.ValueTask<bool>'", StringComparison.Ordinal):
            {
                var expression = node.AncestorsAndSelf().OfType<ExpressionSyntax>().LastOrDefault(e => e.Span == node.Span) ?? node as ExpressionSyntax;
                if (expression is null)
                {
                    return default;
                }

                var wrapped = SyntaxFactory.ParseExpression($"ValueTask.FromResult({expression.WithoutTrivia()})").WithTriviaFrom(expression);
                return (tree, root.ReplaceNode(expression, wrapped), "predicate returns ValueTask<bool>");
            }

            case "CS1929" when message.Contains("requires a receiver of type '" + HttpClientBuilder + "'", StringComparison.Ordinal):
                return Split(tree, root, node, model);

            case "CS1061" when message.StartsWith("'IRoutingStrategyBuilder'", StringComparison.Ordinal):
            {
                var lambda = node.Ancestors().OfType<LambdaExpressionSyntax>().LastOrDefault(l =>
                    l.Parent is ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "AddStandardHedgingHandler" } } } });
                if (lambda?.Parent?.Parent?.Parent is not InvocationExpressionSyntax invocation || invocation.ArgumentList.Arguments.Count != 1)
                {
                    return default;
                }

                var configured = SyntaxFactory.InvocationExpression(
                    SyntaxFactory.MemberAccessExpression(
                        SyntaxKind.SimpleMemberAccessExpression,
                        invocation.WithArgumentList(SyntaxFactory.ArgumentList()),
                        SyntaxFactory.IdentifierName("Configure")),
                    invocation.ArgumentList);
                return (tree, root.ReplaceNode(invocation, configured.WithTriviaFrom(invocation)), "hedging options set through Configure");
            }

            case "CS1503" when message.Contains("'method group' to 'System.Action<Polly.ResiliencePipelineBuilder<System.Net.Http.HttpResponseMessage>>'", StringComparison.Ordinal):
            {
                var expression = node.AncestorsAndSelf().OfType<ExpressionSyntax>().FirstOrDefault();
                var method = expression is null ? null : model.GetSymbolInfo(expression).CandidateSymbols.OfType<IMethodSymbol>().FirstOrDefault();
                var declaration = method?.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax();
                var parameter = declaration switch
                {
                    MethodDeclarationSyntax m => m.ParameterList.Parameters.FirstOrDefault(),
                    LocalFunctionStatementSyntax l => l.ParameterList.Parameters.FirstOrDefault(),
                    _ => null,
                };
                if (parameter?.Type is not IdentifierNameSyntax { Identifier.ValueText: "ResiliencePipelineBuilder" } parameterType)
                {
                    return default;
                }

                var declarationRoot = parameter.SyntaxTree.GetRoot();
                return (parameter.SyntaxTree, declarationRoot.ReplaceNode(parameterType, SyntaxFactory.ParseTypeName("ResiliencePipelineBuilder<HttpResponseMessage>").WithTriviaFrom(parameterType)), "pipeline callback takes ResiliencePipelineBuilder<HttpResponseMessage>");
            }

            default:
                return default;
        }
    }

    /// <summary>`R.A(…).B(…)` where A returns a pipeline builder and B needs the client builder: `var b = R; b.A(…); … b.B(…) …`.</summary>
    private static (SyntaxTree Tree, SyntaxNode Root, string What) Split(SyntaxTree tree, SyntaxNode root, SyntaxNode node, SemanticModel model)
    {
        var candidates = node.AncestorsAndSelf().Concat(node.DescendantNodes()).OfType<InvocationExpressionSyntax>();
        foreach (var outer in candidates)
        {
            if (outer.Expression is not MemberAccessExpressionSyntax outerAccess
                || Strip(outerAccess.Expression) is not InvocationExpressionSyntax inner
                || inner.Expression is not MemberAccessExpressionSyntax innerAccess
                || model.GetTypeInfo(Strip(innerAccess.Expression)).Type?.ToDisplayString() != HttpClientBuilder
                || model.GetTypeInfo(inner).Type?.ToDisplayString() == HttpClientBuilder)
            {
                continue;
            }

            var statement = outer.FirstAncestorOrSelf<StatementSyntax>();
            if (statement is null || statement.Parent is not (BlockSyntax or GlobalStatementSyntax)
                || outer.Ancestors().TakeWhile(a => a != statement).Any(a => a is AnonymousFunctionExpressionSyntax))
            {
                return default;
            }

            var receiver = Strip(innerAccess.Expression);
            var statements = new List<StatementSyntax>();
            string name;
            if (receiver is IdentifierNameSyntax identifier)
            {
                name = identifier.Identifier.ValueText;
            }
            else
            {
                name = "httpClientBuilder";
                var body = statement.Parent.ToString();
                for (var n = 2; body.Contains(name, StringComparison.Ordinal); n++)
                {
                    name = "httpClientBuilder" + n;
                }

                statements.Add(SyntaxFactory.ParseStatement($"var {name} = {receiver.WithoutTrivia()};"));
            }

            var first = inner.ReplaceNode(innerAccess.Expression, SyntaxFactory.IdentifierName(name));
            statements.Add(SyntaxFactory.ExpressionStatement(first.WithoutTrivia()));
            var indentation = statement.GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).LastOrDefault();
            var added = statements.Select(s => s.NormalizeWhitespace().WithLeadingTrivia(indentation).WithTrailingTrivia(SyntaxFactory.EndOfLine("\n"))).ToList();
            var last = statement.ReplaceNode(outerAccess.Expression, SyntaxFactory.IdentifierName(name));
            added[0] = added[0].WithLeadingTrivia(statement.GetLeadingTrivia());
            added.Add(last.WithLeadingTrivia(indentation));
            if (statement.Parent is GlobalStatementSyntax global)
            {
                return (tree, root.ReplaceNode(global, added.Select(s => (SyntaxNode)SyntaxFactory.GlobalStatement(s))), "handlers registered one statement each");
            }

            return (tree, root.ReplaceNode(statement, added), "handlers registered one statement each");
        }

        return default;
    }

    private static ExpressionSyntax Strip(ExpressionSyntax expression)
    {
        while (true)
        {
            switch (expression)
            {
                case PostfixUnaryExpressionSyntax p when p.IsKind(SyntaxKind.SuppressNullableWarningExpression):
                    expression = p.Operand;
                    continue;
                case ParenthesizedExpressionSyntax p:
                    expression = p.Expression;
                    continue;
                default:
                    return expression;
            }
        }
    }

    /// <summary>The source without its stand-ins, with `using` directives for the real namespaces.</summary>
    public static string Rewrite(string source, List<string> dropped)
    {
        var root = (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(source, CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Preview)).GetRoot();
        var remove = new List<SyntaxNode>();
        foreach (var (member, container) in TopLevelTypes(root.Members, ""))
        {
            if (container.Length > 0 && !Namespaces.Contains(container))
            {
                continue;
            }

            var name = member switch
            {
                BaseTypeDeclarationSyntax t => t.Identifier.ValueText,
                DelegateDeclarationSyntax d => d.Identifier.ValueText,
                _ => null,
            };
            if (name is null)
            {
                continue;
            }

            if (typeNames.Contains(name))
            {
                remove.Add(member);
                dropped.Add(Qualified(container, name));
                continue;
            }

            if (member is ClassDeclarationSyntax c && c.Modifiers.Any(SyntaxKind.StaticKeyword))
            {
                var extensions = c.Members.OfType<MethodDeclarationSyntax>().Where(IsStandInExtension).ToList();
                if (extensions.Count == 0)
                {
                    continue;
                }

                if (extensions.Count == c.Members.Count)
                {
                    remove.Add(c);
                    dropped.Add(Qualified(container, name));
                }
                else
                {
                    remove.AddRange(extensions);
                    dropped.AddRange(extensions.Select(m => Qualified(container, name) + "." + m.Identifier.ValueText));
                }
            }
        }

        // Types of the case that only the stand-ins use (the options class of a stand-in overload) go with them.
        var candidates = TopLevelTypes(root.Members, "")
            .Where(t => t.Container.Length == 0 || Namespaces.Contains(t.Container))
            .Select(t => t.Member)
            .OfType<BaseTypeDeclarationSyntax>()
            .ToList();
        var names = root.DescendantNodes().OfType<SimpleNameSyntax>().ToList();
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var type in candidates.Where(t => !remove.Contains(t)))
            {
                var uses = names.Where(n => n.Identifier.ValueText == type.Identifier.ValueText && !type.Span.Contains(n.Span)).ToList();
                if (uses.Count > 0 && uses.All(u => remove.Any(r => r.Span.Contains(u.Span))))
                {
                    remove.Add(type);
                    dropped.Add(type.Identifier.ValueText + " (used by stand-ins only)");
                    changed = true;
                }
            }
        }

        root = root.RemoveNodes(remove, SyntaxRemoveOptions.KeepNoTrivia);
        while (true)
        {
            var empty = root.DescendantNodes().OfType<BaseNamespaceDeclarationSyntax>().Where(n => n.Members.Count == 0).ToList();
            if (empty.Count == 0)
            {
                break;
            }

            root = root.RemoveNodes(empty, SyntaxRemoveOptions.KeepNoTrivia);
        }

        var present = root.Usings.Select(u => u.Name?.ToString()).ToHashSet(StringComparer.Ordinal);
        var added = Namespaces.Where(n => !present.Contains(n))
            .Select(n => SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(n)).NormalizeWhitespace().WithTrailingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed));
        root = root.WithUsings(root.Usings.AddRange(added));
        return root.ToFullString().Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    private static bool IsStandInExtension(MethodDeclarationSyntax method)
    {
        var receiver = method.ParameterList.Parameters.FirstOrDefault();
        if (receiver is null || !receiver.Modifiers.Any(SyntaxKind.ThisKeyword) || !extensionNames.Contains(method.Identifier.ValueText))
        {
            return false;
        }

        var type = receiver.Type;
        while (true)
        {
            switch (type)
            {
                case NullableTypeSyntax n:
                    type = n.ElementType;
                    continue;
                case QualifiedNameSyntax q:
                    type = q.Right;
                    continue;
                case AliasQualifiedNameSyntax a:
                    type = a.Name;
                    continue;
            }

            break;
        }

        return type is SimpleNameSyntax simple && typeNames.Contains(simple.Identifier.ValueText);
    }

    private static IEnumerable<(MemberDeclarationSyntax Member, string Container)> TopLevelTypes(SyntaxList<MemberDeclarationSyntax> members, string container)
    {
        foreach (var member in members)
        {
            if (member is BaseNamespaceDeclarationSyntax ns)
            {
                foreach (var inner in TopLevelTypes(ns.Members, Qualified(container, ns.Name.ToString())))
                {
                    yield return inner;
                }
            }
            else
            {
                yield return (member, container);
            }
        }
    }

    private static string Qualified(string container, string name) => container.Length == 0 ? name : container + "." + name;
}
