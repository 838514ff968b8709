using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OmniConsole.Core.Audit;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Data;
using OmniConsole.Core.Segments;

namespace OmniConsole.Core.Campaigns;

/// <summary>A refused change, with each problem under the field it is in (the API's 400, the editor's messages).</summary>
public sealed class CampaignValidationException(IReadOnlyList<FieldError> errors) : Exception(string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")))
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;
}

/// <summary>A change that does not fit the campaign's status (launching a running one, editing a launched one): 409.</summary>
public sealed class CampaignStateException(string message) : Exception(message);

/// <summary>
/// Campaigns for the editor and the management API: drafts are saved and changed; launch, pause, resume and stop move
/// the status (the flow job enrols the audience and the dispatcher sends). Every change is audited.
/// </summary>
public sealed class CampaignService(IDbContextFactory<OmniConsoleDbContext> dbFactory, TimeProvider clock, IOptions<MessagingOptions> messaging, Delivery.TrackingLinks links)
{
    /// <summary>A campaign as the API answers it: status and channel as the contract spells them ("draft", "email").</summary>
    public sealed record View(string CampaignId, string Name, [property: JsonConverter(typeof(JsonStringEnumConverter<CampaignStatus>))] CampaignStatus Status,
        int? SegmentId, IReadOnlyList<int> ExcludeSegmentIds, IReadOnlyList<CampaignStep> Steps, CampaignTrigger? Trigger, DateTime CreatedAt, string? CreatedBy,
        DateTime? LaunchedAt, DateTime? FinishedAt, int Audience, [property: JsonConverter(typeof(ChannelJsonConverter))] Channel? Channel,
        int ControlGroupPercent);

