using System.Text.Json.Nodes;
using BandwidthOperator.ApiServerDouble.Http;

namespace BandwidthOperator.ApiServerDouble.Patching;

/// <summary>
/// Field ownership in <c>metadata.managedFields</c>, simplified: members are leaves and list-map entries
/// (<see cref="FieldPaths"/>). Update operations take what they change; apply operations own what they
/// apply, conflict with other managers over differing values (unless forced) and remove what they stop
/// applying when nobody else owns it.
/// </summary>
internal static class ManagedFieldsTracker
{
    private sealed record Entry(string Manager, string Operation, string? Subresource, string ApiVersion, string Time, HashSet<string> Set);

    /// <summary>The part of an object a write through <paramref name="subresource"/> owns: status, or everything else.</summary>
    public static JsonObject Part(JsonObject obj, string? subresource)
    {
        var part = new JsonObject();
        if (subresource == "status")
        {
            if (obj["status"] is JsonNode status)
            {
                part["status"] = status.DeepClone();
            }

            return part;
        }

        if (obj["metadata"] is JsonObject metadata)
        {
            var meta = new JsonObject();
            foreach (var name in new[] { "labels", "annotations", "finalizers", "ownerReferences" })
            {
                if (metadata[name] is JsonNode v)
                {
                    meta[name] = v.DeepClone();
                }
            }

            if (meta.Count > 0)
            {
                part["metadata"] = meta;
            }
        }

        foreach (var (name, value) in obj)
        {
            if (name is not ("apiVersion" or "kind" or "metadata" or "status"))
            {
                part[name] = value?.DeepClone();
            }
        }

        return part;
    }

    /// <summary>Records an update (create, PUT, merge or JSON patch) by <paramref name="manager"/> in <paramref name="updated"/>'s managedFields.</summary>
    public static void RecordUpdate(JsonObject? previous, JsonObject updated, string manager, string? subresource, JsonObject? schema, string apiVersion, string now)
    {
        var entries = Read(previous ?? updated);
        var newPart = Part(updated, subresource);
        var oldPart = previous is null ? new JsonObject() : Part(previous, subresource);
        var current = FieldPaths.Collect(newPart, schema);
        var changed = current.Where(p => !Equal(FieldPaths.Get(oldPart, p), FieldPaths.Get(newPart, p))).ToHashSet(StringComparer.Ordinal);

        foreach (var entry in entries.Where(e => SamePart(e.Subresource, subresource)))
        {
            if (SamePart(entry.Subresource, subresource))
            {
                entry.Set.IntersectWith(current);
            }

            if (!(entry.Manager == manager && entry.Operation == "Update" && entry.Subresource == subresource))
            {
                entry.Set.ExceptWith(changed);
            }
        }

        var mine = entries.FirstOrDefault(e => e.Manager == manager && e.Operation == "Update" && e.Subresource == subresource);
        if (mine is null)
        {
            mine = new Entry(manager, "Update", subresource, apiVersion, now, new HashSet<string>(StringComparer.Ordinal));
            entries.Add(mine);
        }

        mine.Set.UnionWith(changed);
        if (changed.Count > 0)
        {
            entries[entries.IndexOf(mine)] = mine with { Time = now };
        }

        Write(updated, entries);
    }

