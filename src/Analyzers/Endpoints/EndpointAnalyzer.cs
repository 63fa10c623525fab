using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;
using ResilienceAnalyzers.Libraries.Polly;

namespace ResilienceAnalyzers.Endpoints;

/// <summary>
/// RES020 hard-coded single-region endpoints, RES021 long-lived HttpClients that never refresh DNS, RES022 clients and
/// stateful Polly pipelines created per operation, RES023 DNS answers kept for the life of the process.
/// </summary>
/// <remarks>Exported through <see cref="ResilienceAnalyzer"/>, which runs the families together; this class runs one family
/// alone (tests, tools).</remarks>
#pragma warning disable RS1001 // Not exported on purpose: ResilienceAnalyzer composes the families (see its remarks).
public sealed class EndpointAnalyzer : DiagnosticAnalyzer
#pragma warning restore RS1001
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.HardCodedSingleRegionEndpoint,
        DiagnosticDescriptors.LongLivedHttpClientIgnoresDns,
        DiagnosticDescriptors.ClientCreatedPerOperation,
        DiagnosticDescriptors.DnsAnswerKeptForProcess);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    internal static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var types = KnownTypes.Create(context.Compilation);

        // RES020: endpoints in strings need no library; RegionEndpoint and AzureLocation only when their SDK is referenced.
        // RES021: only where System.Net.Http is referenced and its handlers own the connections.
        var regions = new RegionUsageRecognizer(types);
        var clients = types.Http.HttpClient is null || types.Http.UsesPlatformHandler ? null : new HttpClientLifetimeRecognizer(types.Http);
        var factory = clients is not null && (types.Http.HttpClientBuilderExtensions is not null || types.Http.HttpClientFactoryOptions is not null);

        // RES023: only where System.Net.Dns is referenced.
        // RES022 and RES023 ask about other members' code (who calls a helper, who writes a field): MemberUses answers.
        var uses = MemberUses.For(context.Compilation);
        var dns = types.Dns.Dns is null ? null : new KeptDnsAnswerRecognizer(types, uses);
        var refreshTimeout = dns is not null && types.Dns.ServicePointManager is not null;

        // The driver's cost is mostly per callback, and literals are among the most numerous operations, most of them numbers,
        // null and true/false: string literals are seen from their syntax, and their operation is asked for only when the text
        // may name a region or an endpoint (asking binds the member, which is otherwise bound outside our callbacks). A
        // constant string concatenation is judged from its first literal or field operand instead of a callback for every
        // binary operator, and only when one of its literals may name an endpoint.
        context.RegisterSyntaxNodeAction(
            c =>
            {
                var node = (LiteralExpressionSyntax)c.Node;
                var text = node.Token.ValueText;
                var sum = SyntaxShapes.SumStartedBy(node);
                if ((RegionUsageRecognizer.MayNameARegion(text) || (sum is not null && RegionUsageRecognizer.MayBeAnEndpointSum(sum)))
                    && c.ContainingSymbol is { } containingSymbol
                    && c.SemanticModel.GetOperation(node, c.CancellationToken) is ILiteralOperation literal)
                {
                    Report(c.ReportDiagnostic, c.Options, types, regions.RecognizeLiteral(literal, text, containingSymbol));
                    if (sum is not null)
                    {
                        Report(c.ReportDiagnostic, c.Options, types, ConcatenationStartingAt(literal, regions));
                    }
                }
            },
            SyntaxKind.StringLiteralExpression);
        context.RegisterOperationAction(c => Report(c, types, regions.RecognizeInterpolation((IInterpolatedStringOperation)c.Operation)), OperationKind.InterpolatedString);
        context.RegisterOperationAction(
            c =>
            {
                var reference = (IFieldReferenceOperation)c.Operation;

                // The reference's type, not the field's: the public field symbol makes a new type symbol on every ask.
                var isString = reference.Type?.SpecialType == SpecialType.System_String;
                if (!isString && !reference.Field.IsStatic)
                {
                    // Most field references: an instance field holds no region constant, and only a string one can start a
                    // concatenation.
                    return;
                }

                Report(c, types, regions.RecognizeField(reference, c.ContainingSymbol));
                if (isString)
                {
                    Report(c, types, ConcatenationStartingAt(reference, regions));
                }
            },
            OperationKind.FieldReference);

        // RES021's infinite handler lifetime and RES023's DnsRefreshTimeout = -1 are judged where they are written: the
        // assignment here, SetHandlerLifetime(...) in the invocation callback below.
        if (factory || refreshTimeout)
        {
            context.RegisterOperationAction(
                c =>
                {
                    var assignment = (ISimpleAssignmentOperation)c.Operation;
                    if (assignment.Target is not IPropertyReferenceOperation { Property.Name: "HandlerLifetime" or "DnsRefreshTimeout" })
                    {
                        return;
                    }

                    if (factory)
                    {
                        Report(c, types, clients!.RecognizeAssignment(assignment));
                    }

                    if (refreshTimeout)
                    {
                        Report(c, types, dns!.RecognizeRefreshTimeout(assignment));
                    }
                },
                OperationKind.SimpleAssignment);
        }

        if (types.Azure.AzureLocation is not null)
        {
            // Timeout.InfiniteTimeSpan is a field; no property reference needs the RES021 check.
            context.RegisterOperationAction(c => Report(c, types, regions.RecognizeProperty((IPropertyReferenceOperation)c.Operation)), OperationKind.PropertyReference);
        }

        // RES021 judges what is kept for the process, RES022 what is made and dropped per operation: one callback for both.
        var perOperation = new PerOperationClientRecognizer(types, context.Compilation, uses);
        context.RegisterOperationAction(
            c =>
            {
                var creation = (IObjectCreationOperation)c.Operation;
                if (clients is not null)
                {
                    Report(c, types, clients.RecognizeClient(creation));
                }

                Report(c, types, perOperation.RecognizeCreation(creation, c.ContainingSymbol));
            },
            OperationKind.ObjectCreation);
        // RES022's client factories and Polly policies, RES023's resolutions, RES021's SetHandlerLifetime: one invocation
        // callback, chosen by name first.
        if (perOperation.JudgesFactories || perOperation.JudgesPolicies || dns is not null || factory)
        {
            context.RegisterOperationAction(
                c =>
                {
                    var call = (IInvocationOperation)c.Operation;
                    if (factory && call.TargetMethod.Name == "SetHandlerLifetime")
                    {
                        Report(c, types, clients!.RecognizeInvocation(call));
                        return;
                    }

                    if (!IsCandidateCall(call.TargetMethod.Name, perOperation, dns))
                    {
                        return;
                    }

                    JudgeCall(c, types, call, perOperation, dns);
                },
                OperationKind.Invocation);
        }
    }

    private static bool IsCandidateCall(string name, PerOperationClientRecognizer perOperation, KeptDnsAnswerRecognizer? dns)
        => PerOperationClientRecognizer.IsCandidateFactoryName(name)
           || (perOperation.JudgesPolicies && PollyStatefulStrategies.IsCandidateName(name))
           || (dns is not null && KeptDnsAnswerRecognizer.IsCandidateName(name));

    /// <summary>RES022's client factories and Polly policies, RES023's resolutions, chosen by name first.</summary>
    private static void JudgeCall(OperationAnalysisContext context, KnownTypes types, IInvocationOperation call, PerOperationClientRecognizer perOperation, KeptDnsAnswerRecognizer? dns)
    {
        var name = call.TargetMethod.Name;
        if (PerOperationClientRecognizer.IsCandidateFactoryName(name))
        {
            Report(context, types, perOperation.RecognizeFactory(call, context.ContainingSymbol));
        }
        else if (perOperation.JudgesPolicies && PollyStatefulStrategies.IsCandidateName(name))
        {
            Report(context, types, perOperation.RecognizePolicy(call, context.ContainingSymbol));
        }
        else if (dns is not null && KeptDnsAnswerRecognizer.IsCandidateName(name))
        {
            Report(context, types, dns.RecognizeResolution(call));
        }
    }

    /// <summary>
    /// The outermost constant string concatenation around <paramref name="operand"/>, judged once: only when
    /// <paramref name="operand"/> is its first literal or field operand.
    /// </summary>
    private static RegionFinding? ConcatenationStartingAt(IOperation operand, RegionUsageRecognizer regions)
    {
        if (operand.Parent is not IBinaryOperation { OperatorKind: BinaryOperatorKind.Add, ConstantValue.HasValue: true } parent)
        {
            return null;
        }

        var top = parent;
        while (top.Parent is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add, ConstantValue.HasValue: true } outer)
        {
            top = outer;
        }

        return FirstLeaf(top) == operand ? regions.RecognizeConcatenation(top) : null;
    }

    private static IOperation? FirstLeaf(IOperation operation)
    {
        if (operation is IBinaryOperation binary)
        {
            return FirstLeaf(binary.LeftOperand) ?? FirstLeaf(binary.RightOperand);
        }

        if (operation is IConversionOperation or IParenthesizedOperation)
        {
            return FirstLeaf(operation.ChildOperations.First());
        }

        return operation is ILiteralOperation or IFieldReferenceOperation ? operation : null;
    }

    /// <summary>Reports through a delegate made of the context's ReportDiagnostic only for a finding: making one boxes the context.</summary>
    private static void Report(OperationAnalysisContext context, KnownTypes types, RegionFinding? finding)
    {
        if (finding is not null)
        {
            Report(context.ReportDiagnostic, context.Options, types, finding);
        }
    }

    private static void Report(Action<Diagnostic> report, AnalyzerOptions options, KnownTypes types, RegionFinding? finding)
    {
        if (finding is null)
        {
            return;
        }

        var tree = finding.Node.SyntaxTree;
        if (!types.ShouldAnalyze(options, tree)
            || (finding.IsFallback && !Options.Res020FlagFallbacks.GetValue(options, tree))
            || IsAllowed(finding.Mention.Code, Options.Res020AllowedRegions.GetValue(options, tree))
            || RegionUsageRecognizer.NamesAnotherRegion(finding.Node, finding.Mention.Code))
        {
            return;
        }

        var properties = ImmutableDictionary<string, string?>.Empty;
        if (finding.IsServiceClientArgument)
        {
            properties = properties.Add(EndpointFixHintKeys.Rewrite, "DropRegionArgument");
        }

        report(Diagnostic.Create(
            DiagnosticDescriptors.HardCodedSingleRegionEndpoint,
            finding.Node.GetLocation(),
            properties,
            finding.Subject,
            finding.Mention.Code));
    }

    private static void Report(OperationAnalysisContext context, KnownTypes types, HttpClientFinding? finding)
    {
        if (finding is null || !types.ShouldAnalyze(context.Options, context.Operation.Syntax.SyntaxTree))
        {
            return;
        }

        var properties = ImmutableDictionary<string, string?>.Empty;
        if (finding.Rewrite is not null)
        {
            properties = properties.Add(EndpointFixHintKeys.Rewrite, finding.Rewrite);
        }

        if (finding.Handler is not null && finding.Handler.SyntaxTree == finding.Node.SyntaxTree)
        {
            properties = properties.Add(EndpointFixHintKeys.HandlerPosition, finding.Handler.SpanStart.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.LongLivedHttpClientIgnoresDns,
            finding.Node.GetLocation(),
            properties,
            finding.Subject,
            finding.Remedy));
    }

    private static void Report(OperationAnalysisContext context, KnownTypes types, PerOperationClient? finding)
    {
        if (finding is null || !types.ShouldAnalyze(context.Options, finding.Creation.Syntax.SyntaxTree))
        {
            return;
        }

        var properties = finding.CanHoist
            ? ImmutableDictionary<string, string?>.Empty.Add(EndpointFixHintKeys.HoistToField, "true")
            : ImmutableDictionary<string, string?>.Empty;
        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.ClientCreatedPerOperation,
            finding.Location,
            properties,
            finding.Subject,
            finding.Consequence));
    }

    private static void Report(OperationAnalysisContext context, KnownTypes types, KeptDnsAnswer? finding)
    {
        if (finding is null || !types.ShouldAnalyze(context.Options, finding.Node.SyntaxTree))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.DnsAnswerKeptForProcess, finding.Node.GetLocation(), finding.Subject, finding.Remedy));
    }

    private static bool IsAllowed(string code, string[] allowed)
    {
        foreach (var region in allowed)
        {
            if (string.Equals(region, code, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
