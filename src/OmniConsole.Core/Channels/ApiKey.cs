namespace OmniConsole.Core.Channels;

/// <summary>A channel system's key for the API. Only a hash is stored; the key is shown once when created.</summary>
public class ApiKey
{
    public int Id { get; set; }
    /// <summary>The channel system it belongs to; every call and every event is attributed to it.</summary>
    public string Name { get; set; } = "";
    /// <summary>The first characters of the key, to recognise it in the list.</summary>
    public string Prefix { get; set; } = "";
    public string KeyHash { get; set; } = "";
    public DateTime CreatedAtUtc { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTime? RevokedAtUtc { get; set; }
    public DateTime? LastUsedAtUtc { get; set; }
}
