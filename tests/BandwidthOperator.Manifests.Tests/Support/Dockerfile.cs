using System.Text.Json;

namespace BandwidthOperator.Manifests.Tests.Support;

/// <summary>
/// A Dockerfile read the way the test replays it: stages (<c>FROM … AS name</c>), each a list of
/// instructions with their arguments (exec form <c>["a","b"]</c> as JSON, shell form split on white
/// space); comment lines dropped, <c>\</c> line continuations joined.
/// </summary>
internal sealed record Dockerfile(IReadOnlyList<DockerfileStage> Stages)
{
    public static Dockerfile Parse(string text)
    {
        var stages = new List<DockerfileStage>();
        var logical = new List<string>();
        var pending = string.Empty;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.TrimStart().StartsWith('#') || (pending.Length == 0 && line.Trim().Length == 0))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }

            logical.Add(pending + line);
            pending = string.Empty;
        }

        foreach (var line in logical)
        {
            var trimmed = line.Trim();
            var space = trimmed.IndexOf(' ', StringComparison.Ordinal);
            var instruction = (space < 0 ? trimmed : trimmed[..space]).ToUpperInvariant();
            var rest = space < 0 ? string.Empty : trimmed[(space + 1)..].Trim();
            string[] arguments = rest.StartsWith('[')
                ? JsonSerializer.Deserialize<string[]>(rest) ?? []
                : rest.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (instruction == "FROM")
            {
                var name = arguments.Length >= 3 && arguments[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? arguments[2] : null;
                stages.Add(new DockerfileStage(arguments[0], name, new List<DockerfileStep>()));
                continue;
            }

            if (stages.Count == 0)
            {
                throw new FormatException($"Dockerfile: {instruction} before the first FROM");
            }

            ((List<DockerfileStep>)stages[^1].Steps).Add(new DockerfileStep(instruction, arguments));
        }

        return new Dockerfile(stages);
    }
}

/// <summary>One <c>FROM</c> and what follows it.</summary>
internal sealed record DockerfileStage(string Image, string? Name, IReadOnlyList<DockerfileStep> Steps);

/// <summary>One instruction (upper case) and its arguments.</summary>
internal sealed record DockerfileStep(string Instruction, IReadOnlyList<string> Arguments)
{
    public override string ToString() => $"{Instruction} {string.Join(' ', Arguments)}";
}