    public async Task<List<View>> ListAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Campaigns.AsNoTracking().OrderByDescending(c => c.CreatedAtUtc).ThenBy(c => c.Id).ToListAsync(ct);
        return rows.Select(ToView).ToList();
    }

    public async Task<View?> GetAsync(string id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) is { } c ? ToView(c) : null;
    }

    public async Task<View> CreateAsync(CampaignInput input, string actor, CancellationToken ct)
    {
        await ValidateAsync(input, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var campaign = new Campaign
        {
            Id = $"cmp-{now:yyMMdd}-{Guid.NewGuid():N}"[..21], Name = input.Name!.Trim(), Status = CampaignStatus.Draft, SegmentId = input.SegmentId,
            DefinitionJson = JsonValue.Serialize(Normalised(input)), CreatedAtUtc = now, CreatedBy = actor,
            Channel = CampaignDefinition.Parse(input).FirstOrDefault(s => s.IsSend)?.Channel,
        };
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.Campaigns.Add(campaign);
        db.AuditEntries.Add(new AuditEntry { AtUtc = now, Actor = actor, Action = AuditAction.CampaignCreated, Details = $"{campaign.Name} ({campaign.Id})" });
        await db.SaveChangesAsync(ct);
        return ToView(campaign);
    }

    /// <summary>Replaces a draft's definition; a launched campaign keeps the flow its recipients are in (409).</summary>
    public async Task<View?> UpdateAsync(string id, CampaignInput input, string actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var campaign = await db.Campaigns.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (campaign is null) return null;
        if (campaign.Status != CampaignStatus.Draft) throw new CampaignStateException(ServiceMessages.Format(CampaignMessages.OnlyDraftChanges, id, StatusName(campaign.Status)));
        await ValidateAsync(input, ct);
        campaign.Name = input.Name!.Trim();
        campaign.SegmentId = input.SegmentId;
        campaign.DefinitionJson = JsonValue.Serialize(Normalised(input));
        campaign.Channel = CampaignDefinition.Parse(input).FirstOrDefault(s => s.IsSend)?.Channel;
        campaign.Version++;
        db.AuditEntries.Add(new AuditEntry { AtUtc = clock.GetUtcNow().UtcDateTime, Actor = actor, Action = AuditAction.CampaignChanged, Details = $"{campaign.Name} ({campaign.Id})" });
        await db.SaveChangesAsync(ct);
        return ToView(campaign);
    }

    public Task<View?> LaunchAsync(string id, string actor, CancellationToken ct) =>
        MoveAsync(id, actor, [CampaignStatus.Draft], CampaignStatus.Running, AuditText.CampaignLaunched, CampaignMessages.CannotLaunch, ct);
    public Task<View?> PauseAsync(string id, string actor, CancellationToken ct) =>
        MoveAsync(id, actor, [CampaignStatus.Running], CampaignStatus.Paused, AuditText.CampaignPaused, CampaignMessages.CannotPause, ct);
    public Task<View?> ResumeAsync(string id, string actor, CancellationToken ct) =>
        MoveAsync(id, actor, [CampaignStatus.Paused], CampaignStatus.Running, AuditText.CampaignResumed, CampaignMessages.CannotResume, ct);
    public Task<View?> StopAsync(string id, string actor, CancellationToken ct) =>
        MoveAsync(id, actor, [CampaignStatus.Running, CampaignStatus.Paused, CampaignStatus.Draft], CampaignStatus.Stopped, AuditText.CampaignStopped, CampaignMessages.CannotStop, ct);

    /// <param name="auditTemplate">the move in the audit log</param>
    /// <param name="refusal">the message when the campaign's status does not allow it</param>
    private async Task<View?> MoveAsync(string id, string actor, CampaignStatus[] from, CampaignStatus to, string auditTemplate, string refusal, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var campaign = await db.Campaigns.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (campaign is null) return null;
        if (!from.Contains(campaign.Status))
            throw new CampaignStateException(ServiceMessages.Format(refusal, id, StatusName(campaign.Status)));
        if (to == CampaignStatus.Running && campaign.Status == CampaignStatus.Draft)
        {
            // Checked again at launch: the segment may have been archived, a provider unconfigured since the draft was saved.
            await ValidateAsync(JsonValue.Deserialize<CampaignInput>(campaign.DefinitionJson ?? "{}") with { Name = campaign.Name, SegmentId = campaign.SegmentId }, ct);
            campaign.LaunchedAtUtc = clock.GetUtcNow().UtcDateTime;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        campaign.Status = to;
        if (to == CampaignStatus.Stopped) campaign.FinishedAtUtc = now;
        campaign.Version++;
        db.AuditEntries.Add(new AuditEntry { AtUtc = now, Actor = actor, Action = AuditAction.CampaignStatusChanged, Details = AuditText.Format(auditTemplate, campaign.Name, campaign.Id) });
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateConcurrencyException) { throw new CampaignStateException(ServiceMessages.Format(CampaignMessages.ChangedMeanwhile, id)); }
        if (to == CampaignStatus.Stopped)
        {
            // What was still to go does not go; who was on the way stops there (not counted as having reacted).
            await db.Outbox.Where(m => m.CampaignId == id && m.Status == MessageStatus.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, MessageStatus.Skipped).SetProperty(m => m.SkipReason, SkipReason.CampaignStopped), ct);
            await db.CampaignRecipients.Where(r => r.CampaignId == id && r.State == RecipientState.Active)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.State, RecipientState.Stopped), ct);
        }
        return ToView(campaign);
    }

    private async Task ValidateAsync(CampaignInput input, CancellationToken ct)
    {
        if (await CheckAsync(input, ct) is { Count: > 0 } errors) throw new CampaignValidationException(errors);
    }

    /// <summary>Every problem saving the input would be refused for (none: it would be saved); the editor re-checks as the user fixes them.</summary>
    public async Task<List<FieldError>> CheckAsync(CampaignInput input, CancellationToken ct)
    {
        var errors = CampaignDefinition.Validate(input, messaging.Value, out var steps, out _, links.SampleUnsubscribeUrl);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (input.SegmentId is { } segmentId && !await db.Segments.AnyAsync(s => s.Id == segmentId && s.ArchivedAtUtc == null, ct))
            errors.Add(new("segmentId", ServiceMessages.Format(SegmentMessages.NoSegment, segmentId)));
        if (CampaignDefinition.ParseTrigger(input)?.SegmentId is { } watched && !await db.Segments.AnyAsync(s => s.Id == watched && s.ArchivedAtUtc == null, ct))
            errors.Add(new("trigger.segmentId", ServiceMessages.Format(SegmentMessages.NoSegment, watched)));
        foreach (var (excluded, i) in (input.ExcludeSegmentIds ?? []).Select((x, i) => (x, i)))
            if (!await db.Segments.AnyAsync(s => s.Id == excluded && s.ArchivedAtUtc == null, ct))
                errors.Add(new($"excludeSegmentIds[{i}]", ServiceMessages.Format(SegmentMessages.NoSegment, excluded)));
        foreach (var step in steps.Where(s => s.PromoCampaignId is not null))
            if (!await db.PromoCampaigns.AnyAsync(p => p.Id == step.PromoCampaignId, ct))
                errors.Add(new($"steps[{step.Index}].promoCampaignId", ServiceMessages.Format(CampaignMessages.NoPromoCampaign, step.PromoCampaignId)));
        foreach (var step in steps.Where(s => s.IsSend && s.PromoCampaignId is null))
            if (new[] { step.Subject, step.Body, step.Text }.Concat(step.Variants?.SelectMany(v => new[] { v.Subject, v.Body, v.Text }) ?? []).Any(t => t is not null && Delivery.MessageTemplate.UsesToken(t, Delivery.MessageTemplate.PromoCode)))
                errors.Add(new($"steps[{step.Index}].promoCampaignId",
                    ServiceMessages.Format(CampaignMessages.PromoCodeNeedsCampaign, "{{" + Delivery.MessageTemplate.PromoCode + "}}")));
        return errors;
    }

    /// <summary>A status as the API and the messages spell it ("running").</summary>
    public static string StatusName(CampaignStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>The input as stored: trimmed, in the contract's spelling.</summary>
    private static CampaignInput Normalised(CampaignInput input) => input with
    {
        Name = input.Name?.Trim(),
        Steps = input.Steps?.Select(s => s.IsWait ? new CampaignStep { Wait = s.Wait!.Trim(), Unless = s.Unless?.Trim().ToLowerInvariant() }
            : s with
            {
                Channel = s.Channel?.Trim().ToLowerInvariant(),
                FallbackChannel = s.FallbackChannel?.Trim().ToLowerInvariant(),
                Variants = s.Variants?.Select(v => v with { Channel = v.Channel?.Trim().ToLowerInvariant() }).ToList(),
            }).ToList(),
        ControlGroupPercent = input.ControlGroupPercent is > 0 ? input.ControlGroupPercent : null,
        Trigger = CampaignDefinition.ParseTrigger(input) is { } t
            ? new CampaignTrigger
            {
                Kind = System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(t.Kind.ToString()), Hours = t.Hours, Days = t.Days, SegmentId = t.SegmentId,
                EventType = t.EventType is { } type ? Timeline.EventTypeNames.ApiName(type) : null, Channel = t.Channel?.ApiName(),
            } : null,
    };

    private static View ToView(Campaign c)
    {
        var input = c.DefinitionJson is { } json ? JsonValue.Deserialize<CampaignInput>(json) : new CampaignInput();
        return new View(c.Id, c.Name, c.Status, c.SegmentId, input.ExcludeSegmentIds ?? [], input.Steps ?? [], input.Trigger, c.CreatedAtUtc, c.CreatedBy,
            c.LaunchedAtUtc, c.FinishedAtUtc, c.Audience, c.Channel, input.ControlGroupPercent ?? 0);
    }
}
