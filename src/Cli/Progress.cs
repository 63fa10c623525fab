using System.Diagnostics;

namespace ResilienceAnalyzers.Cli;

/// <summary>
/// Progress on stderr, so stdout stays a clean report. On a terminal it rewrites one line; with --progress
/// into a pipe it writes a line at most every two seconds.
/// </summary>
internal sealed class Progress(TextWriter stderr, bool enabled)
{
    private readonly Stopwatch _sinceLast = Stopwatch.StartNew();
    private readonly bool _terminal = !Console.IsErrorRedirected;
    private bool _dirty;

    public bool Enabled => enabled;

    public void Report(string message)
    {
        if (!enabled)
        {
            return;
        }

        if (_terminal)
        {
            if (_sinceLast.ElapsedMilliseconds < 100 && _dirty)
            {
                return;
            }

            stderr.Write("\r\u001b[2K" + message);
            _dirty = true;
        }
        else if (_sinceLast.ElapsedMilliseconds >= 2000 || !message.EndsWith(" s", StringComparison.Ordinal))
        {
            stderr.WriteLine(message);
        }
        else
        {
            return;
        }

        _sinceLast.Restart();
    }

    public void Clear()
    {
        if (enabled && _terminal && _dirty)
        {
            stderr.Write("\r\u001b[2K");
            _dirty = false;
        }
    }
}
