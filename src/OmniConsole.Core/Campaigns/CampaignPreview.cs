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
    MessageSenders senders, TrackingLinks links)
{
    public const string SampleCode = "SAMPLE2345";

    /// <param name="NoSuchCustomer">the chosen customer does not exist: the preview shows the sample customer</param>
    public sealed record Preview(string? Subject, string Body, bool Html, SmsLength? Sms, SkipReason? Unreachable, string? CustomerName,
        bool NoSuchCustomer = false);

    public async Task<Preview> RenderAsync(CampaignStep step, long? customerId, CancellationToken ct)
    {
        CampaignDefinition.TryChannel(step.Channel, out var channel);
        // A chosen customer's own facts, else a sample customer's.
        (string? First, string? Last, decimal Bonus, Func<Channel, SkipReason?> Unreachable) who = ("Мария", "Петрова", 1250m, _ => null);
        string? name = null;
        var noSuchCustomer = false;
        if (customerId is { } id)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            // An unknown id's facts would read as "no consent, no contact": say there is no such customer, show the sample one.
            if (!await db.Customers.AnyAsync(c => c.Id == id, ct)) noSuchCustomer = true;
            else
            {
                var facts = await CustomerFacts.LoadAsync(db, [id], clock.GetUtcNow().UtcDateTime, withPush: true, ct);
                who = (facts.FirstName(id), facts.LastName(id), facts.BonusActive(id).Major, c => facts.Reach(id, c).Skip);
                name = string.Join(' ', new[] { who.First, who.Last }.Where(s => s is not null));
            }
        }
        var values = new Dictionary<string, string?>
        {
            [MessageTemplate.FirstName] = who.First,
            [MessageTemplate.LastName] = who.Last,
            [MessageTemplate.BonusActive] = MessageTemplate.Points(who.Bonus, CultureInfo.GetCultureInfo(options.Value.DefaultCulture)),
            [MessageTemplate.PromoCode] = SampleCode,
            // As long as the link the customer gets, so the SMS's length and parts are theirs.
            [MessageTemplate.UnsubscribeUrl] = links.SampleUnsubscribeUrl,
        };
        var unreachable = who.Unreachable(channel);
        if (unreachable is not null && step.FallbackChannel is { } f && CampaignDefinition.TryChannel(f, out var fallback) && who.Unreachable(fallback) is null)
        {
            (channel, unreachable) = (fallback, null);
            step = step with { Channel = f };
        }
        if (channel == Channel.Email)
            return new Preview(MessageTemplate.Render(step.Subject ?? "", values, html: false), MessageTemplate.Render(step.Body ?? "", values, html: true),
                true, null, unreachable, name, noSuchCustomer);
        var text = MessageTemplate.Render(step.Text ?? "", values, html: false);
        return new Preview(null, text, false, channel == Channel.Sms ? SmsText.Measure(text) : null, unreachable, name, noSuchCustomer);
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
