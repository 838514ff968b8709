using System.Text.Json;
using System.Text.Json.Nodes;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Timeline;
using static OmniConsole.Core.Segments.SegmentMessages;

namespace OmniConsole.Core.Segments;

public enum NodeKind { All, Any, Not, Condition }

/// <summary>
/// A node of a segment definition: a group (<c>all</c>, <c>any</c>, <c>not</c>) or a condition
/// (<c>attr</c>, <c>op</c>, <c>value</c> and qualifiers). Mutable, so the builder edits the same tree the API parses.
/// </summary>
public sealed class SegmentNode
{
    public NodeKind Kind { get; set; }
    public List<SegmentNode> Children { get; set; } = [];
    public string Attr { get; set; } = "";
    public string Op { get; set; } = "eq";
    public JsonNode? Value { get; set; }
    /// <summary>Qualifier name → value (<c>withinDays</c> a number, the others text).</summary>
    public Dictionary<string, JsonNode?> Qualifiers { get; set; } = new(StringComparer.Ordinal);

    public static SegmentNode Group(NodeKind kind, params SegmentNode[] children) => new() { Kind = kind, Children = [.. children] };
    public static SegmentNode Negate(SegmentNode child) => new() { Kind = NodeKind.Not, Children = [child] };
    public static SegmentNode Condition(string attr, string op, JsonNode? value, params (string Name, JsonNode? Value)[] qualifiers)
    {
        var node = new SegmentNode { Kind = NodeKind.Condition, Attr = attr, Op = op, Value = value };
        foreach (var (name, v) in qualifiers) node.Qualifiers[name] = v;
        return node;
    }

    public string? QualifierText(string name) => SegmentDefinition.Text(Qualifiers.GetValueOrDefault(name));
    public int? QualifierInt(string name) => SegmentDefinition.Number(Qualifiers.GetValueOrDefault(name)) is { } d && d == decimal.Truncate(d) && Math.Abs(d) <= int.MaxValue ? (int)d : null;
}

public sealed record SegmentError(string Field, string Message);

/// <summary>Parses, validates and writes segment definitions (MANAGEMENT-API.md, Segments). Errors name the JSON path.</summary>
public static class SegmentDefinition
{
    public const int MaxDepth = 32;
    public const int MaxNodes = 500;
    private const decimal MaxNumber = 1_000_000_000_000m;

    public sealed record Result(SegmentNode? Node, IReadOnlyList<SegmentError> Errors)
    {
        public bool IsValid => Node is not null && Errors.Count == 0;
    }

    public static Result Parse(string json, string path = "definition")
    {
        JsonNode? node;
        try { node = JsonNode.Parse(json); }
        catch (JsonException ex) { return new Result(null, [new SegmentError(path, ServiceMessages.Format(NotJson, ex.Message))]); }
        return Parse(node, path);
    }

    public static Result Parse(JsonNode? json, string path = "definition")
    {
        var errors = new List<SegmentError>();
        var count = 0;
        var node = ParseNode(json, path, 1, errors, ref count);
        return new Result(errors.Count == 0 ? node : null, errors);
    }

    public static string ToJson(SegmentNode node) => ToJsonNode(node).ToJsonString();

    public static JsonObject ToJsonNode(SegmentNode node)
    {
        switch (node.Kind)
        {
            case NodeKind.All: return new JsonObject { ["all"] = new JsonArray(node.Children.Select(c => (JsonNode)ToJsonNode(c)).ToArray()) };
            case NodeKind.Any: return new JsonObject { ["any"] = new JsonArray(node.Children.Select(c => (JsonNode)ToJsonNode(c)).ToArray()) };
            case NodeKind.Not: return new JsonObject { ["not"] = node.Children.Count > 0 ? ToJsonNode(node.Children[0]) : null };
            default:
                var o = new JsonObject { ["attr"] = node.Attr };
                foreach (var (name, value) in node.Qualifiers.OrderBy(q => SegmentAttributes.AllQualifiers.ToList().IndexOf(q.Key)))
                    o[name] = value?.DeepClone();
                o["op"] = node.Op;
                o["value"] = node.Value?.DeepClone();
                return o;
        }
    }

