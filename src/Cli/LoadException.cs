namespace ResilienceAnalyzers.Cli;

/// <summary>The input could not be loaded: the scanner exits with code 2 and this message.</summary>
internal sealed class LoadException(string message) : Exception(message);
