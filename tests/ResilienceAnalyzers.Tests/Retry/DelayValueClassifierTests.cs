using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;
using ResilienceAnalyzers.Retry;
using ResilienceAnalyzers.Tests.Verifiers;

namespace ResilienceAnalyzers.Tests.Retry;

/// <summary>
/// The delay-value classifier on its own (DESIGN.md: recognisers are where tests of tricky shapes belong):
/// the argument of the <c>Task.Delay</c> inside a loop that counts <c>attempt</c>.
/// </summary>
public sealed class DelayValueClassifierTests
{
    [Theory]
    [InlineData("1000", false, false, JitterKind.None)]
    [InlineData("TimeSpan.FromSeconds(2)", false, false, JitterKind.None)]
    [InlineData("Fixed", false, false, JitterKind.None)]
    [InlineData("attempt * 100", true, false, JitterKind.None)]
    [InlineData("TimeSpan.FromMilliseconds(100 * Math.Pow(2, attempt))", true, false, JitterKind.None)]
    [InlineData("100 << attempt", true, false, JitterKind.None)]
    [InlineData("doubling", true, false, JitterKind.None)]
    [InlineData("Random.Shared.Next(100, 200)", false, false, JitterKind.Real)]
    [InlineData("random.Next(500, 500 + 1)", false, false, JitterKind.Fake)]
    [InlineData("random.Next(attempt, attempt + 1)", true, false, JitterKind.Fake)]
    [InlineData("random.Next(1)", false, false, JitterKind.Fake)]
    [InlineData("(int)(Random.Shared.NextDouble() * 100 * Math.Pow(2, attempt))", true, false, JitterKind.Real)]
    [InlineData("configured", false, true, JitterKind.None)]
    [InlineData("settings.DelayMs", false, true, JitterKind.None)]
    [InlineData("Helper(attempt)", true, false, JitterKind.None)]
    [InlineData("external.Next(attempt)", false, true, JitterKind.None)]
    public void Classifies(string delay, bool grows, bool unknown, JitterKind jitter)
    {
        var value = Classify(delay);
        Assert.Equal(unknown, value.IsUnknown);
        if (!unknown)
        {
            Assert.Equal(grows, value.Grows);
            Assert.Equal(jitter, value.Jitter);
        }
    }

    private static DelayValue Classify(string delay)
    {
        var source = $$"""
            using System;
            using System.Threading.Tasks;

            interface IExternal { int Next(int attempt); }
            class Settings { public int DelayMs { get; set; } }

            class C
            {
                private static readonly TimeSpan Fixed = TimeSpan.FromSeconds(1);
                private readonly Random random = new Random();
                private readonly Settings settings = new Settings();

                async Task M(int configured, IExternal external)
                {
                    var doubling = 100;
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        await Task.Delay({{delay}});
                        doubling *= 2;
                    }
                }

                static int Helper(int attempt) => 50 * attempt;
            }
            """;
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest));
        var compilation = CSharpCompilation.Create("Classify", new[] { tree }, TestReferences.For(TestLibraries.None), new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        var model = compilation.GetSemanticModel(tree);
        var loopSyntax = tree.GetRoot().DescendantNodes().OfType<ForStatementSyntax>().Single();
        var loop = (ILoopOperation)model.GetOperation(loopSyntax)!;
        var argument = loop.Descendants().OfType<IInvocationOperation>().First(i => i.TargetMethod.Name == "Delay").Arguments[0].Value;

        var counters = AttemptBoundRecognizer.FindCounters(new IOperation[] { loop });
        var scope = new RetryScope(KnownTypes.Create(compilation), OperationTree.Root(loop), loopSyntax.Span, counters);
        return DelayValueClassifier.Classify(argument, scope);
    }
}
