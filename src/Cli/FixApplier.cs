using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using ResilienceAnalyzers.CodeFixes.Retry;

namespace ResilienceAnalyzers.Cli;

/// <summary>
/// <c>--fix</c>: the package's own fixers, applied through their Fix All as the IDE and <c>dotnet format</c> apply
/// them: one rule at a time, each on diagnostics computed after the previous rule's fixes, with the configured
/// severities (a rule turned off is not fixed) and options (<c>max_attempts</c>, brace preference). Changed files are
/// written back with the encoding they had.
/// </summary>
internal static class FixApplier
{
    private static readonly ImmutableArray<CodeFixProvider> Fixers = typeof(RetryCodeFixProvider).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t))
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    /// <summary>Fixes every project and writes the changed files; returns the changed file paths.</summary>
    public static async Task<IReadOnlyList<string>> FixAsync(IEnumerable<Project> projects, AnalyzerSet ours, IReadOnlyList<Glob> excludes, string root)
    {
        var written = new List<string>();
        foreach (var original in projects)
        {
            var solution = original.Solution;
            foreach (var id in Fixers.SelectMany(f => f.FixableDiagnosticIds).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                foreach (var fixer in Fixers.Where(f => f.FixableDiagnosticIds.Contains(id)))
                {
                    var project = solution.GetProject(original.Id)!;
                    var diagnostics = await DiagnosticsAsync(project, ours, id, excludes, root);
                    if (diagnostics.IsEmpty || fixer.GetFixAllProvider() is not { } fixAll)
                    {
                        continue;
                    }

                    var context = new FixAllContext(project, fixer, FixAllScope.Project, null!, new[] { id }, new Known(diagnostics), CancellationToken.None);
                    if (await fixAll.GetFixAsync(context) is not { } action)
                    {
                        continue;
                    }

                    var operations = await action.GetOperationsAsync(CancellationToken.None);
                    if (operations.OfType<ApplyChangesOperation>().SingleOrDefault() is { } apply)
                    {
                        solution = apply.ChangedSolution;
                    }
                }
            }

            foreach (var documentId in solution.GetChanges(original.Solution).GetProjectChanges().SelectMany(c => c.GetChangedDocuments()))
            {
                var document = solution.GetDocument(documentId)!;
                if (document.FilePath is not { } path)
                {
                    continue;
                }

                var text = await document.GetTextAsync();
                await File.WriteAllTextAsync(path, text.ToString(), new UTF8Encoding(HasByteOrderMark(path)));
                written.Add(path);
            }
        }

        return written;
    }

    /// <summary>A project for the folder-mode compilation, with the configuration files the compiler would read.</summary>
    public static Project ProjectFor(Compilation compilation, IEnumerable<string> configFiles)
    {
        var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId();
        var trees = compilation.SyntaxTrees.Where(t => File.Exists(t.FilePath)).ToList();
        var documents = trees.Select(t => DocumentInfo.Create(
            DocumentId.CreateNewId(projectId),
            Path.GetFileName(t.FilePath),
            loader: TextLoader.From(TextAndVersion.Create(t.GetText(), VersionStamp.Create(), t.FilePath)),
            filePath: t.FilePath));
        var generated = compilation.SyntaxTrees.Where(t => !File.Exists(t.FilePath)).Select(t => DocumentInfo.Create(
            DocumentId.CreateNewId(projectId),
            Path.GetFileName(t.FilePath),
            loader: TextLoader.From(TextAndVersion.Create(t.GetText(), VersionStamp.Create()))));
        var configs = configFiles.Select(path => DocumentInfo.Create(
            DocumentId.CreateNewId(projectId),
            Path.GetFileName(path),
            loader: TextLoader.From(TextAndVersion.Create(SourceText.From(File.ReadAllText(path)), VersionStamp.Create(), path)),
            filePath: path));
        var info = ProjectInfo.Create(
                projectId,
                VersionStamp.Create(),
                compilation.AssemblyName ?? "scan",
                compilation.AssemblyName ?? "scan",
                LanguageNames.CSharp,
                compilationOptions: compilation.Options.WithSyntaxTreeOptionsProvider(null),
                parseOptions: trees.FirstOrDefault()?.Options,
                documents: documents.Concat(generated),
                metadataReferences: compilation.References)
            .WithAnalyzerConfigDocuments(configs);
        return workspace.AddProject(info);
    }

    private static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(Project project, AnalyzerSet ours, string id, IReadOnlyList<Glob> excludes, string root)
    {
        var compilation = await project.GetCompilationAsync();
        if (compilation is null)
        {
            return ImmutableArray<Diagnostic>.Empty;
        }

        var analyzers = ours.Analyzers.Where(a => a.SupportedDiagnostics.Any(d => d.Id == id)).ToImmutableArray();
        var options = new CompilationWithAnalyzersOptions(project.AnalyzerOptions, onAnalyzerException: null, concurrentAnalysis: true, logAnalyzerExecutionTime: false);
        var diagnostics = await compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync(CancellationToken.None);
        return diagnostics
            .Where(d => d.Id == id && d.Location.IsInSource && d.Severity != DiagnosticSeverity.Hidden)
            .Where(d => !Glob.AnyMatches(excludes, root, d.Location.SourceTree!.FilePath))
            .ToImmutableArray();
    }

    private static bool HasByteOrderMark(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> start = stackalloc byte[3];
        return stream.Read(start) == 3 && start[0] == 0xEF && start[1] == 0xBB && start[2] == 0xBF;
    }

    /// <summary>The diagnostics already computed for one rule.</summary>
    private sealed class Known : FixAllContext.DiagnosticProvider
    {
        private readonly ImmutableArray<Diagnostic> _diagnostics;

        public Known(ImmutableArray<Diagnostic> diagnostics)
        {
            _diagnostics = diagnostics;
        }

        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => Task.FromResult<IEnumerable<Diagnostic>>(_diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
            => Task.FromResult<IEnumerable<Diagnostic>>(_diagnostics.Where(d => d.Location.SourceTree?.FilePath == document.FilePath).ToList());

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => Task.FromResult<IEnumerable<Diagnostic>>(_diagnostics);
    }
}
