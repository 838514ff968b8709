using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;

namespace OmniConsole.Core.Data;

/// <summary>The JSON settings for payloads stored in the database: compact, camelCase, enums by name.</summary>
public static class JsonValue
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Cyrillic as it is, not \uXXXX: payloads stay readable in SQL and ~30 % smaller.
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
    public static T Deserialize<T>(string json) where T : new() => JsonSerializer.Deserialize<T>(json, Options) ?? new T();
}
