using System.Globalization;
using ScottPlot;

namespace BandwidthOperator.Demo;

/// <summary>
/// The demo's PNG: each guest's goodput per second across the three phases, each split into an inbound
/// part (external host → guests) and an outbound part (guests → external host); its floor in that direction
/// as a dashed line in the same colour over the part, and the phase and part boundaries marked and named (ScottPlot, rendered headless by SkiaSharp).
/// </summary>
internal static class DemoChart
{
    public const int Width = 1100;
    public const int Height = 560;

    public static void Write(string path, DemoResult result, TimeSpan warmup)
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
            // One line per part: between parts the traffic stopped (and between phases the engine applied the next tree).
            foreach (var part in result.Phases)
            {
                var points = part.Guests[i].Samples;
                var xs = points.Select(s => s.Seconds).ToArray();
                var ys = points.Select(s => s.Rate.BitsPerSecond / 1e6).ToArray();
                top = Math.Max(top, ys.DefaultIfEmpty(0).Max());
                var line = plot.Add.ScatterLine(xs, ys, color);
                line.LineWidth = 2.5f;
                if (part == result.Phases[0])
                {
                    line.LegendText = $"{guest.Name} (floor in {guest.Floor?.ToString() ?? "none"}, out {guest.OutboundFloor?.ToString() ?? "none"})";
                }

                if (part.Guests[i].Floor is { } floor)
                {
                    var mbit = floor.BitsPerSecond / 1e6;
                    top = Math.Max(top, mbit);
                    var dashed = plot.Add.Line(part.Start, mbit, part.Start + part.Length, mbit);
                    dashed.Color = color;
                    dashed.LineWidth = 1.5f;
                    dashed.LinePattern = LinePattern.Dashed;
                }
            }
        }

        var end = result.Phases[^1].Start + result.Phases[^1].Length;
        foreach (var part in result.Phases)
        {
            if (part.Start > 0)
            {
                var between = part.Direction == DemoDirection.Inbound;
                var boundary = plot.Add.VerticalLine(part.Start, between ? 1.5f : 1f, Colors.Gray, between ? LinePattern.Solid : LinePattern.Dotted);
                boundary.ExcludeFromLegend = true;
            }

            var direction = plot.Add.Text(part.Direction == DemoDirection.Inbound ? "in" : "out", part.Start + (part.Length / 2), top * 1.04);
            direction.LabelAlignment = Alignment.MiddleCenter;
            direction.LabelFontSize = 12;
        }

        foreach (var phase in result.Phases.GroupBy(p => p.Phase))
        {
            var from = phase.Min(p => p.Start);
            var to = phase.Max(p => p.Start + p.Length);
            var label = plot.Add.Text($"{phase.Key.Number}: {phase.Key.Name}", (from + to) / 2, top * 1.13);
            label.LabelAlignment = Alignment.MiddleCenter;
            label.LabelFontSize = 15;
            label.LabelBold = true;
        }

        plot.Title("bandwidth-operator demo — goodput toward (in) and from (out) each guest (dashed: its floor)");
        plot.XLabel(string.Create(CultureInfo.InvariantCulture, $"seconds (1 s samples; each phase measures inbound, then outbound, each part starting with {warmup.TotalSeconds:0} s warm-up)"));
        plot.YLabel("Mbit/s");
        plot.Axes.SetLimits(0, end, 0, top * 1.2);
        plot.ShowLegend(Edge.Bottom);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        plot.SavePng(full, Width, Height);
    }
}
