using System.Globalization;

namespace BandwidthOperator.Demo;

/// <summary>The table printed at the end: per guest and direction (in, out) its floor and, per phase, its goodput, the share of its floor and whether the floor held.</summary>
internal static class DemoSummary
{
    public static void Print(TextWriter w, DemoResult result, DemoOptions options, bool color)
    {
        w.WriteLine();
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Summary — goodput of each guest (median of its per-second rates) over {options.Seconds} s per phase and direction (in: external host → guest, out: guest → external host); a floor holds at ≥ {DemoGuest.HeldShare:0%} of it in goodput"));
        var phases = result.Phases.Select(p => p.Phase).Distinct().ToList();
        var header = string.Create(CultureInfo.InvariantCulture, $"{"GUEST",-10} {"DIR",-3} {"FLOOR",6}") + string.Concat(phases.Select(p => $"  {$"{p.Number} {p.Name.ToUpperInvariant()}",-26}"));
        w.WriteLine(header);
        var guests = result.Phases[0].Guests.Select(g => g.Guest).ToList();
        foreach (var direction in new[] { DemoDirection.Inbound, DemoDirection.Outbound })
        {
            for (var i = 0; i < guests.Count; i++)
            {
                var g = guests[i];
                var floor = g.FloorFor(direction);
                var line = string.Create(CultureInfo.InvariantCulture, $"{g.Name,-10} {direction.Label(),-3} {floor?.ToString() ?? "-",6}");
                foreach (var phase in phases)
                {
                    var part = result.Phases.FirstOrDefault(p => p.Phase == phase && p.Direction == direction);
                    if (part is null)
                    {
                        line += $"  {"-",-26}";
                        continue;
                    }

                    var r = part.Guests[i];
                    var cell = LiveTable.Mbit(r.Goodput) + (r.ShareOfFloor is { } s ? string.Create(CultureInfo.InvariantCulture, $" {100 * s,3:0}% {(r.FloorHeld ? "held" : "MISSED")}") : string.Empty);
                    var padded = $"  {cell,-26}";
                    if (color && floor is not null)
                    {
                        padded = (r.FloorHeld ? "\u001b[32m" : "\u001b[31m") + padded + "\u001b[0m";
                    }

                    line += padded;
                }

                w.WriteLine(line);
            }
        }

        w.WriteLine();
        var floors = result.Phases[^1].Phase;
        if (result.FloorsHeld)
        {
            w.WriteLine($"RESULT: every floor held in phase {floors.Number} ({floors.Name}), inbound and outbound.");
        }
        else
        {
            var missed = result.FloorsPhase.SelectMany(p => p.Guests).Where(g => !g.FloorHeld);
            w.WriteLine($"RESULT: floor(s) missed in phase {floors.Number} ({floors.Name}): " + string.Join(", ", missed.Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Guest.Name} {g.Direction.Label()} got {LiveTable.Mbit(g.Goodput)} of {g.Floor}"))));
        }

        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"demo took {result.Elapsed.TotalSeconds:0.0} s"));
    }
}
