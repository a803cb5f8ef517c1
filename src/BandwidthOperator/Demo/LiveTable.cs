using System.Globalization;
using BandwidthOperator.Api.Quantities;

namespace BandwidthOperator.Demo;

/// <summary>
/// The per-second view of one part (inbound or outbound) of a phase: on a terminal a table redrawn in place (floor, rate now, whether the
/// floor holds now); piped, one plain line per second. <see cref="Finish"/> prints the phase's goodput.
/// </summary>
internal sealed class LiveTable(TextWriter output, DemoOptions options, IReadOnlyList<DemoGuest> guests, DemoPhase phase, DemoDirection direction, double phaseSeconds)
{
    private const string Green = "\u001b[32m";
    private const string Red = "\u001b[31m";
    private const string Reset = "\u001b[0m";
    private int _drawn;

    public void Update(TimeSpan at, IReadOnlyList<BitRate> rates)
    {
        var t = at.TotalSeconds;
        var warm = t <= options.Warmup.TotalSeconds + 0.05 ? " (warm-up)" : string.Empty;
        if (!options.Live)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  phase {phase.Number} {direction.Label(),-3} t={t,4:0.0}s{warm}  ") +
                string.Join("  ", guests.Select((g, i) => $"{g.Name} {Mbit(rates[i])}")));
            return;
        }

        if (_drawn > 0)
        {
            output.Write($"\u001b[{_drawn}A");
        }

        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"  {(direction == DemoDirection.Inbound ? "inbound (external host → guests)" : "outbound (guests → external host)")}  t = {t,4:0.0} s of {phaseSeconds:0} s{warm}"),
            string.Create(CultureInfo.InvariantCulture, $"  {"GUEST",-10} {"STREAMS",7} {"FLOOR",8} {"NOW",14}  FLOOR NOW"),
        };
        for (var i = 0; i < guests.Count; i++)
        {
            var g = guests[i];
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"  {g.Name,-10} {g.Streams,7} {g.FloorFor(direction)?.ToString() ?? "-",8} {Mbit(rates[i]),14}  {Verdict(g, rates[i], phase.Request is not null)}"));
        }

        foreach (var l in lines)
        {
            output.Write("\u001b[2K");
            output.WriteLine(l);
        }

        output.Flush();
        _drawn = lines.Count;
    }

    public void Finish(IReadOnlyList<DemoGuestResult> results)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  phase {phase.Number} {direction.Label()} goodput over {options.Seconds} s: ") +
            string.Join(", ", results.Select(r => $"{r.Guest.Name} {Mbit(r.Goodput)}" + (r.Floor is { } f ? string.Create(CultureInfo.InvariantCulture, $" ({100 * r.ShareOfFloor:0}% of floor {f}, {(r.FloorHeld ? "held" : "missed")})") : string.Empty))));
        output.Flush();
    }

    internal static string Mbit(BitRate rate) => string.Create(CultureInfo.InvariantCulture, $"{rate.BitsPerSecond / 1e6:0.0} Mbit/s");

    private string Verdict(DemoGuest g, BitRate rate, bool shaped)
    {
        if (g.FloorFor(direction) is null)
        {
            return "-";
        }

        var held = g.Held(direction, rate);
        var text = held ? "held" : "missed";
        if (!shaped)
        {
            text += " (no tree)";
        }

        return options.Color ? (held ? Green : Red) + text + Reset : text;
    }
}
