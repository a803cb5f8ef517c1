using ScottPlot;

namespace BandwidthOperator.Demo;

/// <summary>
/// The demo's PNG: each guest's goodput per second across the three phases, its floor as a dashed line
/// in the same colour, and the phase boundaries marked and named (ScottPlot, rendered headless by SkiaSharp).
/// </summary>
internal static class DemoChart
{
    public const int Width = 1100;
    public const int Height = 560;

    public static void Write(string path, DemoResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var guests = result.Phases[0].Guests.Select(g => g.Guest).ToList();
        double top = 0;
        for (var i = 0; i < guests.Count; i++)
        {
            var guest = guests[i];
            var color = palette.GetColor(i);
            // One line per phase: between phases the traffic stopped while the engine applied the next tree.
            foreach (var phase in result.Phases)
            {
                var points = phase.Guests[i].Samples;
                var xs = points.Select(s => s.Seconds).ToArray();
                var ys = points.Select(s => s.Rate.BitsPerSecond / 1e6).ToArray();
                top = Math.Max(top, ys.DefaultIfEmpty(0).Max());
                var line = plot.Add.ScatterLine(xs, ys, color);
                line.LineWidth = 2.5f;
                if (phase == result.Phases[0])
                {
                    line.LegendText = guest.Floor is { } f ? $"{guest.Name} (floor {f})" : $"{guest.Name} (no floor)";
                }
            }

            if (guest.Floor is { } floor)
            {
                var mbit = floor.BitsPerSecond / 1e6;
                top = Math.Max(top, mbit);
                var dashed = plot.Add.HorizontalLine(mbit, 1.5f, color, LinePattern.Dashed);
                dashed.ExcludeFromLegend = true;
            }
        }

        var end = result.Phases[^1].Start + result.Phases[^1].Length;
        foreach (var p in result.Phases)
        {
            if (p.Start > 0)
            {
                var boundary = plot.Add.VerticalLine(p.Start, 1.5f, Colors.Gray, LinePattern.Solid);
                boundary.ExcludeFromLegend = true;
            }

            var label = plot.Add.Text($"{p.Phase.Number}: {p.Phase.Name}", p.Start + (p.Length / 2), top * 1.12);
            label.LabelAlignment = Alignment.MiddleCenter;
            label.LabelFontSize = 15;
            label.LabelBold = true;
        }

        plot.Title("bandwidth-operator demo — goodput toward each guest (dashed: its floor)");
        plot.XLabel("seconds (1 s samples, each phase starts with 1 s warm-up)");
        plot.YLabel("Mbit/s");
        plot.Axes.SetLimits(0, end, 0, top * 1.2);
        plot.ShowLegend(Edge.Bottom);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        plot.SavePng(full, Width, Height);
    }
}
