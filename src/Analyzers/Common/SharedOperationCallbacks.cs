using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ResilienceAnalyzers.Common;

/// <summary>
/// A compilation-start context that several rule families register on in turn: operation and C# syntax node actions are
/// collected and, once every family has registered, each operation kind and each syntax kind gets one callback that runs the
/// families' actions for it in the order they registered. Every other registration goes straight to the compilation's own
/// context.
/// </summary>
internal sealed class SharedOperationCallbacks : CompilationStartAnalysisContext
{
    private readonly CompilationStartAnalysisContext _context;
    private readonly Dictionary<OperationKind, List<Action<OperationAnalysisContext>>> _byKind = new();
    private readonly List<OperationKind> _order = new();
    private readonly Dictionary<SyntaxKind, List<Action<SyntaxNodeAnalysisContext>>> _bySyntaxKind = new();
    private readonly List<SyntaxKind> _syntaxOrder = new();

#pragma warning disable RS1012 // The families register on this context; Register() passes their actions on to 'context'.
    public SharedOperationCallbacks(CompilationStartAnalysisContext context)
#pragma warning restore RS1012
        : base(context.Compilation, context.Options, context.CancellationToken)
    {
        _context = context;
    }

    /// <summary>Registers one callback per operation kind and per syntax kind that any family asked for.</summary>
    public void Register()
    {
        foreach (var kind in _order)
        {
            _context.RegisterOperationAction(All(_byKind[kind]), kind);
        }

        foreach (var kind in _syntaxOrder)
        {
            _context.RegisterSyntaxNodeAction(All(_bySyntaxKind[kind]), kind);
        }
    }

    private static Action<TContext> All<TContext>(List<Action<TContext>> actions)
    {
        if (actions.Count == 1)
        {
            return actions[0];
        }

        var all = actions.ToArray();
        return c =>
        {
            foreach (var action in all)
            {
                action(c);
            }
        };
    }

    public override void RegisterOperationAction(Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> operationKinds)
    {
        foreach (var kind in operationKinds)
        {
            Add(_byKind, _order, kind, action);
        }
    }

    public override void RegisterSyntaxNodeAction<TLanguageKindEnum>(Action<SyntaxNodeAnalysisContext> action, ImmutableArray<TLanguageKindEnum> syntaxKinds)
    {
        if (syntaxKinds is not ImmutableArray<SyntaxKind> csharpKinds)
        {
            _context.RegisterSyntaxNodeAction(action, syntaxKinds);
            return;
        }

        foreach (var kind in csharpKinds)
        {
            Add(_bySyntaxKind, _syntaxOrder, kind, action);
        }
    }

    private static void Add<TKind, TContext>(Dictionary<TKind, List<Action<TContext>>> byKind, List<TKind> order, TKind kind, Action<TContext> action)
        where TKind : notnull
    {
        if (!byKind.TryGetValue(kind, out var actions))
        {
            byKind[kind] = actions = new List<Action<TContext>>();
            order.Add(kind);
        }

        actions.Add(action);
    }

    public override void RegisterCompilationEndAction(Action<CompilationAnalysisContext> action) => _context.RegisterCompilationEndAction(action);

    public override void RegisterSemanticModelAction(Action<SemanticModelAnalysisContext> action) => _context.RegisterSemanticModelAction(action);

    public override void RegisterSymbolAction(Action<SymbolAnalysisContext> action, ImmutableArray<SymbolKind> symbolKinds) => _context.RegisterSymbolAction(action, symbolKinds);

    public override void RegisterSymbolStartAction(Action<SymbolStartAnalysisContext> action, SymbolKind symbolKind) => _context.RegisterSymbolStartAction(action, symbolKind);

    public override void RegisterCodeBlockStartAction<TLanguageKindEnum>(Action<CodeBlockStartAnalysisContext<TLanguageKindEnum>> action) => _context.RegisterCodeBlockStartAction(action);

    public override void RegisterCodeBlockAction(Action<CodeBlockAnalysisContext> action) => _context.RegisterCodeBlockAction(action);

    public override void RegisterSyntaxTreeAction(Action<SyntaxTreeAnalysisContext> action) => _context.RegisterSyntaxTreeAction(action);

    public override void RegisterAdditionalFileAction(Action<AdditionalFileAnalysisContext> action) => _context.RegisterAdditionalFileAction(action);

    public override void RegisterOperationBlockStartAction(Action<OperationBlockStartAnalysisContext> action) => _context.RegisterOperationBlockStartAction(action);

    public override void RegisterOperationBlockAction(Action<OperationBlockAnalysisContext> action) => _context.RegisterOperationBlockAction(action);
}
