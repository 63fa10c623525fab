namespace ResilienceAnalyzers.Cli;

internal static class Program
{
    private static async Task<int> Main(string[] args) => await Scanner.RunAsync(args, Console.Out, Console.Error);
}
