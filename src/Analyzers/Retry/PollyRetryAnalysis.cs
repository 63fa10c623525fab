using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Infrastructure;
using ResilienceAnalyzers.Recognition;

namespace ResilienceAnalyzers.Retry;

/// <summary>RES001-RES003 for Polly v7 policies, Polly v8 retry options and Microsoft.Extensions.Http.Resilience.</summary>
internal sealed class PollyRetryAnalysis
{
    private readonly RetryRecognitionContext _recognition;
    private readonly RetryJudge _judge;

    private PollyRetryAnalysis(RetryRecognitionContext recognition, RetryJudge judge)
    {
        _recognition = recognition;
        _judge = judge;
    }

    /// <summary>Null when no Polly is referenced: then nothing Polly-related is registered or run.</summary>
    public static PollyRetryAnalysis? TryCreate(RetryRecognitionContext recognition, RetryJudge judge)
        => recognition.Types.Polly.HasV7 || recognition.Types.Polly.HasV8 ? new PollyRetryAnalysis(recognition, judge) : null;

    /// <summary>Polly v7 retry policies, and standard-handler configure lambdas.</summary>
    public void OnInvocation(OperationAnalysisContext context)
    {
        if (context.Operation is not IInvocationOperation { TargetMethod: { } method } invocation)
        {
            return;
        }

        var types = _recognition.Types;
        if (PollyV7PolicyRecognizer.IsCandidateName(method.Name))
        {
            if (types.Polly.HasV7 && _judge.ShouldAnalyze(context.Options, invocation.Syntax.SyntaxTree)
                && PollyV7PolicyRecognizer.Recognize(invocation, types) is { } policy)
            {
                Report(context, policy);
            }
        }
        else if (PollyOptionsRecognizer.IsCandidateConfigureName(method.Name))
        {
            if (types.Polly.HttpStandardResilienceOptions is not null && _judge.ShouldAnalyze(context.Options, invocation.Syntax.SyntaxTree)
                && PollyOptionsRecognizer.RecognizeStandardHandler(invocation, types) is { } options)
            {
                Report(context, options);
            }
        }
    }

    /// <summary>Polly v8 retry options created with <c>new</c>: what the creation itself (the <c>new</c>, the initializer) shows.</summary>
    public void OnObjectCreation(OperationAnalysisContext context)
    {
        if (context.Operation is IObjectCreationOperation { Type: { } type } creation
            && PollyOptionsRecognizer.IsCandidateTypeName(type.Name)
            && _judge.ShouldAnalyze(context.Options, creation.Syntax.SyntaxTree)
            && PollyOptionsRecognizer.Recognize(creation, _recognition.Types) is { } options)
        {
            Report(context, options);
        }
    }

