using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Endpoints;

/// <summary>A hard-coded region that RES020 may report.</summary>
public sealed class RegionFinding
{
    public RegionFinding(RegionMention mention, SyntaxNode node, string subject, bool isFallback, bool isServiceClientArgument)
    {
        Mention = mention;
        Node = node;
        Subject = subject;
        IsFallback = isFallback;
        IsServiceClientArgument = isServiceClientArgument;
    }

    public RegionMention Mention { get; }

    /// <summary>The literal or member access to report on.</summary>
    public SyntaxNode Node { get; }

    /// <summary>How the message names it: <c>RegionEndpoint.USEast1</c>, <c>This endpoint</c>...</summary>
    public string Subject { get; }

    /// <summary>Used only when configuration or the environment gives no value (<c>x ?? "us-east-1"</c>).</summary>
    public bool IsFallback { get; }

    /// <summary>The region argument of an AWS service client constructor: dropping it lets the SDK resolve the region.</summary>
    public bool IsServiceClientArgument { get; }
}

/// <summary>
/// Recognises hard-coded regions: <c>RegionEndpoint</c> fields, <c>AzureLocation</c> properties, regional endpoint
/// hosts in literals and interpolated strings, and region codes that flow into a region parameter or property.
/// Comparisons, fallbacks and code that names several regions (a failover list) are told apart here.
/// </summary>
internal sealed class RegionUsageRecognizer
{
    private static readonly string[] ComparisonMethods =
    {
        "Equals", "StartsWith", "EndsWith", "Contains", "IndexOf", "LastIndexOf", "Replace", "Compare", "CompareOrdinal", "IsMatch", "Match",
    };

    private static readonly string[] RegionWords =
    {
        "Region", "RegionName", "RegionCode", "RegionId", "RegionSystemName", "Location", "LocationName", "LocationId",
    };

    private readonly KnownTypes _types;

    public RegionUsageRecognizer(KnownTypes types)
    {
        _types = types;
    }

    /// <summary><c>RegionEndpoint.USEast1</c>.</summary>
    public RegionFinding? RecognizeField(IFieldReferenceOperation reference, ISymbol containingSymbol)
    {
        var field = reference.Field;
        if (field.IsStatic && _types.Aws.RegionEndpoint is { } regionEndpoint
            && SymbolEqualityComparer.Default.Equals(field.ContainingType, regionEndpoint)
            && SymbolEqualityComparer.Default.Equals(field.Type, regionEndpoint))
        {
            var mention = new RegionMention(CloudProvider.Aws, RegionCatalog.AwsCodeOfField(field.Name));
            return MemberFinding(reference, mention, "RegionEndpoint." + field.Name);
        }

        // A string constant or a static readonly string that holds a region code and reaches a region parameter.
        if (reference.Type?.SpecialType != SpecialType.System_String || !TryGetStringValue(field, out var value)
            || RegionCatalog.Parse(value) is not { } region || WouldReportDeclaration(field))
        {
            return null;
        }

        return SinkFinding(reference, region, containingSymbol, reference.Syntax, "This region name");
    }

    /// <summary><c>AzureLocation.WestEurope</c>.</summary>
    public RegionFinding? RecognizeProperty(IPropertyReferenceOperation reference)
    {
        var property = reference.Property;
        if (!property.IsStatic || _types.Azure.AzureLocation is not { } location
            || !SymbolEqualityComparer.Default.Equals(property.ContainingType, location)
            || !SymbolEqualityComparer.Default.Equals(property.Type, location))
        {
            return null;
        }

        return MemberFinding(reference, new RegionMention(CloudProvider.Azure, property.Name.ToLowerInvariant()), "AzureLocation." + property.Name);
    }

    /// <summary>
    /// A cheap test on a string's text before its operation is asked for: true when <see cref="RecognizeLiteral"/> may find a
    /// region code or a regional endpoint in it.
    /// </summary>
    public static bool MayNameARegion(string text)
        => RegionCatalog.Parse(text) is not null || RegionalEndpointText.MayBeAnEndpoint(text);

