using System;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ResilienceAnalyzers.Common;

/// <summary>What the option check (RES000) needs of every option, whatever its type.</summary>
public interface IAnalyzerOption
{
    /// <summary>The key exactly as documented, e.g. <c>RES001.max_attempts</c>.</summary>
    string Key { get; }

    /// <summary>What a valid value looks like, for the message: "a whole number of at least 1".</summary>
    string Expected { get; }

    /// <summary>The default, as it would be written in <c>.editorconfig</c>.</summary>
    string DefaultText { get; }

    /// <summary>The value set in <paramref name="options"/> when it is set and cannot be read.</summary>
    bool TryGetInvalid(AnalyzerConfigOptions options, out string text);
}

/// <summary>
/// A typed <c>.editorconfig</c> option: <c>RESnnn.&lt;name&gt;</c> for one rule,
/// <c>resilience_analyzers.&lt;name&gt;</c> for options every rule shares.
/// </summary>
public abstract class AnalyzerOption<T> : IAnalyzerOption
{
    // .editorconfig keys are matched case-insensitively by the compiler; the documented spelling and its lower-case form
    // are both tried so either works whatever the host does. Lowered once: options are read on hot paths.
    private readonly string? _lowerKey;

    protected AnalyzerOption(string key, T defaultValue)
    {
        Key = key;
        DefaultValue = defaultValue;
        var lower = key.ToLowerInvariant();
        _lowerKey = lower == key ? null : lower;
    }

    /// <inheritdoc/>
    public string Key { get; }

    public T DefaultValue { get; }

    /// <inheritdoc/>
    public abstract string Expected { get; }

    /// <inheritdoc/>
    public virtual string DefaultText => DefaultValue?.ToString() ?? "";

    /// <inheritdoc/>
    public bool TryGetInvalid(AnalyzerConfigOptions options, out string text)
    {
        if (TryGetText(options, out var value) && !TryParse(value.Trim(), out _))
        {
            text = value;
            return true;
        }

        text = "";
        return false;
    }

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
        if (TryGetText(options, out var text) && TryParse(text.Trim(), out value))
        {
            return true;
        }

        value = DefaultValue;
        return false;
    }

    private bool TryGetText(AnalyzerConfigOptions options, out string text)
    {
        if (options.TryGetValue(Key, out var value) || (_lowerKey is not null && options.TryGetValue(_lowerKey, out value)))
        {
            text = value;
            return true;
        }

        text = "";
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

    public override string Expected => $"a whole number of at least {_minimum.ToString(CultureInfo.InvariantCulture)}";

    public override string DefaultText => DefaultValue.ToString(CultureInfo.InvariantCulture);

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

    public override string Expected => "true or false";

    public override string DefaultText => DefaultValue ? "true" : "false";

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

    public override string Expected => "a comma-separated list";

    public override string DefaultText => "empty";

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
