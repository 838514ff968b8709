using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OmniConsole.Core.Audit;
using OmniConsole.Core.Data;

namespace OmniConsole.Core.Channels;

/// <summary>
/// Channel API keys: created by an administrator (the key is shown once; only its SHA-256 is stored), revoked,
/// or supplied through configuration. Resolves a presented key to the name every call is attributed to.
/// </summary>
public sealed class ApiKeyService(IDbContextFactory<OmniConsoleDbContext> dbFactory, IOptions<OmniConsoleOptions> options, TimeProvider clock)
{
    public sealed record KeyRow(int Id, string Name, string Prefix, DateTime CreatedAtUtc, string CreatedBy, DateTime? RevokedAtUtc, DateTime? LastUsedAtUtc,
        IReadOnlyList<string> Scopes, int? CallsPerMinute);
    /// <param name="CallsPerMinute">the key's own rate limit; null: the default</param>
    public sealed record Caller(string Name, int? KeyId, IReadOnlyList<string> Scopes, int? CallsPerMinute = null);

    /// <summary>The most a key's own limit may be (a chain's single POS gateway may need many times the default).</summary>
    public const int MaxCallsPerMinute = 1_000_000;

    /// <summary>No key is longer (created keys are 43 characters); a longer header is refused without hashing it.</summary>
    public const int MaxKeyLength = 200;

    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<int, DateTime> _lastUsedWritten = new();