    private static SegmentNode? ParseNode(JsonNode? json, string path, int depth, List<SegmentError> errors, ref int count)
    {
        if (++count > MaxNodes) { Add(errors, path, ServiceMessages.Format(TooManyNodes, MaxNodes)); return null; }
        if (depth > MaxDepth) { Add(errors, path, ServiceMessages.Format(TooDeep, MaxDepth)); return null; }
        if (json is not JsonObject obj) { Add(errors, path, ServiceMessages.Format(NotANode, "{\"all\": […]}, {\"any\": […]}, {\"not\": …}", "{\"attr\", \"op\", \"value\"}")); return null; }

        foreach (var group in new[] { ("all", NodeKind.All), ("any", NodeKind.Any) })
        {
            if (!obj.ContainsKey(group.Item1)) continue;
            if (obj.Count != 1) { Add(errors, path, ServiceMessages.Format(GroupHoldsList, group.Item1)); return null; }
            if (obj[group.Item1] is not JsonArray list) { Add(errors, $"{path}.{group.Item1}", ExpectedList); return null; }
            if (list.Count == 0) { Add(errors, $"{path}.{group.Item1}", ServiceMessages.Format(EmptyGroup, group.Item1)); return null; }
            var node = new SegmentNode { Kind = group.Item2 };
            for (var i = 0; i < list.Count; i++)
                if (ParseNode(list[i], $"{path}.{group.Item1}[{i}]", depth + 1, errors, ref count) is { } child) node.Children.Add(child);
            return node;
        }
        if (obj.ContainsKey("not"))
        {
            if (obj.Count != 1) { Add(errors, path, NotHoldsNode); return null; }
            var child = ParseNode(obj["not"], $"{path}.not", depth + 1, errors, ref count);
            return child is null ? null : Negate(child);
        }
        return ParseCondition(obj, path, errors);
    }

    private static SegmentNode Negate(SegmentNode child) => SegmentNode.Negate(child);

    private static SegmentNode? ParseCondition(JsonObject obj, string path, List<SegmentError> errors)
    {
        var before = errors.Count;
        var attrName = Text(obj["attr"]);
        var spec = SegmentAttributes.Find(attrName);
        if (spec is null)
        {
            Add(errors, $"{path}.attr", attrName is null
                ? NeedsAttr
                : ServiceMessages.Format(UnknownAttrKnown, attrName, string.Join(", ", SegmentAttributes.All.Select(a => a.Name))));
            return null;
        }
        var node = new SegmentNode { Kind = NodeKind.Condition, Attr = spec.Name };

        foreach (var (key, value) in obj)
        {
            if (key is "attr" or "op" or "value") continue;
            if (!spec.Qualifiers.Contains(key))
            {
                Add(errors, $"{path}.{key}", spec.Qualifiers.Count == 0
                    ? ServiceMessages.Format(NoQualifiers, spec.Name, key)
                    : ServiceMessages.Format(NotAQualifier, key, spec.Name, string.Join(", ", spec.Qualifiers)));
                continue;
            }
            if (CheckQualifier(key, value, $"{path}.{key}", errors)) node.Qualifiers[key] = value?.DeepClone();
        }
        foreach (var required in spec.RequiredQualifiers.Where(q => !obj.ContainsKey(q)))
            Add(errors, $"{path}.{required}", ServiceMessages.Format(NeedsQualifier, spec.Name, required));

        var op = Text(obj["op"]);
        if (op is null || !spec.Ops.Contains(op))
            Add(errors, $"{path}.op", op is null ? ServiceMessages.Format(NeedsOp, string.Join(", ", spec.Ops))
                : ServiceMessages.Format(NotAnOp, op, spec.Name, string.Join(", ", spec.Ops)));
        else
        {
            node.Op = op;
            if (!obj.ContainsKey("value")) Add(errors, $"{path}.value", NeedsValue);
            else if (CheckValue(spec, op, obj["value"], $"{path}.value", errors)) node.Value = obj["value"]?.DeepClone();
        }
        return errors.Count == before ? node : null;
    }

