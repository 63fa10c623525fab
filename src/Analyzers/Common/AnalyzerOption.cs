using System;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ResilienceAnalyzers.Common;

/// <summary>
/// A typed <c>.editorconfig</c> option: <c>RESnnn.&lt;name&gt;</c> for one rule,
/// <c>resilience_analyzers.&lt;name&gt;</c> for options every rule shares.
/// </summary>
public abstract class AnalyzerOption<T>
{
    protected AnalyzerOption(string key, T defaultValue)
    {
        Key = key;
        DefaultValue = defaultValue;
    }

    /// <summary>The key exactly as documented, e.g. <c>RES001.max_attempts</c>.</summary>
    public string Key { get; }

    public T DefaultValue { get; }

    /// <summary>Reads the option for a syntax tree, falling back to global options, then to the default.</summary>
    public T GetValue(AnalyzerConfigOptionsProvider provider, SyntaxTree? tree)
    {
        if (tree is not null && TryRead(provider.GetOptions(tree), out var value))
        {
            return value;
        }

        return TryRead(provider.GlobalOptions, out value) ? value : DefaultValue;
    }

    public T GetValue(AnalyzerOptions options, SyntaxTree? tree) => GetValue(options.AnalyzerConfigOptionsProvider, tree);

    /// <summary>The value set for a syntax tree or globally; false when none is set, for options whose default depends on context.</summary>
    public bool TryGetConfiguredValue(AnalyzerOptions options, SyntaxTree? tree, out T value)
    {
        var provider = options.AnalyzerConfigOptionsProvider;
        return (tree is not null && TryRead(provider.GetOptions(tree), out value)) || TryRead(provider.GlobalOptions, out value);
    }

    private bool TryRead(AnalyzerConfigOptions options, out T value)
    {
        // .editorconfig keys are matched case-insensitively by the compiler; try the documented spelling
        // and its lower-case form so either works whatever the host does.
        if ((options.TryGetValue(Key, out var text) || options.TryGetValue(Key.ToLowerInvariant(), out text))
            && TryParse(text.Trim(), out value))
        {
            return true;
        }

        value = DefaultValue;
        return false;
    }

    protected abstract bool TryParse(string text, out T value);
}

public sealed class IntOption : AnalyzerOption<int>
{
    private readonly int _minimum;

    public IntOption(string key, int defaultValue, int minimum = 0)
        : base(key, defaultValue)
    {
        _minimum = minimum;
    }

    protected override bool TryParse(string text, out int value)
    {
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value) && value >= _minimum)
        {
            return true;
        }

        value = DefaultValue;
        return false;
    }
}

public sealed class BoolOption : AnalyzerOption<bool>
{
    public BoolOption(string key, bool defaultValue)
        : base(key, defaultValue)
    {
    }

    protected override bool TryParse(string text, out bool value)
    {
        if (bool.TryParse(text, out value))
        {
            return true;
        }

        value = DefaultValue;
        return false;
    }
}

public sealed class StringListOption : AnalyzerOption<string[]>
{
    public StringListOption(string key)
        : base(key, Array.Empty<string>())
    {
    }

    protected override bool TryParse(string text, out string[] value)
    {
        value = text.Split(new[] { ',', ';' }, StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < value.Length; i++)
        {
            value[i] = value[i].Trim();
        }

        return true;
    }
}
