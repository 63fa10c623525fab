using System.Text.RegularExpressions;

namespace ResilienceAnalyzers.Cli;

/// <summary>
/// --exclude patterns: <c>**</c> any number of folders, <c>*</c> and <c>?</c> within one name, matched against
/// the path relative to the scanned root with '/' separators. A pattern without '/' matches any single name
/// on the path, so <c>--exclude tests</c> skips every folder called tests.
/// </summary>
internal sealed class Glob
{
    private readonly Regex _regex;
    private readonly bool _anySegment;

    public Glob(string pattern)
    {
        pattern = pattern.Replace('\\', '/').TrimStart('/');
        _anySegment = !pattern.Contains('/');
        var regex = Regex.Escape(pattern)
            .Replace(@"\*\*/", "(?:.*/)?")
            .Replace(@"/\*\*", "(?:/.*)?")
            .Replace(@"\*\*", ".*")
            .Replace(@"\*", "[^/]*")
            .Replace(@"\?", "[^/]");
        _regex = new Regex("^" + regex + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }

    public bool Matches(string relativePath)
    {
        relativePath = relativePath.Replace('\\', '/');
        if (_regex.IsMatch(relativePath))
        {
            return true;
        }

        return _anySegment && relativePath.Split('/').Any(_regex.IsMatch);
    }

    public static bool AnyMatches(IEnumerable<Glob> globs, string root, string path)
    {
        var relative = Path.GetRelativePath(root, path);
        return globs.Any(g => g.Matches(relative));
    }
}