    public static string Hash(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key))).ToLowerInvariant();

    /// <summary>The caller a key belongs to, or null for a missing, unknown or revoked key.</summary>
    public async Task<Caller?> AuthenticateAsync(string? key, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(key) || key.Length > MaxKeyLength) return null;
        foreach (var configured in options.Value.ApiKeys)
            if (configured.Key.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(configured.Key), Encoding.UTF8.GetBytes(key)))
                return new Caller(configured.Name, null, ConfiguredScopes(configured), configured.CallsPerMinute);

        var hash = Hash(key);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.ApiKeys.AsNoTracking().Where(k => k.KeyHash == hash && k.RevokedAtUtc == null)
            .Select(k => new { k.Id, k.Name, k.Scopes, k.CallsPerMinute }).FirstOrDefaultAsync(ct);
        if (row is null) return null;
        await TouchAsync(db, row.Id, ct);
        return new Caller(row.Name, row.Id, ApiScopes.Split(row.Scopes), row.CallsPerMinute);
    }

    // Last-used time to the minute: one small write a minute per key, not one per call.
    private async Task TouchAsync(OmniConsoleDbContext db, int id, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (_lastUsedWritten.TryGetValue(id, out var last) && now - last < LastUsedResolution) return;
        _lastUsedWritten[id] = now;
        await db.ApiKeys.Where(k => k.Id == id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAtUtc, now), ct);
    }

    /// <summary>Creates a key for a channel system; returns the plain key, which is never shown again.</summary>
    public async Task<(KeyRow Row, string PlainKey)> CreateAsync(string name, string createdBy, CancellationToken ct, IEnumerable<string>? scopes = null,
        int? callsPerMinute = null)
    {
        name = name.Trim();
        CheckLimit(callsPerMinute);
        if (name.Length is 0 or > 100) throw new ArgumentException("A key needs a name of 1 to 100 characters.", nameof(name));
        var chosen = ApiScopes.Normalise(scopes ?? [ApiScopes.Channel], out var unknown);
        if (unknown.Count > 0) throw new ArgumentException($"Unknown scope {string.Join(", ", unknown)}; a key's scopes are {string.Join(", ", ApiScopes.All)}.", nameof(scopes));
        if (chosen.Count == 0) throw new ArgumentException("A key needs at least one scope.", nameof(scopes));
        switch (await CheckNameAsync(name, ct))
        {
            case KeyNameProblem.Reserved: throw new ArgumentException($"'{name}' is the name of OmniConsole's own timeline items; choose another.", nameof(name));
            case KeyNameProblem.Taken: throw new ArgumentException($"A key called '{name}' exists already (perhaps revoked); events are attributed by name, so choose another.", nameof(name));
        }
        var plain = "oc_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)).Replace('+', 'A').Replace('/', 'B').TrimEnd('=');
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var key = new ApiKey
        {
            Name = name, Prefix = plain[..8], KeyHash = Hash(plain), CreatedAtUtc = now, CreatedBy = createdBy, Scopes = ApiScopes.Join(chosen), CallsPerMinute = callsPerMinute,
        };
        db.ApiKeys.Add(key);
        db.AuditEntries.Add(new AuditEntry { AtUtc = now, Actor = createdBy, Action = AuditAction.ApiKeyCreated, Details = AuditText.Format(AuditText.ApiKey, name, key.Prefix) });
        await db.SaveChangesAsync(ct);
        return (ToRow(key), plain);
    }

    public enum KeyNameProblem { Reserved, Taken }

    /// <summary>
    /// Events are attributed by the key's name, so names are unique, ignoring case, across configured keys and stored
    /// ones (revoked too: old events stay with the system that sent them), and OmniConsole's own sources are not names.
    /// </summary>
    public async Task<KeyNameProblem?> CheckNameAsync(string name, CancellationToken ct)
    {
        name = name.Trim();
        if (OmniConsoleOptionsValidator.ReservedKeyNames.Contains(name)) return KeyNameProblem.Reserved;
        if (options.Value.ApiKeys.Any(k => string.Equals(k.Name.Trim(), name, StringComparison.OrdinalIgnoreCase))) return KeyNameProblem.Taken;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var lower = name.ToLower();
        return await db.ApiKeys.AnyAsync(k => k.Name.ToLower() == lower, ct) ? KeyNameProblem.Taken : null;
    }

    public async Task<bool> RevokeAsync(int id, string revokedBy, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id && k.RevokedAtUtc == null, ct);
        if (key is null) return false;
        key.RevokedAtUtc = now;
        db.AuditEntries.Add(new AuditEntry { AtUtc = now, Actor = revokedBy, Action = AuditAction.ApiKeyRevoked, Details = AuditText.Format(AuditText.ApiKey, key.Name, key.Prefix) });
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>
    /// Sets the calls a minute a key may make (null: back to the default); false for an unknown or revoked key. The new
    /// limit counts from the key's next call; it holds on each instance (see docs/operations.md).
    /// </summary>
    public async Task<bool> SetCallsPerMinuteAsync(int id, int? callsPerMinute, string actor, CancellationToken ct)
    {
        CheckLimit(callsPerMinute);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id && k.RevokedAtUtc == null, ct);
        if (key is null) return false;
        if (key.CallsPerMinute == callsPerMinute) return true;
        key.CallsPerMinute = callsPerMinute;
        db.AuditEntries.Add(new AuditEntry
        {
            AtUtc = clock.GetUtcNow().UtcDateTime, Actor = actor, Action = AuditAction.ApiKeyChanged,
            Details = callsPerMinute is { } n ? AuditText.Format(AuditText.ApiKeyLimit, key.Name, key.Prefix, n) : AuditText.Format(AuditText.ApiKeyDefaultLimit, key.Name, key.Prefix),
        });
        await db.SaveChangesAsync(ct);
        return true;
    }

    private static void CheckLimit(int? callsPerMinute)
    {
        if (callsPerMinute is < 1 or > MaxCallsPerMinute)
            throw new ArgumentOutOfRangeException(nameof(callsPerMinute), callsPerMinute, $"A key's calls a minute are from 1 to {MaxCallsPerMinute:N0}, or the default.");
    }

    public async Task<List<KeyRow>> ListAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var keys = await db.ApiKeys.AsNoTracking().OrderBy(k => k.RevokedAtUtc != null).ThenBy(k => k.Name).ToListAsync(ct);
        return keys.Select(ToRow).ToList();
    }

    /// <summary>Keys that come from configuration, with their scopes (their secrets are not shown).</summary>
    public IReadOnlyList<(string Name, IReadOnlyList<string> Scopes, int? CallsPerMinute)> ConfiguredKeys =>
        options.Value.ApiKeys.Where(k => k.Key.Length > 0).Select(k => (k.Name, ConfiguredScopes(k), k.CallsPerMinute)).ToList();

    // Without scopes in configuration a key is a channel system's, as before scopes existed.
    private static IReadOnlyList<string> ConfiguredScopes(ConfiguredApiKey k) =>
        ApiScopes.Normalise(k.Scopes, out _) is { Count: > 0 } scopes ? scopes : [ApiScopes.Channel];

    private static KeyRow ToRow(ApiKey k) => new(k.Id, k.Name, k.Prefix, k.CreatedAtUtc, k.CreatedBy, k.RevokedAtUtc, k.LastUsedAtUtc, ApiScopes.Split(k.Scopes), k.CallsPerMinute);
}
