namespace OmniConsole.Core.Common;

/// <summary>Where a timeline event happened. <see cref="System"/> is OmniConsole's own (merges, bonus activation); clients cannot send it.</summary>
public enum Channel
{
    Store,
    Online,
    App,
    CallCenter,
    Email,
    Sms,
    Push,
    Viber,
    Telegram,
    Social,
    System,
}

public static class ChannelNames
{
    private static readonly Dictionary<string, Channel> ByApiName = new(StringComparer.Ordinal)
    {
        ["store"] = Channel.Store, ["online"] = Channel.Online, ["app"] = Channel.App,
        ["callcenter"] = Channel.CallCenter, ["email"] = Channel.Email, ["sms"] = Channel.Sms,
        ["push"] = Channel.Push, ["viber"] = Channel.Viber, ["telegram"] = Channel.Telegram,
        ["social"] = Channel.Social,
    };

    /// <summary>The channels a client may send, in the order the API lists them.</summary>
    public static IReadOnlyList<Channel> ClientChannels { get; } = ByApiName.Values.ToArray();

    public static string ApiName(this Channel channel) => channel == Channel.System ? "system" : ByApiName.First(p => p.Value == channel).Key;

    /// <summary>Parses a channel a client may send (never <c>system</c>).</summary>
    public static bool TryParseClient(string? value, out Channel channel) =>
        ByApiName.TryGetValue(value ?? "", out channel);

    /// <summary>Messaging channels: consents apply to them.</summary>
    public static bool IsMessaging(this Channel channel) =>
        channel is Channel.Email or Channel.Sms or Channel.Push or Channel.Viber or Channel.Telegram;
}

/// <summary>A channel in JSON by its API name ("email", "sms"), as the contracts spell it.</summary>
public sealed class ChannelJsonConverter : System.Text.Json.Serialization.JsonConverter<Channel>
{
    public override Channel Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options)
    {
        var name = reader.GetString();
        return name == "system" ? Channel.System
            : ChannelNames.TryParseClient(name, out var channel) ? channel : throw new System.Text.Json.JsonException($"Unknown channel '{name}'.");
    }

    public override void Write(System.Text.Json.Utf8JsonWriter writer, Channel value, System.Text.Json.JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ApiName());
}
