using System.Globalization;
using System.Text.Json.Nodes;
using OmniConsole.Core.Segments;

namespace OmniConsole.Web.Components.Pages.Segments;

/// <summary>Reads and makes the JSON values the builder's fields show and edit.</summary>
public static class SegmentValue
{
    public static string? Text(JsonNode? v) => v is JsonValue ? v.ToString() : null;
    public static decimal? Number(JsonNode? v) =>
        v is JsonValue && decimal.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;
    public static string TextList(JsonNode? v) => v is JsonArray list ? string.Join(", ", list.Select(x => x?.ToString())) : Text(v) ?? "";
    public static (decimal? Low, decimal? High) Between(JsonNode? v) => v is JsonArray { Count: 2 } pair ? (Number(pair[0]), Number(pair[1])) : (Number(v), null);

    public static JsonNode? Default(AttrSpec spec) => spec.Kind switch
    {
        ValueKind.Text or ValueKind.Presence => spec.Choices is { } choices ? JsonValue.Create(choices[0]) : JsonValue.Create(""),
        ValueKind.SegmentId => null,
        _ => JsonValue.Create(1),
    };
}