    private static bool CheckQualifier(string name, JsonNode? value, string path, List<SegmentError> errors)
    {
        switch (name)
        {
            case SegmentAttributes.WithinDays:
                if (Number(value) is not { } days || days != decimal.Truncate(days) || days < 1 || days > 36500)
                    return Add(errors, path, WithinDays);
                return true;
            case SegmentAttributes.Channel:
                if (!ChannelNames.TryParseClient(Text(value), out _))
                    return Add(errors, path, ServiceMessages.Format(UnknownChannel, string.Join(", ", ChannelNames.ClientChannels.Select(c => c.ApiName()))));
                return true;
            case SegmentAttributes.Scale:
                if (Text(value) is not ("nps" or "csat"))
                    return Add(errors, path, SurveyScaleQualifier);
                return true;
            case SegmentAttributes.Type:
                if (Text(value) is not { } type || !Enum.GetValues<EventType>().Any(t => t.ApiName() == type))
                    return Add(errors, path, ServiceMessages.Format(UnknownEventType, string.Join(", ", Enum.GetValues<EventType>().Select(t => t.ApiName()))));
                return true;
            default:
                if (Text(value) is not { } text || text.Trim().Length is 0 or > 200)
                    return Add(errors, path, ServiceMessages.Format(QualifierText, name));
                return true;
        }
    }

    private static bool CheckValue(AttrSpec spec, string op, JsonNode? value, string path, List<SegmentError> errors)
    {
        switch (spec.Kind)
        {
            case ValueKind.Text:
            case ValueKind.Presence:
                if (op == "in")
                {
                    if (value is not JsonArray list || list.Count == 0) return Add(errors, path, InList);
                    for (var i = 0; i < list.Count; i++) CheckText(spec, list[i], $"{path}[{i}]", errors);
                    return errors.All(e => !e.Field.StartsWith(path, StringComparison.Ordinal));
                }
                return CheckText(spec, value, path, errors);
            case ValueKind.SegmentId:
                if (Number(value) is not { } id || id != decimal.Truncate(id) || id < 1 || id > int.MaxValue)
                    return Add(errors, path, SegmentIdValue);
                return true;
            default:
                if (op == "between")
                {
                    if (value is not JsonArray { Count: 2 } pair) return Add(errors, path, BetweenPair);
                    var ok = CheckNumber(spec, pair[0], $"{path}[0]", errors) & CheckNumber(spec, pair[1], $"{path}[1]", errors);
                    if (ok && Number(pair[0]) > Number(pair[1])) return Add(errors, path, BetweenOrder);
                    return ok;
                }
                return CheckNumber(spec, value, path, errors);
        }
    }

    private static bool CheckText(AttrSpec spec, JsonNode? value, string path, List<SegmentError> errors)
    {
        if (Text(value) is not { } text || text.Trim().Length is 0 or > 200)
            return Add(errors, path, spec.Choices is null ? ExpectedText : ServiceMessages.Format(ExpectedOneOf, string.Join(", ", spec.Choices)));
        if (spec.Choices is not null && !spec.Choices.Contains(text.Trim(), StringComparer.OrdinalIgnoreCase))
            return Add(errors, path, ServiceMessages.Format(NotOneOf, text, string.Join(", ", spec.Choices)));
        return true;
    }

    private static bool CheckNumber(AttrSpec spec, JsonNode? value, string path, List<SegmentError> errors)
    {
        if (Number(value) is not { } n || Math.Abs(n) > MaxNumber) return Add(errors, path, ExpectedNumber);
        if (spec.Kind == ValueKind.Integer && n != decimal.Truncate(n)) return Add(errors, path, ExpectedWholeNumber);
        if (spec.Kind == ValueKind.Money && n * 100 != decimal.Truncate(n * 100)) return Add(errors, path, ExpectedAmount);
        return true;
    }

    internal static string? Text(JsonNode? node)
    {
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.String) return null;
        try { return v.GetValue<string>(); }
        catch (InvalidOperationException) { return null; } // a lone UTF-16 surrogate: not a text
    }

    internal static decimal? Number(JsonNode? node)
    {
        // Read through the JSON text: a value parsed from a request and one the builder created hold different CLR types.
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number) return null;
        return decimal.TryParse(v.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : null;
    }

    private static bool Add(List<SegmentError> errors, string field, string message)
    {
        errors.Add(new SegmentError(field, message));
        return false;
    }
}