    /// <summary>
    /// Server-side apply of <paramref name="applied"/> by <paramref name="manager"/> to <paramref name="live"/>; returns the new object.
    /// Throws a 409 <see cref="ApiError"/> with <c>FieldManagerConflict</c> causes on conflicts when not <paramref name="force"/>.
    /// </summary>
    public static JsonObject Apply(JsonObject live, JsonObject applied, string manager, bool force, string? subresource, JsonObject? schema, string apiVersion, string now)
    {
        var entries = Read(live);
        var appliedPart = Part(applied, subresource);
        var livePart = Part(live, subresource);
        var newSet = FieldPaths.Collect(appliedPart, schema);

        var conflicts = new List<(string Path, Entry Owner)>();
        foreach (var entry in entries.Where(e => e.Manager != manager))
        {
            foreach (var path in newSet.Where(entry.Set.Contains).Order(StringComparer.Ordinal))
            {
                if (FieldPaths.Tokens(path)[^1].StartsWith("k:", StringComparison.Ordinal))
                {
                    continue;
                }

                var have = FieldPaths.Get(livePart, path);
                if (have.Found && !Equal(have, FieldPaths.Get(appliedPart, path)))
                {
                    conflicts.Add((path, entry));
                }
            }
        }

        if (conflicts.Count > 0 && !force)
        {
            throw Conflicts(conflicts);
        }

        foreach (var (path, owner) in conflicts)
        {
            owner.Set.Remove(path);
        }

        var result = live.DeepClone().AsObject();
        var previous = entries.FirstOrDefault(e => e.Manager == manager && e.Operation == "Apply" && e.Subresource == subresource);
        if (previous is not null)
        {
            var others = entries.Where(e => e != previous).ToList();
            foreach (var path in previous.Set.Except(newSet).OrderBy(p => p.Length))
            {
                if (!others.Exists(e => e.Set.Contains(path)))
                {
                    FieldPaths.Remove(result, path);
                }
            }

            entries.Remove(previous);
        }

        foreach (var (name, value) in appliedPart)
        {
            result[name] = FieldPaths.Merge(result[name], value, schema?["properties"]?[name] as JsonObject);
        }

        entries.Add(new Entry(manager, "Apply", subresource, apiVersion, now, newSet));
        Write(result, entries);
        return result;
    }

    private static bool SamePart(string? a, string? b) => (a == "status") == (b == "status");

    private static bool Equal((bool Found, JsonNode? Value) a, (bool Found, JsonNode? Value) b) =>
        a.Found == b.Found && FieldPaths.SameValue(a.Value, b.Value);

    private static ApiError Conflicts(List<(string Path, Entry Owner)> conflicts)
    {
        string Who(Entry e) => e.Subresource is null ? $"\"{e.Manager}\"" : $"\"{e.Manager}\" with subresource \"{e.Subresource}\"";
        var byOwner = conflicts.GroupBy(c => Who(c.Owner)).ToList();
        var message = byOwner.Count == 1
            ? $"Apply failed with {conflicts.Count} conflict{(conflicts.Count == 1 ? string.Empty : "s")}: conflicts with {byOwner[0].Key}:\n" +
              string.Join("\n", byOwner[0].Select(c => $"- {FieldPaths.Display(c.Path)}"))
            : $"Apply failed with {conflicts.Count} conflicts: " + string.Join("\n", byOwner.Select(g =>
                $"conflicts with {g.Key}:\n" + string.Join("\n", g.Select(c => $"- {FieldPaths.Display(c.Path)}"))));
        var causes = new JsonArray([.. conflicts.Select(c => (JsonNode)new JsonObject
        {
            ["reason"] = "FieldManagerConflict",
            ["message"] = $"conflict with {Who(c.Owner)}",
            ["field"] = FieldPaths.Display(c.Path),
        })]);
        return new ApiError(409, "Conflict", message, new JsonObject { ["causes"] = causes });
    }

    private static List<Entry> Read(JsonObject obj)
    {
        var entries = new List<Entry>();
        if (obj["metadata"]?["managedFields"] is JsonArray array)
        {
            foreach (var e in array.OfType<JsonObject>())
            {
                entries.Add(new Entry(
                    (string?)e["manager"] ?? string.Empty,
                    (string?)e["operation"] ?? "Update",
                    (string?)e["subresource"],
                    (string?)e["apiVersion"] ?? string.Empty,
                    (string?)e["time"] ?? string.Empty,
                    FieldPaths.FromFieldsV1(e["fieldsV1"] as JsonObject)));
            }
        }

        return entries;
    }

    private static void Write(JsonObject obj, List<Entry> entries)
    {
        var array = new JsonArray();
        foreach (var e in entries.Where(e => e.Set.Count > 0))
        {
            var entry = new JsonObject
            {
                ["manager"] = e.Manager,
                ["operation"] = e.Operation,
                ["apiVersion"] = e.ApiVersion,
                ["time"] = e.Time,
                ["fieldsType"] = "FieldsV1",
                ["fieldsV1"] = FieldPaths.ToFieldsV1(e.Set),
            };
            if (e.Subresource is not null)
            {
                entry["subresource"] = e.Subresource;
            }

            array.Add(entry);
        }

        var metadata = obj["metadata"] as JsonObject;
        if (metadata is null)
        {
            metadata = new JsonObject();
            obj["metadata"] = metadata;
        }

        if (array.Count > 0)
        {
            metadata["managedFields"] = array;
        }
        else
        {
            metadata.Remove("managedFields");
        }
    }
}
