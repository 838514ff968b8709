using System.Globalization;
using System.Text.Json.Nodes;
using OmniConsole.Core.Common;
using OmniConsole.Core.Exports;

namespace OmniConsole.Core.Segments;

/// <summary>A definition in words, for the export's summary sheet, in the words <paramref name="text"/> gives (English without it).</summary>
public static class SegmentDescriber
{
    public static string Describe(SegmentNode node, Func<int, string?>? segmentName = null, IExportText? text = null) =>
        Describe(node, segmentName, text ?? new EnglishExportText(), top: true);

    private static string Describe(SegmentNode node, Func<int, string?>? names, IExportText text, bool top)
    {
        switch (node.Kind)
        {
            case NodeKind.All:
            case NodeKind.Any:
                var parts = node.Children.Select(c => Describe(c, names, text, false)).ToList();
                var joined = string.Join(text[node.Kind == NodeKind.All ? "describe. AND " : "describe. OR "], parts);
                return top || parts.Count == 1 ? joined : $"({joined})";
            case NodeKind.Not:
                return EnglishExportText.Format(text, "describe.NOT {0}", Describe(node.Children[0], names, text, false));
            default:
                return Condition(node, names, text);
        }
    }

    private static string Condition(SegmentNode n, Func<int, string?>? names, IExportText text)
    {
        string F(string key, params object[] args) => EnglishExportText.Format(text, key, args);
        var qualifiers = new List<string>();
        if (n.QualifierText(SegmentAttributes.Type) is { } type) qualifiers.Add(text[type] is var word && word != type ? word : type.Replace('_', ' '));
        if (n.QualifierText(SegmentAttributes.Category) is { } category) qualifiers.Add(F("describe.in {0}", category));
        if (n.QualifierText(SegmentAttributes.Brand) is { } brand) qualifiers.Add(F("describe.of {0}", brand));
        if (n.QualifierText(SegmentAttributes.Channel) is { } channel) qualifiers.Add(F("describe.via {0}", channel));
        if (n.QualifierText(SegmentAttributes.StoreCode) is { } store) qualifiers.Add(F("describe.at store {0}", store));
        if (n.QualifierText(SegmentAttributes.CampaignId) is { } campaign) qualifiers.Add(F("describe.of campaign {0}", campaign));
        if (n.QualifierInt(SegmentAttributes.WithinDays) is { } days) qualifiers.Add(F("describe.in the last {0} days", days));
        var name = text[$"attr.{n.Attr}"];
        var subject = qualifiers.Count == 0 ? name : $"{name} ({string.Join(", ", qualifiers)})";
        if (n.Attr == "inSegment" && SegmentDefinition.Number(n.Value) is { } id)
            return F("describe.member of segment {0}", $"#{id}{(names?.Invoke((int)id) is { } segment ? $" «{segment}»" : "")}");
        if (n.Attr is "hasIdentifier") return F("describe.has {0}", Value(n.Value, text));
        if (n.Attr is "consent") return F("describe.consents to {0}", Value(n.Value, text));
        var op = n.Op switch
        {
            "eq" => "=",
            "neq" => "≠",
            "gt" => ">",
            "gte" => "≥",
            "lt" => "<",
            "lte" => "≤",
            "between" => "∈",
            "in" => "∈",
            _ => n.Op,
        };
        return $"{subject} {op} {Value(n.Value, text)}";
    }

    private static string Value(JsonNode? v, IExportText text) => v switch
    {
        JsonArray list when list.Count == 2 && list.All(x => SegmentDefinition.Number(x) is not null) =>
            EnglishExportText.Format(text, "describe.{0} and {1}", Value(list[0], text), Value(list[1], text)),
        JsonArray list => string.Join(", ", list.Select(x => Value(x, text))),
        _ when SegmentDefinition.Number(v) is { } d => d.ToString(CultureInfo.CurrentCulture),
        _ when SegmentDefinition.Text(v) is { } s && SegmentAttributes.All.Any(a => a.Choices?.Contains(s, StringComparer.OrdinalIgnoreCase) == true)
            => text[$"value.{SegmentAttributes.All.SelectMany(a => a.Choices ?? []).First(c => c.Equals(s, StringComparison.OrdinalIgnoreCase))}"],
        _ => SegmentDefinition.Text(v) ?? "",
    };
}
