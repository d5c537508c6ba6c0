using System.Diagnostics;
using Gantry.Agent.Images;

namespace Gantry.Cli;

/// <summary>
/// Draws a pull's per-layer progress on stderr like `docker pull`. On a terminal every layer keeps
/// one line, redrawn in place with a bar and bytes; when stderr is a file or pipe, a line is written
/// when a layer changes state and at most once a second while it downloads, so logs stay readable.
/// Reports arrive from several download tasks at once, hence the lock.
/// </summary>
public sealed class ImagePullProgressPrinter(TextWriter error, bool terminal) : IProgress<PullProgress>
{
    private static readonly TimeSpan DownloadLineInterval = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private readonly List<string> _order = [];
    private readonly Dictionary<string, PullProgress> _latest = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _lastLine = new(StringComparer.Ordinal);
    private int _drawn;

    public void Report(PullProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_lock)
        {
            var known = _latest.TryGetValue(value.Layer, out var previous);
            if (!known)
            {
                _order.Add(value.Layer);
            }

            _latest[value.Layer] = value;
            if (terminal)
            {
                Redraw();
                return;
            }

            var now = Stopwatch.GetTimestamp();
            var stateChanged = !known || previous!.State != value.State;
            if (stateChanged || Stopwatch.GetElapsedTime(_lastLine.GetValueOrDefault(value.Layer), now) >= DownloadLineInterval)
            {
                _lastLine[value.Layer] = now;
                error.WriteLine(Line(value, bar: false));
            }
        }
    }

    private void Redraw()
    {
        if (_drawn > 0)
        {
            error.Write($"\u001b[{_drawn}A");
        }

        foreach (var layer in _order)
        {
            error.Write("\u001b[2K");
            error.WriteLine(Line(_latest[layer], bar: true));
        }

        _drawn = _order.Count;
        error.Flush();
    }

    private static string Line(PullProgress progress, bool bar) => progress.State switch
    {
        LayerPullState.Waiting => $"{progress.Layer}: Pulling fs layer",
        LayerPullState.Downloading => $"{progress.Layer}: Downloading {(bar ? Bar(progress) + " " : "")}{Bytes(progress)}",
        LayerPullState.DownloadComplete => $"{progress.Layer}: Download complete",
        LayerPullState.PullComplete => $"{progress.Layer}: Pull complete",
        LayerPullState.AlreadyExists => $"{progress.Layer}: Already exists",
        _ => $"{progress.Layer}: {progress.State}",
    };

    private static string Bytes(PullProgress progress) =>
        progress.Total > 0 ? $"{HumanUnits.Size(progress.Current)}/{HumanUnits.Size(progress.Total)}" : HumanUnits.Size(progress.Current);

    private static string Bar(PullProgress progress)
    {
        const int width = 50;
        if (progress.Total <= 0)
        {
            return string.Empty;
        }

        var filled = (int)Math.Min(width, progress.Current * width / progress.Total);
        return "[" + new string('=', Math.Max(0, filled - 1)) + (filled > 0 ? ">" : "") + new string(' ', width - filled) + "]";
    }
}
