using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Retry;

/// <summary>
/// The code a retry repeats, and what changes from one attempt to the next: where delay values and attempt
/// bounds are judged.
/// </summary>
public sealed class RetryScope
{
    private Dictionary<ISymbol, List<IOperation>>? _writes;

    public RetryScope(KnownTypes types, IOperation root, TextSpan repeatedRegion, IReadOnlyCollection<ISymbol> counters, IParameterSymbol? attemptParameter = null)
    {
        Types = types;
        Root = root;
        RepeatedRegion = repeatedRegion;
        Counters = counters;
        AttemptParameter = attemptParameter;
    }

    public KnownTypes Types { get; }

    /// <summary>The body that declares the locals a delay may read.</summary>
    public IOperation Root { get; }

    /// <summary>Code that runs once per attempt: a write inside it happens on every attempt.</summary>
    public TextSpan RepeatedRegion { get; }

    /// <summary>Locals, parameters and fields that grow on every attempt.</summary>
    public IReadOnlyCollection<ISymbol> Counters { get; }

    /// <summary>The attempt number of a Polly sleep-duration lambda or delay generator.</summary>
    public IParameterSymbol? AttemptParameter { get; }

    /// <summary>Guards that let the retry go round when true (a loop condition, a filter on a catch that goes round); the others leave when true.</summary>
    internal ISet<IOperation>? GoRoundGuards { get; init; }

    /// <summary>Which calls go out: a guard that calls out is the probe being repeated, not a limit on it.</summary>
    internal OutboundOperations? Outbound { get; init; }

    /// <summary>Inside a helper being judged: what each of its parameters was passed.</summary>
    internal IReadOnlyDictionary<IParameterSymbol, DelayValue>? Arguments { get; init; }

    /// <summary>Values of fields a delay reads, computed once per scope (a simulation reads them on every attempt).</summary>
    internal Dictionary<IFieldSymbol, double?> FieldValues { get; } = new(SymbolEqualityComparer.Default);

    internal List<IOperation>? WritesOf(ISymbol symbol)
    {
        _writes ??= IndexWrites(Root);
        return _writes.TryGetValue(symbol, out var writes) ? writes : null;
    }

    private static Dictionary<ISymbol, List<IOperation>> IndexWrites(IOperation root)
    {
        var writes = new Dictionary<ISymbol, List<IOperation>>(SymbolEqualityComparer.Default);
        foreach (var operation in OperationTree.Descendants(root))
        {
            ISymbol? target = operation switch
            {
                IVariableDeclaratorOperation declarator => declarator.Symbol,
                IAssignmentOperation assignment => OperationTree.ReferencedSymbol(assignment.Target),
                IIncrementOrDecrementOperation increment => OperationTree.ReferencedSymbol(increment.Target),
                _ => null,
            };
            if (target is ILocalSymbol)
            {
                if (!writes.TryGetValue(target, out var list))
                {
                    writes[target] = list = new List<IOperation>();
                }

                list.Add(operation);
            }
        }

        return writes;
    }
}
