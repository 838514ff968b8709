using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OmniConsole.Core.Campaigns.Delivery;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Data;

namespace OmniConsole.Core.Campaigns;

/// <summary>
/// The editor's live preview: a send step as one chosen customer would get it (their name and points; a sample code,
/// since a preview must not hand out a real one), whether the channel reaches them, and an SMS's length in parts.
/// Also the test send to a staff address through the channel's real provider.
/// </summary>
public sealed class CampaignPreview(IDbContextFactory<OmniConsoleDbContext> dbFactory, TimeProvider clock, IOptions<OmniConsoleOptions> options,
    MessageSenders senders)
{
    public const string SampleCode = "SAMPLE2345";

    public sealed record Preview(string? Subject, string Body, bool Html, SmsLength? Sms, SkipReason? Unreachable, string? CustomerName);

    public async Task<Preview> RenderAsync(CampaignStep step, long? customerId, CancellationToken ct)
    {
        CampaignDefinition.TryChannel(step.Channel, out var channel);
        CustomerFacts? facts = null;
        if (customerId is { } id)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            facts = await CustomerFacts.LoadAsync(db, [id], clock.GetUtcNow().UtcDateTime, ct);
        }
        var values = new Dictionary<string, string?>
        {
            [MessageTemplate.FirstName] = customerId is { } c1 ? facts!.FirstName(c1) : "Мария",
            [MessageTemplate.LastName] = customerId is { } c2 ? facts!.LastName(c2) : "Петрова",
            [MessageTemplate.BonusActive] = (customerId is { } c3 ? facts!.BonusActive(c3).Major : 1250m).ToString("N0", CultureInfo.GetCultureInfo(options.Value.DefaultCulture)),
            [MessageTemplate.PromoCode] = SampleCode,
            [MessageTemplate.UnsubscribeUrl] = "#unsubscribe",
        };
        var unreachable = customerId is { } c4 ? facts!.Reach(c4, channel).Skip : null;
        if (unreachable is not null && step.FallbackChannel is { } f && CampaignDefinition.TryChannel(f, out var fallback) && customerId is { } c5
            && facts!.Reach(c5, fallback).Skip is null)
        {
            (channel, unreachable) = (fallback, null);
            step = step with { Channel = f };
        }
        var name = customerId is { } c6 ? string.Join(' ', new[] { facts!.FirstName(c6), facts.LastName(c6) }.Where(s => s is not null)) : null;
        if (channel == Channel.Email)
            return new Preview(MessageTemplate.Render(step.Subject ?? "", values, html: false), MessageTemplate.Render(step.Body ?? "", values, html: true),
                true, null, unreachable, name);
        var text = MessageTemplate.Render(step.Text ?? "", values, html: false);
        return new Preview(null, text, false, channel == Channel.Sms ? SmsText.Measure(text) : null, unreachable, name);
    }

    /// <summary>Sends the step's e-mail (or text) to a staff address through the configured provider; the sandbox only says where it would go.</summary>
    public async Task<SendResult?> TestSendAsync(CampaignStep step, string address, long? customerId, CancellationToken ct)
    {
        var preview = await RenderAsync(step, customerId, ct);
        CampaignDefinition.TryChannel(step.Channel, out var channel);
        var sender = senders.For(channel);
        if (sender is null) return null; // sandbox
        return await sender.SendAsync(new OutgoingMessage($"test-{Guid.NewGuid():N}", channel, address.Trim(), preview.Subject is { } s ? "[TEST] " + s : null,
            preview.Body, customerId ?? 0, "test"), ct);
    }
}
