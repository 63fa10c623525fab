using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;

namespace ResilienceAnalyzers.Tests.Product;

/// <summary>Files of the repository the tests were built from, and the small Markdown parsing the meta-tests need.</summary>
internal static class Repository
{
    /// <summary>The repository root, recorded at build time by the test project.</summary>
    public static string Root { get; } = typeof(Repository).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot")
        .Value!;

    /// <summary>The scanner built with the tests (resilience-scan.dll of this configuration), recorded at build time.</summary>
    public static string Scanner { get; } = typeof(Repository).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "Scanner")
        .Value!;

    public static string PathOf(string relativePath) => Path.Combine(Root, relativePath.Replace('/', Path.DirectorySeparatorChar));

    public static string[] ReadLines(string relativePath) => File.ReadAllLines(PathOf(relativePath));

    /// <summary>
    /// The rows of the Markdown table whose header line is exactly <paramref name="header"/>, each split into
    /// trimmed cells; the separator row is skipped. Null when no such header exists.
    /// </summary>
    public static List<string[]>? Table(IReadOnlyList<string> lines, string header)
    {
        var start = -1;
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].Trim() == header)
            {
                start = i;
                break;
            }
        }

        if (start < 0)
        {
            return null;
        }

        var rows = new List<string[]>();
        for (var i = start + 1; i < lines.Count && lines[i].TrimStart().StartsWith("|", StringComparison.Ordinal); i++)
        {
            var cells = Cells(lines[i]);
            if (cells.All(c => c.Length > 0 && c.Trim('-', ':').Length == 0))
            {
                continue;
            }

            rows.Add(cells);
        }

        return rows;
    }

    /// <summary>The body of a <c>## Heading</c> section, up to the next <c>## </c> heading.</summary>
    public static string? Section(IReadOnlyList<string> lines, string heading)
    {
        var start = -1;
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].TrimEnd() == heading)
            {
                start = i + 1;
                break;
            }
        }

        if (start < 0)
        {
            return null;
        }

        var body = new List<string>();
        var inFence = false;
        for (var i = start; i < lines.Count; i++)
        {
            if (lines[i].StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
            }

            if (!inFence && lines[i].StartsWith("## ", StringComparison.Ordinal))
            {
                break;
            }

            body.Add(lines[i]);
        }

        return string.Join("\n", body);
    }

    /// <summary>The contents of every fenced block in <paramref name="text"/> whose info string is <paramref name="language"/>.</summary>
    public static List<string> CodeBlocks(string text, string language)
    {
        var blocks = new List<string>();
        List<string>? current = null;
        foreach (var line in text.Split('\n'))
        {
            if (current is null)
            {
                if (line.TrimEnd() == "```" + language)
                {
                    current = new List<string>();
                }
            }
            else if (line.TrimEnd() == "```")
            {
                blocks.Add(string.Join("\n", current));
                current = null;
            }
            else
            {
                current.Add(line);
            }
        }

        return blocks;
    }

    private static string[] Cells(string row)
    {
        var trimmed = row.Trim();
        if (trimmed.StartsWith("|", StringComparison.Ordinal))
        {
            trimmed = trimmed.Substring(1);
        }

        if (trimmed.EndsWith("|", StringComparison.Ordinal))
        {
            trimmed = trimmed.Substring(0, trimmed.Length - 1);
        }

        return trimmed.Split('|').Select(c => c.Trim()).ToArray();
    }
}
