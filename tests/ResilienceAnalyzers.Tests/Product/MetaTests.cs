using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using ResilienceAnalyzers.Common;
using ResilienceAnalyzers.Configuration;
using ResilienceAnalyzers.Tests.Verifiers;

namespace ResilienceAnalyzers.Tests.Product;

/// <summary>
/// Keeps descriptors, rule pages, README, release tracking and code fix exports consistent. Everything is
/// discovered by reflection, so a new rule or fixer is checked without touching this file.
/// </summary>
public sealed class MetaTests
{
    private static readonly string[] RequiredSections =
    {
        "## Cause",
        "## Rule description",
        "## How to fix",
        "## Examples",
        "## Configuration",
        "## When to suppress",
        "## How to suppress",
        "## Related rules",
    };

    private static readonly string[] MetadataRows = { "Category", "Default severity", "Enabled by default", "Code fix" };

    private const string ReadmeRulesHeader = "| ID | Title | Severity | Code fix |";

    private const string ReadmePinnedHeader = "| Package | Version | Why |";

    private const string RuleIndexHeader = "| ID | Analyzer and judge | Recognisers | Fixer | Tests | Page |";

    /// <summary>The target of a Markdown link, e.g. <c>[a.cs](../../src/a.cs)</c>.</summary>
    private static readonly Regex MarkdownLink = new(@"\]\(([^)]+)\)");

    private static readonly Regex IdPattern = new(@"^RES\d{3}$");

    /// <summary>An option key written in backticks, e.g. <c>`RES001.max_attempts`</c>.</summary>
    private static readonly Regex DocumentedKeyPattern = new(@"`((?:RES\d{3}|resilience_analyzers)\.[A-Za-z0-9_]+)`");

    private static readonly Assembly AnalyzerAssembly = typeof(DiagnosticDescriptors).Assembly;

    private static readonly Assembly CodeFixAssembly = Assembly.Load("ResilienceAnalyzers.CodeFixes");

    private static readonly Type[] AnalyzerTypes = AnalyzerAssembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .ToArray();

