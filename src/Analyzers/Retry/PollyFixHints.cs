using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using ResilienceAnalyzers.Libraries.Polly;

namespace ResilienceAnalyzers.Retry;

/// <summary>The <see cref="Microsoft.CodeAnalysis.Diagnostic.Properties"/> the Polly fixes read: they never re-run recognition.</summary>
internal static class PollyFixHints
{
    /// <summary>Polly v7: where the count and the sleep durations are in the argument list.</summary>
    public static ImmutableDictionary<string, string?> For(PollyV7Policy policy)
    {
        var properties = ImmutableDictionary.CreateBuilder<string, string?>();
        properties[RetryFixHintKeys.Construct] = nameof(RetryConstructKind.PollyV7);
        properties[RetryFixHintKeys.Forever] = policy.IsForever ? "true" : "false";
        AddPosition(properties, RetryFixHintKeys.CountArgument, policy.CountArgument);
        AddPosition(properties, RetryFixHintKeys.DelayArgument, policy.DelayArgument);
        if (policy.RetryCount is { } count)
        {
            properties[RetryFixHintKeys.RetryCount] = count.ToString(CultureInfo.InvariantCulture);
        }

        return properties.ToImmutable();
    }

    /// <summary>Polly v8: where the faulty settings are, and which defaults the fix must write out.</summary>
    public static ImmutableDictionary<string, string?> For(PollyOptionsModel options)
    {
        var properties = ImmutableDictionary.CreateBuilder<string, string?>();
        properties[RetryFixHintKeys.Construct] = nameof(RetryConstructKind.PollyV8);
        if (options.Creation is { } creation)
        {
            AddPosition(properties, RetryFixHintKeys.CreationPosition, creation.SpanStart);
        }

        var missing = new List<string>(2);
        if (options.BackoffType.Value is BackoffKind.Constant or BackoffKind.Linear)
        {
            if (options.BackoffType.Assignment is { } backoff)
            {
                AddPosition(properties, RetryFixHintKeys.BackoffTypePosition, backoff.SpanStart);
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
                AddPosition(properties, RetryFixHintKeys.UseJitterPosition, jitter.SpanStart);
            }
            else
            {
                missing.Add("UseJitter");
            }
        }

        if (options.DelayMilliseconds is { Value: 0, Assignment: { } delay })
        {
            AddPosition(properties, RetryFixHintKeys.DelaySettingPosition, delay.SpanStart);
        }

        if (missing.Count > 0 && options.Creation is not null)
        {
            properties[RetryFixHintKeys.MissingSettings] = string.Join(",", missing);
        }

        return properties.ToImmutable();
    }

    private static void AddPosition(ImmutableDictionary<string, string?>.Builder properties, string key, int position)
    {
        if (position >= 0)
        {
            properties[key] = position.ToString(CultureInfo.InvariantCulture);
        }
    }
}
