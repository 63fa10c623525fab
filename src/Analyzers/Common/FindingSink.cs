using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ResilienceAnalyzers.Common;

/// <summary>
/// What a family's operation callback reads from its context and where its findings go: the callback's own context, or the
/// compilation end's when an operation is judged again there (<see cref="MemberUses.Deferred"/>). One code path serves both.
/// </summary>
internal readonly struct FindingSink
{
    private readonly OperationAnalysisContext _callback;
    private readonly CompilationAnalysisContext _end;
    private readonly bool _atTheEnd;

    public FindingSink(OperationAnalysisContext callback)
    {
        _callback = callback;
        _end = default;
        _atTheEnd = false;
        Operation = callback.Operation;
        ContainingSymbol = callback.ContainingSymbol;
    }

    public FindingSink(CompilationAnalysisContext end, IOperation operation, ISymbol containingSymbol)
    {
        _callback = default;
        _end = end;
        _atTheEnd = true;
        Operation = operation;
        ContainingSymbol = containingSymbol;
    }

    public IOperation Operation { get; }

    public ISymbol ContainingSymbol { get; }

    public AnalyzerOptions Options => _atTheEnd ? _end.Options : _callback.Options;

    public CancellationToken CancellationToken => _atTheEnd ? _end.CancellationToken : _callback.CancellationToken;

    public void ReportDiagnostic(Diagnostic diagnostic)
    {
        if (_atTheEnd)
        {
            _end.ReportDiagnostic(diagnostic);
        }
        else
        {
            _callback.ReportDiagnostic(diagnostic);
        }
    }
}