    private static readonly Type[] CodeFixTypes = CodeFixAssembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t))
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .ToArray();

    /// <summary>Every descriptor some analyzer supports, once each, ordered by id.</summary>
    private static readonly DiagnosticDescriptor[] Descriptors = AnalyzerTypes
        .SelectMany(t => ((DiagnosticAnalyzer)Activator.CreateInstance(t)!).SupportedDiagnostics)
        .Distinct()
        .OrderBy(d => d.Id, StringComparer.Ordinal)
        .ToArray();

    public static TheoryData<string> RuleIds
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var id in Descriptors.Select(d => d.Id).Distinct())
            {
                data.Add(id);
            }

            return data;
        }
    }

    [Fact]
    public void Analyzers_are_sealed_and_the_families_are_exported_once_through_the_composed_analyzer()
    {
        Assert.NotEmpty(AnalyzerTypes);
        var exported = AnalyzerTypes.Where(t => t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null).Select(t => t.Name).ToArray();
        Assert.Equal(new[] { nameof(OptionCheckAnalyzer), nameof(ResilienceAnalyzer) }, exported.OrderBy(n => n, StringComparer.Ordinal));
        foreach (var type in AnalyzerTypes)
        {
            Assert.True(type.IsSealed, $"{type.Name} should be sealed.");
            if (type.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is { } attribute)
            {
                Assert.Contains(LanguageNames.CSharp, attribute.Languages);
            }
        }

        // Every rule of a family is reported by the composed analyzer, and no id by two exported analyzers.
        var composed = new ResilienceAnalyzer().SupportedDiagnostics.Select(d => d.Id).ToHashSet();
        foreach (var family in AnalyzerTypes.Where(t => t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is null))
        {
            foreach (var descriptor in ((DiagnosticAnalyzer)Activator.CreateInstance(family)!).SupportedDiagnostics)
            {
                Assert.Contains(descriptor.Id, composed);
            }
        }

        Assert.DoesNotContain(new OptionCheckAnalyzer().SupportedDiagnostics, d => composed.Contains(d.Id));
    }

    [Fact]
    public void Rule_ids_are_unique_well_formed_and_named_in_RuleIdentifiers()
    {
        var duplicates = Descriptors.GroupBy(d => d.Id).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        Assert.True(duplicates.Length == 0, "Several descriptors share the id(s) " + string.Join(", ", duplicates));

        var constants = typeof(RuleIdentifiers)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (Name: f.Name, Id: (string)f.GetRawConstantValue()!))
            .ToArray();
        foreach (var (name, id) in constants)
        {
            Assert.True(IdPattern.IsMatch(id), $"RuleIdentifiers.{name} = \"{id}\" does not match RES + three digits.");
        }

        Assert.Equal(constants.Length, constants.Select(c => c.Id).Distinct().Count());
        foreach (var descriptor in Descriptors)
        {
            Assert.True(
                constants.Any(c => c.Id == descriptor.Id),
                $"{descriptor.Id} is not a constant in RuleIdentifiers.");
        }
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Descriptor_has_help_link_category_and_title(string id)
    {
        var descriptor = Descriptor(id);
        Assert.EndsWith($"docs/rules/{id}.md", descriptor.HelpLinkUri, StringComparison.Ordinal);
        Assert.Equal("Resilience", descriptor.Category);

        var title = descriptor.Title.ToString();
        Assert.False(string.IsNullOrWhiteSpace(title), $"{id} has no title.");
        Assert.Equal(title.Trim(), title);
        Assert.False(title.EndsWith(".", StringComparison.Ordinal), $"{id}'s title ends with a period: \"{title}\".");
        Assert.False(string.IsNullOrWhiteSpace(descriptor.MessageFormat.ToString()), $"{id} has no message.");
        Assert.False(string.IsNullOrWhiteSpace(descriptor.Description.ToString()), $"{id} has no description.");
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Rule_page_matches_descriptor_and_has_every_section(string id)
    {
        var descriptor = Descriptor(id);
        var path = $"docs/rules/{id}.md";
        Assert.True(File.Exists(Repository.PathOf(path)), $"{path} is missing.");
        var lines = Repository.ReadLines(path);

        Assert.Equal($"# {id}: {descriptor.Title}", lines[0]);

        var table = Repository.Table(lines, "| Property | Value |");
        Assert.True(table is not null, $"{path} has no '| Property | Value |' metadata table.");
        var rows = table!.ToDictionary(r => r[0], r => r.Length > 1 ? r[1] : string.Empty);
        Assert.Equal(MetadataRows, rows.Keys.ToArray());
        Assert.Equal(descriptor.Category, rows["Category"]);
        Assert.Equal(descriptor.DefaultSeverity.ToString(), rows["Default severity"]);
        Assert.Equal(descriptor.IsEnabledByDefault ? "Yes" : "No", rows["Enabled by default"]);
        Assert.Contains(rows["Code fix"], new[] { "Yes", "No" });

        var headings = lines.Where(l => l.StartsWith("## ", StringComparison.Ordinal)).Select(l => l.TrimEnd()).ToList();
        var positions = RequiredSections.Select(s => headings.IndexOf(s)).ToArray();
        for (var i = 0; i < RequiredSections.Length; i++)
        {
            Assert.True(positions[i] >= 0, $"{path} has no '{RequiredSections[i]}' section.");
            if (i > 0)
            {
                Assert.True(positions[i] > positions[i - 1], $"In {path}, '{RequiredSections[i]}' should come after '{RequiredSections[i - 1]}'.");
            }
        }

        var howToSuppress = Repository.Section(lines, "## How to suppress")!;
        Assert.Contains($"#pragma warning disable {id}", howToSuppress, StringComparison.Ordinal);
        Assert.Contains($"[SuppressMessage(\"{descriptor.Category}\", \"{id}\")]", howToSuppress, StringComparison.Ordinal);
        Assert.Contains($"dotnet_diagnostic.{id}.severity = none", howToSuppress, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Rule_page_examples_compile(string id)
    {
        var path = $"docs/rules/{id}.md";
        var examples = Repository.Section(Repository.ReadLines(path), "## Examples");
        Assert.True(examples is not null, $"{path} has no Examples section.");
        Assert.Contains("Violation", examples, StringComparison.Ordinal);
        Assert.Contains("Fix", examples, StringComparison.Ordinal);

        var blocks = Repository.CodeBlocks(examples!, "csharp");
        Assert.NotEmpty(blocks);
        var references = TestReferences.For(TestLibraries.All);
        var failures = new List<string>();
        for (var i = 0; i < blocks.Count; i++)
        {
            var tree = CSharpSyntaxTree.ParseText(blocks[i], new CSharpParseOptions(LanguageVersion.Latest));
            var compilation = CSharpCompilation.Create(
                $"{id}Example{i}",
                new[] { tree },
                references,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
            var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
            if (errors.Length > 0)
            {
                failures.Add($"C# block {i + 1} of the Examples:\n  " + string.Join("\n  ", errors.Select(e => e.ToString())));
            }
        }

        Assert.True(failures.Count == 0, $"{path}: examples do not compile.\n" + string.Join("\n", failures));
    }

    [Fact]
    public void Every_option_is_documented_on_a_rule_page_and_in_the_README()
    {
        var pages = Descriptors
            .Select(d => d.Id)
            .Distinct()
            .Where(id => File.Exists(Repository.PathOf($"docs/rules/{id}.md")))
            .ToDictionary(id => id, id => File.ReadAllText(Repository.PathOf($"docs/rules/{id}.md")));
        var readme = File.ReadAllText(Repository.PathOf("README.md"));

        foreach (var key in Options.AllKeys)
        {
            var documented = $"`{key}`";
            Assert.True(pages.Values.Any(p => p.Contains(documented, StringComparison.Ordinal)), $"No rule page documents {documented}.");
            Assert.True(readme.Contains(documented, StringComparison.Ordinal), $"README.md does not list {documented}.");

            var rule = Regex.Match(key, @"^(RES\d{3})\.");
            if (rule.Success)
            {
                var id = rule.Groups[1].Value;
                Assert.True(
                    pages.TryGetValue(id, out var page) && page.Contains(documented, StringComparison.Ordinal),
                    $"{key} belongs to {id}, so docs/rules/{id}.md must document it.");
            }
        }

        // The other direction: no page or README mentions an option that does not exist.
        foreach (var (name, text) in pages.Select(p => ($"docs/rules/{p.Key}.md", p.Value)).Append(("README.md", readme)))
        {
            foreach (Match match in DocumentedKeyPattern.Matches(text))
            {
                var key = match.Groups[1].Value;
                Assert.True(Options.AllKeys.Contains(key, StringComparer.Ordinal), $"{name} mentions `{key}`, which is not in Options.AllKeys.");
            }
        }
    }

    [Fact]
    public void Code_fix_providers_are_sealed_exported_named_and_fix_known_ids()
    {
        // Loops over whatever fixers exist, so it holds with none.
        var knownIds = new HashSet<string>(Descriptors.Select(d => d.Id));
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in CodeFixTypes)
        {
            Assert.True(type.IsSealed, $"{type.Name} should be sealed.");

            var export = type.GetCustomAttribute<ExportCodeFixProviderAttribute>();
            Assert.True(export is not null, $"{type.Name} has no [ExportCodeFixProvider].");
            Assert.Contains(LanguageNames.CSharp, export!.Languages);
            Assert.False(string.IsNullOrWhiteSpace(export.Name), $"{type.Name}'s [ExportCodeFixProvider] has no Name.");
            Assert.True(names.Add(export.Name!), $"Two code fix providers are exported as '{export.Name}'.");

            var fixer = (CodeFixProvider)Activator.CreateInstance(type)!;
            Assert.NotEmpty(fixer.FixableDiagnosticIds);
            foreach (var id in fixer.FixableDiagnosticIds)
            {
                Assert.True(knownIds.Contains(id), $"{type.Name} fixes {id}, which no analyzer reports.");
            }

            Assert.True(fixer.GetFixAllProvider() is not null, $"{type.Name} does not support Fix All.");
        }
    }

    [Fact]
    public void Readme_rules_table_lists_every_rule_with_its_title_and_severity()
    {
        var rows = Repository.Table(Repository.ReadLines("README.md"), ReadmeRulesHeader);
        Assert.True(rows is not null, $"README.md has no rules table with the header '{ReadmeRulesHeader}'.");

        var expected = Descriptors.Select(d => $"| [{d.Id}](docs/rules/{d.Id}.md) | {d.Title} | {d.DefaultSeverity} |").ToArray();
        var actual = rows!.Select(r => $"| {string.Join(" | ", r.Take(3))} |").ToArray();
        Assert.Equal(expected, actual);
        Assert.All(rows!, r => Assert.Equal(4, r.Length));
    }

    /// <summary>
    /// Expected to FAIL until code fix providers for RES001-RES003 exist in ResilienceAnalyzers.CodeFixes:
    /// the README and the rule pages already promise a code fix for them. It turns green by itself once
    /// each promised fix is exported (and stays honest if a page promises a fix that no provider offers).
    /// </summary>
    [Fact]
    public void Code_fix_Yes_in_README_and_rule_pages_matches_the_exported_fixers__red_until_the_fixers_land()
    {
        var fixedIds = new HashSet<string>(CodeFixTypes.SelectMany(t => ((CodeFixProvider)Activator.CreateInstance(t)!).FixableDiagnosticIds));
        var readmeRows = Repository.Table(Repository.ReadLines("README.md"), ReadmeRulesHeader) ?? new List<string[]>();
        var problems = new List<string>();
        foreach (var id in Descriptors.Select(d => d.Id).Distinct())
        {
            var expected = fixedIds.Contains(id) ? "Yes" : "No";

            var readme = readmeRows.FirstOrDefault(r => r[0].StartsWith($"[{id}]", StringComparison.Ordinal));
            var readmeValue = readme is { Length: 4 } ? readme[3] : "(no row)";
            if (readmeValue != expected)
            {
                problems.Add($"README.md says Code fix '{readmeValue}' for {id}, but {Describe(id, fixedIds)}.");
            }

            var page = $"docs/rules/{id}.md";
            var pageRows = File.Exists(Repository.PathOf(page)) ? Repository.Table(Repository.ReadLines(page), "| Property | Value |") : null;
            var pageValue = pageRows?.FirstOrDefault(r => r[0] == "Code fix") is { Length: > 1 } row ? row[1] : "(no row)";
            if (pageValue != expected)
            {
                problems.Add($"{page} says Code fix '{pageValue}', but {Describe(id, fixedIds)}.");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));

        static string Describe(string id, HashSet<string> fixedIds)
            => fixedIds.Contains(id)
                ? $"a CodeFixProvider in ResilienceAnalyzers.CodeFixes fixes {id}"
                : $"no CodeFixProvider in ResilienceAnalyzers.CodeFixes lists {id} in FixableDiagnosticIds";
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Rule_is_in_release_tracking(string id)
    {
        var descriptor = Descriptor(id);
        var rows = Repository.ReadLines("src/Analyzers/AnalyzerReleases.Unshipped.md")
            .Concat(Repository.ReadLines("src/Analyzers/AnalyzerReleases.Shipped.md"))
            .Select(l => l.Split('|').Select(c => c.Trim()).ToArray())
            .Where(c => c.Length >= 3 && c[0] == id)
            .ToArray();
        Assert.True(rows.Length > 0, $"{id} has no row in src/Analyzers/AnalyzerReleases.Unshipped.md or Shipped.md.");
        Assert.Contains(rows, c => c[1] == descriptor.Category && c[2] == descriptor.DefaultSeverity.ToString());
    }

    [Fact]
    public void Rule_index_lists_every_rule_and_every_path_exists()
    {
        const string indexPath = "docs/rules/README.md";
        var rows = Repository.Table(Repository.ReadLines(indexPath), RuleIndexHeader);
        Assert.True(rows is not null, $"{indexPath} has no table headed '{RuleIndexHeader}'.");
        Assert.Equal(Descriptors.Select(d => d.Id), rows!.Select(r => r[0]));

        foreach (var row in rows)
        {
            var id = row[0];
            Assert.Equal($"[{id}.md]({id}.md)", row[^1]);
            for (var column = 1; column < row.Length; column++)
            {
                var links = MarkdownLink.Matches(row[column]).Select(m => m.Groups[1].Value).ToArray();
                Assert.True(links.Length > 0 || column == 3, $"{indexPath}: {id} has nothing in column {column + 1}.");
                foreach (var link in links)
                {
                    var path = Path.GetFullPath(Path.Combine(Repository.PathOf("docs/rules"), link));
                    Assert.True(File.Exists(path), $"{indexPath}: {id} links to {link}, which does not exist.");

                    // The analyzer, fixer and test files name the rule, so that a search for the ID finds them.
                    if (column is 1 or 3 or 4)
                    {
                        Assert.True(File.ReadAllText(path).Contains(id, StringComparison.Ordinal), $"{indexPath}: {link} does not name {id}.");
                    }
                }
            }
        }
    }

    [Fact]
    public void Readme_pinned_versions_match_Directory_Packages_props()
    {
        var props = XDocument.Load(Repository.PathOf("Directory.Packages.props"));
        var properties = props.Descendants("PropertyGroup").Elements().ToDictionary(e => e.Name.LocalName, e => e.Value.Trim());
        var pinned = props.Descendants("PackageVersion")
            .ToDictionary(
                e => (string)e.Attribute("Include")!,
                e => Regex.Replace((string)e.Attribute("Version")!, @"\$\((\w+)\)", m => properties[m.Groups[1].Value]));

        var rows = Repository.Table(Repository.ReadLines("README.md"), ReadmePinnedHeader);
        Assert.True(rows is not null, $"README.md has no pinned versions table with the header '{ReadmePinnedHeader}'.");
        var documented = new Dictionary<string, string>();
        foreach (var row in rows!)
        {
            foreach (var package in row[0].Split(',').Select(p => p.Trim()))
            {
                documented[package] = row[1];
            }
        }

        Assert.Equal(
            pinned.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}"),
            documented.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}"));
    }

    [Fact]
    public void The_tool_package_has_its_own_readme_licence_and_icon_and_the_packages_are_named_in_the_README()
    {
        var cli = XDocument.Load(Repository.PathOf("src/Cli/ResilienceAnalyzers.Cli.csproj"));
        string Property(string name) => cli.Descendants(name).Single().Value.Trim();
        Assert.Equal("ResilienceAnalyzers.Scanner", Property("PackageId"));
        Assert.Equal("MIT", Property("PackageLicenseExpression"));
        Assert.Equal("README.md", Property("PackageReadmeFile"));
        Assert.Equal("icon.png", Property("PackageIcon"));
        Assert.True(File.Exists(Repository.PathOf("src/Cli/README.md")), "src/Cli/README.md, the tool package's readme, is missing.");

        var readme = File.ReadAllText(Repository.PathOf("README.md"));
        Assert.Contains("dotnet tool install --global ResilienceAnalyzers.Scanner", readme, StringComparison.Ordinal);
        Assert.Contains("dotnet pack src/Package", readme, StringComparison.Ordinal);
        Assert.Contains("dotnet add package ResilienceAnalyzers", readme, StringComparison.Ordinal);
    }

    private static DiagnosticDescriptor Descriptor(string id) => Descriptors.First(d => d.Id == id);
}
