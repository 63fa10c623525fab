using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Editing;

namespace ResilienceAnalyzers.CodeFixes.Common;

/// <summary>A rewrite worked out (and checked) before it is offered, applied through a <see cref="DocumentEditor"/>.</summary>
internal sealed class PlannedFix
{
    private readonly Document _document;
    private readonly Action<DocumentEditor> _edit;

    public PlannedFix(Document document, string title, Action<DocumentEditor> edit)
    {
        _document = document;
        Title = title;
        _edit = edit;
    }

    public string Title { get; }

    public async Task<Document> ApplyAsync(CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(_document, cancellationToken).ConfigureAwait(false);
        _edit(editor);

        return await Imports.AddAsync(editor.GetChangedDocument(), cancellationToken).ConfigureAwait(false);
    }
}
