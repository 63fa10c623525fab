using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Infrastructure;
using ResilienceAnalyzers.Recognition;

namespace ResilienceAnalyzers.Endpoints;

/// <summary>RES020 hard-coded single-region endpoints and RES021 long-lived HttpClients that never refresh DNS.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class EndpointAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.HardCodedSingleRegionEndpoint,
        DiagnosticDescriptors.LongLivedHttpClientIgnoresDns);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var types = KnownTypes.Create(context.Compilation);

        // RES020: endpoints in strings need no library; RegionEndpoint and AzureLocation only when their SDK is referenced.
        var regions = new RegionUsageRecognizer(types.Cloud);
        context.RegisterOperationAction(c => Report(c, types, regions.RecognizeLiteral((ILiteralOperation)c.Operation, c.ContainingSymbol)), OperationKind.Literal);
        context.RegisterOperationAction(c => Report(c, types, regions.RecognizeInterpolation((IInterpolatedStringOperation)c.Operation)), OperationKind.InterpolatedString);
        context.RegisterOperationAction(c => Report(c, types, regions.RecognizeConcatenation((IBinaryOperation)c.Operation)), OperationKind.Binary);
        context.RegisterOperationAction(c => Report(c, types, regions.RecognizeField((IFieldReferenceOperation)c.Operation, c.ContainingSymbol)), OperationKind.FieldReference);
        if (types.Cloud.AzureLocation is not null)
        {
            context.RegisterOperationAction(c => Report(c, types, regions.RecognizeProperty((IPropertyReferenceOperation)c.Operation)), OperationKind.PropertyReference);
        }

        // RES021: only where System.Net.Http is referenced and its handlers own the connections.
        if (types.Http.HttpClient is null || types.Http.UsesPlatformHandler)
        {
            return;
        }

        var clients = new HttpClientLifetimeRecognizer(types.Http);
        context.RegisterOperationAction(c => Report(c, types, clients.RecognizeClient((IObjectCreationOperation)c.Operation)), OperationKind.ObjectCreation);
        if (types.Http.HttpClientBuilderExtensions is not null || types.Http.HttpClientFactoryOptions is not null)
        {
            context.RegisterOperationAction(c => Report(c, types, clients.RecognizeInvocation((IInvocationOperation)c.Operation)), OperationKind.Invocation);
            context.RegisterOperationAction(c => Report(c, types, clients.RecognizeAssignment((ISimpleAssignmentOperation)c.Operation)), OperationKind.SimpleAssignment);
        }
    }

    private static void Report(OperationAnalysisContext context, KnownTypes types, RegionFinding? finding)
    {
        if (finding is null)
        {
            return;
        }

        var tree = context.Operation.Syntax.SyntaxTree;
        if (!types.ShouldAnalyze(context.Options, tree)
            || (finding.IsFallback && !Options.Res020FlagFallbacks.GetValue(context.Options, tree))
            || IsAllowed(finding.Mention.Code, Options.Res020AllowedRegions.GetValue(context.Options, tree))
            || RegionUsageRecognizer.NamesAnotherRegion(finding.Node, finding.Mention.Code))
        {
            return;
        }

        var properties = ImmutableDictionary<string, string?>.Empty;
        if (finding.IsServiceClientArgument)
        {
            properties = properties.Add(FixHintKeys.Rewrite, "DropRegionArgument");
        }

        context.ReportDiagnostic(Diagnostic.Create(
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
            properties = properties.Add(FixHintKeys.Rewrite, finding.Rewrite);
        }

        if (finding.Handler is not null && finding.Handler.SyntaxTree == finding.Node.SyntaxTree)
        {
            properties = properties.Add(FixHintKeys.HandlerPosition, finding.Handler.SpanStart.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.LongLivedHttpClientIgnoresDns,
            finding.Node.GetLocation(),
            properties,
            finding.Subject,
            finding.Remedy));
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
