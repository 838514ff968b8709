using System.Globalization;
using System.Text.Json.Nodes;

namespace OmniConsole.Core.Segments;

/// <summary>A definition in words, for the builder's summary, the list and the export's summary sheet.</summary>
public static class SegmentDescriber
{
    public static string Describe(SegmentNode node, Func<int, string?>? segmentName = null) => Describe(node, segmentName, top: true);

    private static string Describe(SegmentNode node, Func<int, string?>? names, bool top)
    {
        switch (node.Kind)
        {
            case NodeKind.All:
            case NodeKind.Any:
                var parts = node.Children.Select(c => Describe(c, names, false)).ToList();
                var joined = string.Join(node.Kind == NodeKind.All ? " AND " : " OR ", parts);
                return top || parts.Count == 1 ? joined : $"({joined})";
            case NodeKind.Not:
                return $"NOT {Describe(node.Children[0], names, false)}";
            default:
                return Condition(node, names);
        }
    }

    private static string Condition(SegmentNode n, Func<int, string?>? names)
    {
        var qualifiers = new List<string>();
        if (n.QualifierText(SegmentAttributes.Type) is { } type) qualifiers.Add(type.Replace('_', ' '));
        if (n.QualifierText(SegmentAttributes.Category) is { } category) qualifiers.Add($"in {category}");
        if (n.QualifierText(SegmentAttributes.Brand) is { } brand) qualifiers.Add($"of {brand}");
        if (n.QualifierText(SegmentAttributes.Channel) is { } channel) qualifiers.Add($"via {channel}");
        if (n.QualifierText(SegmentAttributes.StoreCode) is { } store) qualifiers.Add($"at store {store}");
        if (n.QualifierText(SegmentAttributes.CampaignId) is { } campaign) qualifiers.Add($"of campaign {campaign}");
        if (n.QualifierInt(SegmentAttributes.WithinDays) is { } days) qualifiers.Add($"in the last {days} days");
        var subject = qualifiers.Count == 0 ? n.Attr : $"{n.Attr} ({string.Join(", ", qualifiers)})";
        if (n.Attr == "inSegment" && SegmentDefinition.Number(n.Value) is { } id)
            return $"member of segment #{id}{(names?.Invoke((int)id) is { } name ? $" '{name}'" : "")}";
        if (n.Attr is "hasIdentifier") return $"has {Value(n.Value)}";
        if (n.Attr is "consent") return $"consents to {Value(n.Value)}";
        var op = n.Op switch
        {
            "eq" => "=", "neq" => "≠", "gt" => ">", "gte" => "≥", "lt" => "<", "lte" => "≤", "between" => "between", "in" => "in", _ => n.Op,
        };
        return $"{subject} {op} {Value(n.Value)}";
    }

    private static string Value(JsonNode? v) => v switch
    {
        JsonArray list when list.Count == 2 && list.All(x => SegmentDefinition.Number(x) is not null) => $"{Value(list[0])} and {Value(list[1])}",
        JsonArray list => string.Join(", ", list.Select(Value)),
        _ when SegmentDefinition.Number(v) is { } d => d.ToString(CultureInfo.InvariantCulture),
        _ => SegmentDefinition.Text(v) ?? "",
    };
}
