using System.Globalization;

namespace BandwidthOperator.Demo;

/// <summary>The table printed at the end: per guest its floor and, per phase, its goodput, the share of its floor and whether the floor held.</summary>
internal static class DemoSummary
{
    public static void Print(TextWriter w, DemoResult result, DemoOptions options, bool color)
    {
        w.WriteLine();
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Summary — goodput toward each guest (median of its per-second rates) over {options.Seconds} s per phase; a floor holds at ≥ {DemoGuest.HeldShare:0%} of it in goodput"));
        var header = string.Create(CultureInfo.InvariantCulture, $"{"GUEST",-10} {"FLOOR",6}") + string.Concat(result.Phases.Select(p => $"  {$"{p.Phase.Number} {p.Phase.Name.ToUpperInvariant()}",-26}"));
        w.WriteLine(header);
        var guests = result.Phases[0].Guests.Select(g => g.Guest).ToList();
        for (var i = 0; i < guests.Count; i++)
        {
            var g = guests[i];
            var line = string.Create(CultureInfo.InvariantCulture, $"{g.Name,-10} {g.Floor?.ToString() ?? "-",6}");
            foreach (var p in result.Phases)
            {
                var r = p.Guests[i];
                var cell = LiveTable.Mbit(r.Goodput) + (r.ShareOfFloor is { } s ? string.Create(CultureInfo.InvariantCulture, $" {100 * s,3:0}% {(r.FloorHeld ? "held" : "MISSED")}") : string.Empty);
                var padded = $"  {cell,-26}";
                if (color && g.Floor is not null)
                {
                    padded = (r.FloorHeld ? "\u001b[32m" : "\u001b[31m") + padded + "\u001b[0m";
                }

                line += padded;
            }

            w.WriteLine(line);
        }

        w.WriteLine();
        var floors = result.Phases[^1];
        if (result.FloorsHeld)
        {
            w.WriteLine($"RESULT: every floor held in phase {floors.Phase.Number} ({floors.Phase.Name}).");
        }
        else
        {
            w.WriteLine($"RESULT: floor(s) missed in phase {floors.Phase.Number} ({floors.Phase.Name}): " + string.Join(", ", floors.Guests.Where(g => !g.FloorHeld).Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Guest.Name} got {LiveTable.Mbit(g.Goodput)} of {g.Guest.Floor}"))));
        }

        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"demo took {result.Elapsed.TotalSeconds:0.0} s"));
    }
}
