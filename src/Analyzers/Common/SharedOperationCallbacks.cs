using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ResilienceAnalyzers.Common;

/// <summary>
/// A compilation-start context that several rule families register on in turn: operation actions are collected and, once
/// every family has registered, each operation kind gets one callback that runs the families' actions for it in the order
/// they registered. Every other registration goes straight to the compilation's own context.
/// </summary>
internal sealed class SharedOperationCallbacks : CompilationStartAnalysisContext
{
    private readonly CompilationStartAnalysisContext _context;
    private readonly Dictionary<OperationKind, List<Action<OperationAnalysisContext>>> _byKind = new();
    private readonly List<OperationKind> _order = new();

#pragma warning disable RS1012 // The families register on this context; Register() passes their actions on to 'context'.
    public SharedOperationCallbacks(CompilationStartAnalysisContext context)
#pragma warning restore RS1012
        : base(context.Compilation, context.Options, context.CancellationToken)
    {
        _context = context;
    }

    /// <summary>Registers one callback per operation kind that any family asked for.</summary>
    public void Register()
    {
        foreach (var kind in _order)
        {
            var actions = _byKind[kind];
            if (actions.Count == 1)
            {
                _context.RegisterOperationAction(actions[0], kind);
                continue;
            }

            var all = actions.ToArray();
            _context.RegisterOperationAction(
                c =>
                {
                    foreach (var action in all)
                    {
                        action(c);
                    }
                },
                kind);
        }
    }

    public override void RegisterOperationAction(Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> operationKinds)
    {
        foreach (var kind in operationKinds)
        {
            if (!_byKind.TryGetValue(kind, out var actions))
            {
                _byKind[kind] = actions = new List<Action<OperationAnalysisContext>>();
                _order.Add(kind);
            }

            actions.Add(action);
        }
    }

    public override void RegisterCompilationEndAction(Action<CompilationAnalysisContext> action) => _context.RegisterCompilationEndAction(action);

    public override void RegisterSemanticModelAction(Action<SemanticModelAnalysisContext> action) => _context.RegisterSemanticModelAction(action);

    public override void RegisterSymbolAction(Action<SymbolAnalysisContext> action, ImmutableArray<SymbolKind> symbolKinds) => _context.RegisterSymbolAction(action, symbolKinds);

    public override void RegisterSymbolStartAction(Action<SymbolStartAnalysisContext> action, SymbolKind symbolKind) => _context.RegisterSymbolStartAction(action, symbolKind);

    public override void RegisterCodeBlockStartAction<TLanguageKindEnum>(Action<CodeBlockStartAnalysisContext<TLanguageKindEnum>> action) => _context.RegisterCodeBlockStartAction(action);

    public override void RegisterCodeBlockAction(Action<CodeBlockAnalysisContext> action) => _context.RegisterCodeBlockAction(action);

    public override void RegisterSyntaxTreeAction(Action<SyntaxTreeAnalysisContext> action) => _context.RegisterSyntaxTreeAction(action);

    public override void RegisterAdditionalFileAction(Action<AdditionalFileAnalysisContext> action) => _context.RegisterAdditionalFileAction(action);

    public override void RegisterSyntaxNodeAction<TLanguageKindEnum>(Action<SyntaxNodeAnalysisContext> action, ImmutableArray<TLanguageKindEnum> syntaxKinds) => _context.RegisterSyntaxNodeAction(action, syntaxKinds);

    public override void RegisterOperationBlockStartAction(Action<OperationBlockStartAnalysisContext> action) => _context.RegisterOperationBlockStartAction(action);

    public override void RegisterOperationBlockAction(Action<OperationBlockAnalysisContext> action) => _context.RegisterOperationBlockAction(action);
}
