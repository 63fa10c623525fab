using System.Runtime.InteropServices;

namespace ResilienceAnalyzers.Cli;

/// <summary>
/// The framework reference assemblies of the SDK installed beside the running runtime: the runtime lives in
/// &lt;dotnet root&gt;/shared/Microsoft.NETCore.App/&lt;version&gt;, the packs in &lt;dotnet root&gt;/packs.
/// </summary>
internal static class ReferencePacks
{
    public static string DotnetRoot
    {
        get
        {
            var runtimeDirectory = RuntimeEnvironment.GetRuntimeDirectory().TrimEnd(Path.DirectorySeparatorChar);
            return Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", ".."));
        }
    }

    /// <summary>The ref/net* folder of the newest version of a targeting pack, or null when the SDK has none.</summary>
    public static string? Find(string packName)
    {
        var pack = Path.Combine(DotnetRoot, "packs", packName);
        if (!Directory.Exists(pack))
        {
            return null;
        }

        foreach (var version in Directory.GetDirectories(pack).OrderByDescending(d => VersionKey(Path.GetFileName(d))))
        {
            var refFolder = Path.Combine(version, "ref");
            if (!Directory.Exists(refFolder))
            {
                continue;
            }

            var tfm = Directory.GetDirectories(refFolder).OrderByDescending(d => VersionKey(Path.GetFileName(d).TrimStart('n', 'e', 't'))).FirstOrDefault();
            if (tfm is not null)
            {
                return tfm;
            }
        }

        return null;
    }

    /// <summary>Sorts "10.0.1" above "9.0.4" and a release above its previews.</summary>
    public static (Version Version, bool Release) VersionKey(string text)
    {
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        var core = dash < 0 ? text : text[..dash];
        return (Version.TryParse(core, out var version) ? version : new Version(0, 0), dash < 0);
    }
}