    /// <summary>
    /// The same test for a <c>+</c> before its operation is asked for: true when one of the string literals of the constant
    /// part the sum starts with may name an endpoint (<see cref="RecognizeConcatenation"/> rejects any other sum). A sum
    /// nests to the left, so its constant part is its first operands up to the first one that cannot be a constant (a call
    /// other than <c>nameof</c>, an element access, a creation, an await): a literal after that is in no constant sum with
    /// the first one. Only the sum's own operands are read, through parentheses, and the left spine iteratively.
    /// </summary>
    public static bool MayBeAnEndpointSum(BinaryExpressionSyntax sum)
    {
        // Down the left spine the right operands come last one first: a literal that may hold an endpoint counts until an
        // operand before it is found that cannot be a constant; the first operand is reached last.
        var mayHold = false;
        ExpressionSyntax operand = sum;
        while (true)
        {
            if (operand is ParenthesizedExpressionSyntax parenthesized)
            {
                operand = parenthesized.Expression;
            }
            else if (operand is BinaryExpressionSyntax add && add.IsKind(SyntaxKind.AddExpression))
            {
                mayHold = !CannotBeConstant(add.Right) && (mayHold || MayHoldAnEndpoint(add.Right));
                operand = add.Left;
            }
            else
            {
                return mayHold || MayHoldAnEndpoint(operand);
            }
        }
    }

    /// <summary>A string literal that may be part of an endpoint, possibly inside a parenthesized sum of its own.</summary>
    private static bool MayHoldAnEndpoint(ExpressionSyntax operand)
    {
        while (operand is ParenthesizedExpressionSyntax parenthesized)
        {
            operand = parenthesized.Expression;
        }

        return operand switch
        {
            LiteralExpressionSyntax literal => literal.IsKind(SyntaxKind.StringLiteralExpression) && RegionalEndpointText.PassesPreFilter(literal.Token.ValueText),
            BinaryExpressionSyntax add when add.IsKind(SyntaxKind.AddExpression) => MayBeAnEndpointSum(add),
            _ => false,
        };
    }

    /// <summary>An operand whose value is never a compile-time constant.</summary>
    private static bool CannotBeConstant(ExpressionSyntax operand)
        => operand is ElementAccessExpressionSyntax or BaseObjectCreationExpressionSyntax or AwaitExpressionSyntax or ConditionalAccessExpressionSyntax
           || (operand is InvocationExpressionSyntax call && call.Expression is not IdentifierNameSyntax { Identifier.ValueText: "nameof" });

    /// <summary>A string literal: a regional endpoint, or a region code that flows into a region parameter or property.</summary>
    /// <param name="text">The literal's value, read once by the caller (an operation boxes its constant anew on every ask).</param>
    public RegionFinding? RecognizeLiteral(ILiteralOperation literal, string text, ISymbol containingSymbol)
    {
        if (literal.Parent is IInterpolatedStringTextOperation)
        {
            return null;
        }

        if (RegionCatalog.Parse(text) is { } region)
        {
            return SinkFinding(literal, region, containingSymbol, literal.Syntax, "This region name");
        }

        return RegionalEndpointText.Find(text) is { } endpoint ? MemberFinding(literal, endpoint, "This endpoint") : null;
    }

    /// <summary><c>$"https://{table}.dynamodb.us-east-1.amazonaws.com"</c>: holes count with their value when it is constant.</summary>
    public RegionFinding? RecognizeInterpolation(IInterpolatedStringOperation interpolation)
    {
        if (interpolation.ConstantValue.HasValue && interpolation.ConstantValue.Value is string constant)
        {
            // A constant interpolated string is also seen as a whole here; its parts are not literals of their own.
            return RegionalEndpointText.Find(constant) is { } whole ? MemberFinding(interpolation, whole, "This endpoint") : null;
        }

        // Most interpolated strings are messages: look at the text parts before building anything.
        var candidate = false;
        foreach (var part in interpolation.Parts)
        {
            candidate |= part is IInterpolatedStringTextOperation { Text.ConstantValue.Value: string piece } && RegionalEndpointText.PassesPreFilter(piece);
        }

        if (!candidate)
        {
            return null;
        }

        var text = new System.Text.StringBuilder();
        foreach (var part in interpolation.Parts)
        {
            switch (part)
            {
                case IInterpolatedStringTextOperation { Text.ConstantValue.Value: string piece }:
                    text.Append(piece);
                    break;
                case IInterpolationOperation { Alignment: null, FormatString: null } hole when ConstantText(hole.Expression) is { } value:
                    text.Append(value);
                    break;
                default:
                    text.Append(RegionalEndpointText.Hole);
                    break;
            }
        }

        return RegionalEndpointText.Find(text.ToString()) is { } endpoint ? MemberFinding(interpolation, endpoint, "This endpoint") : null;
    }