    /// <summary>
    /// A later <c>options.Setting = ...</c> on a local holding Polly v8 options. Its diagnostics are reported from
    /// here rather than from the creation: the compiler counts a diagnostic outside the operation being analysed
    /// as non-local, which the IDE neither shows live nor offers fixes for.
    /// </summary>
    public void OnSimpleAssignment(OperationAnalysisContext context)
    {
        if (context.Operation is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Instance: ILocalReferenceOperation } property } assignment
            && PollyOptionsRecognizer.IsSettingName(property.Property.Name)
            && _judge.ShouldAnalyze(context.Options, assignment.Syntax.SyntaxTree)
            && PollyOptionsRecognizer.RecognizeAssigned(assignment, _recognition.Types) is { } options)
        {
            Report(context, options);
        }
    }

    private static void Report(OperationAnalysisContext context, PollyV7Policy policy)
    {
        var properties = ImmutableDictionary.CreateBuilder<string, string?>();
        properties[FixHintKeys.Construct] = nameof(RetryConstructKind.PollyV7);
        properties[FixHintKeys.Forever] = policy.IsForever ? "true" : "false";
        AddPosition(properties, FixHintKeys.CountArgument, policy.CountArgument);
        AddPosition(properties, FixHintKeys.DelayArgument, policy.DelayArgument);
        if (policy.RetryCount is { } count)
        {
            properties[FixHintKeys.RetryCount] = count.ToString(CultureInfo.InvariantCulture);
        }

        var hints = properties.ToImmutable();
        var subject = "'" + policy.MethodName + "'";
        if (policy.IsForever || (policy.RetryCount is { } retries && ExceedsLimit(retries, context)))
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.RetryHasNoAttemptLimit, policy.NameLocation, hints, subject));
        }

        RetryJudge.ReportDelay(context.ReportDiagnostic, policy.Delay, policy.NameLocation, hints, subject);
    }

    private static void Report(OperationAnalysisContext context, PollyOptionsModel options)
    {
        // Each diagnostic goes out from the operation it points at (see OnSimpleAssignment).
        var analysed = context.Operation.Syntax.Span;
        void ReportHere(Diagnostic diagnostic)
        {
            if (analysed.Contains(diagnostic.Location.SourceSpan))
            {
                context.ReportDiagnostic(diagnostic);
            }
        }

        var hints = FixHints(options);
        if (options.MaxRetryAttempts.Value is { } attempts && ExceedsLimit(attempts, context)
            && (options.MaxRetryAttempts.Assignment?.GetLocation() ?? options.CreationLocation) is { } limitLocation)
        {
            var setting = options.MaxRetryAttempts.IsDefault ? "Default" : "MaxRetryAttempts";
            ReportHere(Diagnostic.Create(DiagnosticDescriptors.RetryHasNoAttemptLimit, limitLocation, hints.SetItem(FixHintKeys.Setting, setting), options.Subject));
        }

        if (DelayVerdict(options, out var faulty, out var at) is { } delay && (at?.GetLocation() ?? options.CreationLocation) is { } delayLocation)
        {
            RetryJudge.ReportDelay(ReportHere, delay, delayLocation, hints.SetItem(FixHintKeys.Setting, at is null ? "Default" : faulty), options.Subject);
        }
    }

    /// <summary>One verdict per options object, so RES002 and RES003 never both fire on it.</summary>
    private static DelayModel? DelayVerdict(PollyOptionsModel options, out string setting, out SyntaxNode? at)
    {
        if (options.DelayGenerator is { } generator)
        {
            // The generator's delay wins over the backoff settings (Polly 8: BackoffType is ignored when it is set).
            setting = "DelayGenerator";
            at = options.DelayGeneratorAssignment;
            return at is null ? null : generator;
        }

        if (options.DelayMilliseconds.Value == 0)
        {
            setting = "Delay";
            at = options.DelayMilliseconds.Assignment;
            return DelayModel.Immediate;
        }

        setting = "BackoffType";
        at = options.BackoffType.Assignment;
        switch (options.BackoffType.Value)
        {
            case BackoffKind.Constant:
                return new DelayModel(DelayKind.Constant, JitterKind.None, location: null);
            case BackoffKind.Linear or BackoffKind.Exponential when options.UseJitter.Value == false:
                if (options.UseJitter.Assignment is { } jitter)
                {
                    setting = "UseJitter";
                    at = jitter;
                }

                return new DelayModel(DelayKind.Growing, JitterKind.None, location: null);
            default:
                return null;
        }
    }

    private static ImmutableDictionary<string, string?> FixHints(PollyOptionsModel options)
    {
        var properties = ImmutableDictionary.CreateBuilder<string, string?>();
        properties[FixHintKeys.Construct] = nameof(RetryConstructKind.PollyV8);
        if (options.Creation is { } creation)
        {
            AddPosition(properties, FixHintKeys.CreationPosition, creation.SpanStart);
        }

        var missing = new System.Collections.Generic.List<string>(2);
        if (options.BackoffType.Value is BackoffKind.Constant or BackoffKind.Linear)
        {
            if (options.BackoffType.Assignment is { } backoff)
            {
                AddPosition(properties, FixHintKeys.BackoffTypePosition, backoff.SpanStart);
            }
            else
            {
                missing.Add("BackoffType");
            }
        }

        if (options.UseJitter.Value == false)
        {
            if (options.UseJitter.Assignment is { } jitter)
            {
                AddPosition(properties, FixHintKeys.UseJitterPosition, jitter.SpanStart);
            }
            else
            {
                missing.Add("UseJitter");
            }
        }

        if (options.DelayMilliseconds is { Value: 0, Assignment: { } delay })
        {
            AddPosition(properties, FixHintKeys.DelaySettingPosition, delay.SpanStart);
        }

        if (missing.Count > 0 && options.Creation is not null)
        {
            properties[FixHintKeys.MissingSettings] = string.Join(",", missing);
        }

        return properties.ToImmutable();
    }

    private static bool ExceedsLimit(int attempts, OperationAnalysisContext context)
        => attempts == int.MaxValue || attempts > Options.Res001MaxAttempts.GetValue(context.Options, context.Operation.Syntax.SyntaxTree);

    private static void AddPosition(ImmutableDictionary<string, string?>.Builder properties, string key, int position)
    {
        if (position >= 0)
        {
            properties[key] = position.ToString(CultureInfo.InvariantCulture);
        }
    }
}