    /// <summary><c>"https://dynamodb." + Region + ".amazonaws.com"</c>: a concatenation the compiler folds into one constant.</summary>
    public RegionFinding? RecognizeConcatenation(IBinaryOperation concatenation)
    {
        if (concatenation.ConstantValue is not { HasValue: true, Value: string text }
            || concatenation.Parent is IBinaryOperation { ConstantValue.HasValue: true }
            || !RegionalEndpointText.PassesPreFilter(text))
        {
            return null;
        }

        return RegionalEndpointText.Find(text) is { } endpoint ? MemberFinding(concatenation, endpoint, "This endpoint") : null;
    }

    /// <summary>A constant, or a local written once with a string literal (<c>var region = "us-east-1";</c>).</summary>
    private static string? ConstantText(IOperation value)
    {
        if (value.ConstantValue is { HasValue: true, Value: string constant })
        {
            return constant;
        }

        if (OperationTree.Unwrap(value) is not ILocalReferenceOperation use)
        {
            return null;
        }

        string? initial = null;
        foreach (var operation in OperationTree.Descendants(OperationTree.Root(use)))
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, use.Local):
                    initial = declarator.Initializer?.Value.ConstantValue.Value as string;
                    break;
                case ILocalReferenceOperation written when SymbolEqualityComparer.Default.Equals(written.Local, use.Local)
                                                         && written.Parent is IAssignmentOperation assignment && assignment.Target == written:
                    return null;
            }
        }

        return initial;
    }

    /// <summary>
    /// True when the code around <paramref name="node"/> names a region other than <paramref name="code"/>: the
    /// enclosing member (for a field or property initializer, the enclosing type). Such code chooses between
    /// regions or fails over between them, which is what RES020 asks for.
    /// </summary>
    public static bool NamesAnotherRegion(SyntaxNode node, string code)
    {
        SyntaxNode scope = node.SyntaxTree.GetRoot();
        foreach (var ancestor in node.Ancestors())
        {
            if (ancestor is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax)
            {
                scope = ancestor;
                break;
            }

            if (ancestor is TypeDeclarationSyntax)
            {
                scope = ancestor;
                break;
            }
        }

        foreach (var candidate in scope.DescendantNodes())
        {
            var other = candidate switch
            {
                LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.StringLiteralExpression) => CodeOf(literal.Token.ValueText),
                InterpolatedStringExpressionSyntax interpolated => CodeOfInterpolation(interpolated),
                MemberAccessExpressionSyntax access => CodeOfMember(access),
                _ => null,
            };
            if (other is not null && !string.Equals(other, code, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A region-ish name: <c>Region</c>, <c>RegionName</c>, <c>AwsRegion</c>, <c>Location</c>, <c>locationId</c>, <c>AWS_REGION</c>...</summary>
    public static bool IsRegionName(string name)
    {
        var trimmed = name.TrimStart('_');
        if (trimmed.StartsWith("m_", StringComparison.Ordinal) || trimmed.StartsWith("s_", StringComparison.Ordinal))
        {
            trimmed = trimmed.Substring(2);
        }

        foreach (var word in RegionWords)
        {
            if (string.Equals(trimmed, word, StringComparison.OrdinalIgnoreCase)
                || (trimmed.Length > word.Length && trimmed.EndsWith(word, StringComparison.Ordinal))
                || trimmed.EndsWith("_" + word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A member whose name says it is a default, used when nothing else is configured.</summary>
    private static bool IsFallbackName(string name)
    {
        var trimmed = name.TrimStart('_');
        return trimmed.StartsWith("default", StringComparison.OrdinalIgnoreCase) || trimmed.StartsWith("fallback", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A field declared with a region-ish name and a region literal is reported at its declaration.</summary>
    private static bool WouldReportDeclaration(IFieldSymbol field) => IsRegionName(field.Name) && !IsFallbackName(field.Name);

    private RegionFinding? MemberFinding(IOperation operation, RegionMention mention, string subject)
    {
        if (!TryClimb(operation, out var top, out var fallback) || IsComparison(top) || InNameOf(operation) || IsGlobalServiceHome(top, mention))
        {
            return null;
        }

        return new RegionFinding(mention, operation.Syntax, subject, fallback, IsServiceClientArgument(top));
    }

    /// <summary>A region code counts only where it flows into something that takes a region.</summary>
    private RegionFinding? SinkFinding(IOperation value, RegionMention mention, ISymbol containingSymbol, SyntaxNode node, string subject)
    {
        if (!FlowsIntoRegion(value, containingSymbol, followLocal: true, out var fallback, out var top))
        {
            return null;
        }

        // RegionEndpoint.GetBySystemName("us-east-1"): the call carries the region on, maybe as a fallback.
        if (top?.Parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "GetBySystemName" } lookup })
        {
            if (!TryClimb(lookup, out top, out var lookupFallback) || IsComparison(top) || IsGlobalServiceHome(top, mention))
            {
                return null;
            }

            fallback |= lookupFallback;
        }

        return new RegionFinding(mention, node, subject, fallback, top is not null && IsServiceClientArgument(top));
    }

    /// <summary>
    /// Walks up from <paramref name="value"/> through conversions, parentheses, <c>??</c> and <c>?:</c>; false when
    /// it is the condition of a <c>?:</c>. <paramref name="top"/> is the outermost expression that carries the value.
    /// </summary>
    private static bool TryClimb(IOperation value, out IOperation top, out bool fallback)
    {
        fallback = false;
        top = value;
        while (top.Parent is { } parent)
        {
            switch (parent)
            {
                case IConversionOperation or IParenthesizedOperation:
                    break;
                case ICoalesceOperation coalesce:
                    fallback |= coalesce.WhenNull == top;
                    break;
                case IConditionalOperation { WhenFalse: not null } conditional when conditional.Condition != top:
                    var other = conditional.WhenTrue == top ? conditional.WhenFalse : conditional.WhenTrue;
                    fallback |= !other.ConstantValue.HasValue;
                    break;
                case IConditionalOperation:
                    return false;
                case ICoalesceAssignmentOperation coalesceAssignment when coalesceAssignment.Value == top:
                    fallback = true;
                    return true;
                case ISimpleAssignmentOperation assignment when assignment.Value == top && FillsInWhenMissing(assignment):
                    // if (string.IsNullOrWhiteSpace(endpoint)) endpoint = "https://westus…": the ?? of a statement.
                    fallback = true;
                    return true;
                case IInvalidOperation invalid:
                    // Passed to something that does not bind. A client whose package is missing is still judged by the
                    // name written (new AmazonBedrockRuntimeClient(RegionEndpoint.USWest2)), which tells a global
                    // service's home region apart; anything else unresolved is silent.
                    return WrittenClientName(invalid) is not null;
                default:
                    return true;
            }

            top = parent;
        }

        return true;
    }

    /// <summary>
    /// The assignment runs only when its target has no value yet: it is in an <c>if</c> whose condition asks whether that
    /// same variable is null or empty (<c>== null</c>, <c>is null</c>, <c>string.IsNullOrEmpty</c>, <c>IsNullOrWhiteSpace</c>).
    /// </summary>
    private static bool FillsInWhenMissing(ISimpleAssignmentOperation assignment)
    {
        if (OperationTree.ReferencedSymbol(assignment.Target) is not { } target)
        {
            return false;
        }

        for (var current = assignment.Parent; current is not null; current = current.Parent)
        {
            if (current is IConditionalOperation { Condition: { } condition } conditional && conditional.WhenTrue.Syntax.Span.Contains(assignment.Syntax.Span))
            {
                return OperationTree.Any(condition, o => o switch
                {
                    IInvocationOperation { TargetMethod.Name: "IsNullOrEmpty" or "IsNullOrWhiteSpace" } call
                        => call.Arguments.Length == 1 && SymbolEqualityComparer.Default.Equals(OperationTree.ReferencedSymbol(OperationTree.Unwrap(call.Arguments[0].Value)), target),
                    IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals } equals
                        => IsNullCheckOf(equals.LeftOperand, equals.RightOperand, target) || IsNullCheckOf(equals.RightOperand, equals.LeftOperand, target),
                    IIsPatternOperation { Pattern: IConstantPatternOperation { Value.ConstantValue: { HasValue: true, Value: null } } } pattern
                        => SymbolEqualityComparer.Default.Equals(OperationTree.ReferencedSymbol(OperationTree.Unwrap(pattern.Value)), target),
                    _ => false,
                });
            }

            if (current is IBlockOperation or IExpressionStatementOperation)
            {
                continue;
            }

            return false;
        }

        return false;
    }

    private static bool IsNullCheckOf(IOperation candidate, IOperation other, ISymbol target)
        => other.ConstantValue is { HasValue: true, Value: null }
           && SymbolEqualityComparer.Default.Equals(OperationTree.ReferencedSymbol(OperationTree.Unwrap(candidate)), target);

    private bool FlowsIntoRegion(IOperation value, ISymbol containingSymbol, bool followLocal, out bool fallback, out IOperation? top)
    {
        top = null;
        if (!TryClimb(value, out var carried, out fallback))
        {
            return false;
        }

        // A conversion on the way to a region type (string to AzureLocation) is a region sink by itself.
        for (var current = value.Parent; current is not null && current != carried.Parent; current = current.Parent)
        {
            if (current is IConversionOperation conversion && _types.IsRegionType(conversion.Type))
            {
                top = carried;
                return true;
            }
        }

        var parent = carried.Parent;
        switch (parent)
        {
            case IArgumentOperation { Parameter: { } parameter } argument:
                top = carried;
                return _types.IsRegionType(parameter.Type)
                       || IsRegionName(parameter.Name)
                       || (argument.Parent is IInvocationOperation { TargetMethod.Name: "GetBySystemName" } invocation
                           && SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, _types.Aws.RegionEndpoint));

            case ISimpleAssignmentOperation assignment when assignment.Value == carried:
                return IsRegionMember(assignment.Target);

            case ICoalesceAssignmentOperation coalesceAssignment:
                fallback = true;
                return IsRegionMember(coalesceAssignment.Target);

            case IFieldInitializerOperation { InitializedFields.Length: 1 } fields:
                var field = fields.InitializedFields[0];
                fallback |= IsFallbackName(field.Name);
                return IsRegionName(field.Name);

            case IPropertyInitializerOperation { InitializedProperties.Length: 1 } properties:
                var property = properties.InitializedProperties[0];
                // A settable property's initializer is a default that configuration binding overrides.
                fallback |= IsFallbackName(property.Name) || property.SetMethod is not null;
                return IsRegionName(property.Name);

            case IParameterInitializerOperation { Parameter: var defaulted }:
                fallback = true;
                return IsRegionName(defaulted.Name);

            case IReturnOperation @return:
                // string Region => "us-east-1"; string GetRegion() { return "us-east-1"; }. After other returns that
                // read configuration, the environment or a host name, the literal is the last fallback of the chain.
                fallback |= ReturnsSomethingElseFirst(@return);
                return containingSymbol is IMethodSymbol method
                       && (method.AssociatedSymbol is IPropertySymbol getterOf ? IsRegionName(getterOf.Name) : IsRegionName(method.Name));

            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } when followLocal && value is ILiteralOperation:
                return LocalFlowsIntoRegion(declarator, containingSymbol, ref fallback, out top);

            default:
                return false;
        }
    }

    /// <summary>The method has another return, before this one, whose value is not a constant.</summary>
    private static bool ReturnsSomethingElseFirst(IReturnOperation @return)
    {
        foreach (var operation in OperationTree.Descendants(OperationTree.Root(@return)))
        {
            if (operation is IReturnOperation { ReturnedValue: { } value } other
                && other != @return
                && other.Syntax.SpanStart < @return.Syntax.SpanStart
                && !value.ConstantValue.HasValue)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>var region = "us-east-1"; ... GetBySystemName(region)</c>: a local written once, read into a region sink.</summary>
    private bool LocalFlowsIntoRegion(IVariableDeclaratorOperation declarator, ISymbol containingSymbol, ref bool fallback, out IOperation? top)
    {
        top = null;
        var local = declarator.Symbol;
        var reads = new List<ILocalReferenceOperation>();
        foreach (var operation in OperationTree.Descendants(OperationTree.Root(declarator)))
        {
            if (operation is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local))
            {
                if (reference.Parent is IAssignmentOperation assignment && assignment.Target == reference
                    || reference.Parent is IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out })
                {
                    // Written again: the literal is only where it starts.
                    return false;
                }

                reads.Add(reference);
            }
        }

        foreach (var read in reads)
        {
            if (FlowsIntoRegion(read, containingSymbol, followLocal: false, out var readFallback, out top))
            {
                fallback |= readFallback;
                return true;
            }
        }

        return false;
    }

    private bool IsRegionMember(IOperation target)
        => target switch
        {
            IPropertyReferenceOperation property => IsRegionName(property.Property.Name) || _types.IsRegionType(property.Type),
            IFieldReferenceOperation field => IsRegionName(field.Field.Name) || _types.IsRegionType(field.Type),
            _ => false,
        };

    /// <summary>Compared, matched or searched for, not called: <c>region == RegionEndpoint.USEast1</c>, <c>host.EndsWith("...")</c>.</summary>
    private static bool IsComparison(IOperation top)
    {
        // Members of the value (RegionEndpoint.USEast1.SystemName) are compared too.
        while (top.Parent is IPropertyReferenceOperation property && property.Instance == top
               || top.Parent is IInvocationOperation { TargetMethod.Name: "ToString" } toString && toString.Instance == top
               || top.Parent is IConversionOperation or IParenthesizedOperation)
        {
            top = top.Parent!;
        }

        switch (top.Parent)
        {
            case IBinaryOperation { OperatorKind: not (BinaryOperatorKind.Add or BinaryOperatorKind.Concatenate) }:
            case IIsPatternOperation or IPatternOperation or ICaseClauseOperation:
                return true;
            case IInvocationOperation invocation when invocation.Instance == top:
                return Array.IndexOf(ComparisonMethods, invocation.TargetMethod.Name) >= 0;
            case IArgumentOperation { Parent: IInvocationOperation invocation }:
                return Array.IndexOf(ComparisonMethods, invocation.TargetMethod.Name) >= 0;
            default:
                return false;
        }
    }

    private static bool InNameOf(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is INameOfOperation)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The home region of a global AWS service, which its client must name: Route 53, CloudFront, IAM, Organizations,
    /// Cost Explorer, Pricing, Budgets, Shield and WAF Classic live in us-east-1, Global Accelerator in us-west-2.
    /// </summary>
    private static bool IsGlobalServiceHome(IOperation top, RegionMention mention)
    {
        if (mention.Provider != CloudProvider.Aws)
        {
            return false;
        }

        var owner = top.Parent switch
        {
            IArgumentOperation { Parent: IObjectCreationOperation creation } => creation.Type?.Name,
            ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "RegionEndpoint", Instance: { } config } } => config.Type?.Name,
            IInvalidOperation invalid => WrittenClientName(invalid),
            _ => null,
        };
        if (owner is null || !owner.StartsWith("Amazon", StringComparison.Ordinal))
        {
            return false;
        }

        var service = owner.Substring("Amazon".Length);
        service = service.EndsWith("Client", StringComparison.Ordinal) ? service.Substring(0, service.Length - "Client".Length)
            : service.EndsWith("Config", StringComparison.Ordinal) ? service.Substring(0, service.Length - "Config".Length)
            : string.Empty;
        var home = service switch
        {
            "Route53" or "Route53Domains" or "CloudFront" or "CloudFrontKeyValueStore" or "IdentityManagementService" or "Organizations"
                or "CostExplorer" or "Pricing" or "Budgets" or "Shield" or "WAF" or "Account" => "us-east-1",
            "GlobalAccelerator" => "us-west-2",
            _ => null,
        };
        return home == mention.Code;
    }

    /// <summary>
    /// The AWS client type written in an object creation that does not bind (<c>new AmazonBedrockClient(…)</c>, or
    /// <c>AmazonBedrockClient client = new(…)</c>); null for anything else.
    /// </summary>
    private static string? WrittenClientName(IInvalidOperation invalid)
    {
        TypeSyntax? type = invalid.Syntax switch
        {
            ObjectCreationExpressionSyntax creation => creation.Type,
            ImplicitObjectCreationExpressionSyntax { Parent: EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax declaration } } } => declaration.Type,
            _ => null,
        };
        var name = type switch
        {
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            _ => null,
        };
        return name is not null && name.StartsWith("Amazon", StringComparison.Ordinal) && name.EndsWith("Client", StringComparison.Ordinal) ? name : null;
    }

    /// <summary>The region argument of an AWS service client constructor (<c>new AmazonS3Client(creds, RegionEndpoint.USEast1)</c>).</summary>
    private bool IsServiceClientArgument(IOperation top)
        => top.Parent is IArgumentOperation { Parent: IObjectCreationOperation creation, Parameter.Type: var parameterType }
           && SymbolEqualityComparer.Default.Equals(parameterType, _types.Aws.RegionEndpoint)
           && _types.Aws.IsServiceClient(creation.Type)
           && (top is IFieldReferenceOperation || top is IInvocationOperation { TargetMethod.Name: "GetBySystemName" });

    /// <summary>The value of a string constant, or of a <c>static readonly</c> string initialized with a literal.</summary>
    private static bool TryGetStringValue(IFieldSymbol field, out string value)
    {
        value = string.Empty;
        if (field.HasConstantValue)
        {
            if (field.ConstantValue is string constant)
            {
                value = constant;
                return true;
            }

            return false;
        }

        // The symbol lists its declarations anew on every ask: asked once.
        if (!field.IsStatic || !field.IsReadOnly || field.DeclaringSyntaxReferences is not { Length: 1 } declarations
            || declarations[0].GetSyntax() is not VariableDeclaratorSyntax { Initializer.Value: LiteralExpressionSyntax literal }
            || !literal.IsKind(SyntaxKind.StringLiteralExpression))
        {
            return false;
        }

        value = literal.Token.ValueText;
        return true;
    }

    private static string? CodeOf(string text)
    {
        return RegionCatalog.Parse(text)?.Code ?? RegionalEndpointText.Find(text)?.Code;
    }

    private static string? CodeOfInterpolation(InterpolatedStringExpressionSyntax interpolated)
    {
        var text = new System.Text.StringBuilder();
        foreach (var content in interpolated.Contents)
        {
            if (content is InterpolatedStringTextSyntax piece)
            {
                text.Append(piece.TextToken.ValueText);
            }
            else
            {
                text.Append(RegionalEndpointText.Hole);
            }
        }

        return RegionalEndpointText.Find(text.ToString())?.Code;
    }

    private static string? CodeOfMember(MemberAccessExpressionSyntax access)
    {
        var owner = access.Expression switch
        {
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            MemberAccessExpressionSyntax qualified => qualified.Name.Identifier.ValueText,
            AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
            _ => null,
        };
        var name = access.Name.Identifier.ValueText;
        return owner switch
        {
            "RegionEndpoint" => RegionCatalog.TryGetAwsCodeOfField(name, out var code) ? code : null,
            "AzureLocation" when RegionCatalog.IsRegion(name.ToLowerInvariant(), CloudProvider.Azure) => name.ToLowerInvariant(),
            _ => null,
        };
    }
}
