using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OmniConsole.Core.Audit;
using OmniConsole.Core.Campaigns.Delivery;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Data;
using OmniConsole.Core.IdentityResolution;

namespace OmniConsole.Core.Campaigns;

/// <summary>
/// The editor's live preview: a send step as one chosen customer would get it (their name and points; a sample code,
/// since a preview must not hand out a real one), whether the channel reaches them, and an SMS's length in parts.
/// Also the test send to a staff address through the channel's real provider.
/// </summary>
public sealed class CampaignPreview(IDbContextFactory<OmniConsoleDbContext> dbFactory, TimeProvider clock, IOptions<OmniConsoleOptions> options,
    MessageSenders senders, TrackingLinks links, Customers.CustomerSearch search)
{
    public const string SampleCode = "SAMPLE2345";

    /// <summary>The customer a preview is for: <c>Id</c> 0 or less when a number typed is not one; null when no one matches.</summary>
    public sealed record PreviewCustomer(long Id, string? Name);

    /// <summary>
    /// The customer to preview for, as a person names them: "#123" or a short number is the customer's number; anything
    /// else is looked up as the lookup box does (phone, card, e-mail, name: the best match first), and audited as a search.
    /// </summary>
    public async Task<PreviewCustomer?> FindCustomerAsync(string query, string actor, CancellationToken ct)
    {
        var text = query.Trim();
        var number = text.StartsWith('#') ? text[1..].Trim() : text;
        // Phones have ten digits or more: fewer digits alone are a customer's number.
        if (number.Length is > 0 and <= 9 && (text.StartsWith('#') || number.All(char.IsAsciiDigit)))
            return long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id) ? new(id, null) : new(0, null);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var hits = await search.SearchAsync(db, text, 1, actor, ct);
        return hits.Count > 0 ? new(hits[0].Id, hits[0].Name) : null;
    }

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

    /// <summary>What a test send came to: sent, not taken by the provider (its error), the sandbox's nothing, or refused here (the message).</summary>
    public enum TestSendOutcome { Sent, NotTaken, Sandbox, Refused }

    /// <param name="WouldSend">In the sandbox: the message a provider would have been given, so a test can still be checked.</param>
    public sealed record TestSendResult(TestSendOutcome Outcome, string? Message = null, Preview? WouldSend = null);

    /// <summary>
    /// Sends the step's e-mail (or text) through the configured provider, to a staff account's own e-mail or phone only: a
    /// test must not become a way to send anyone anything. Push goes to a customer's app, never staff's, so it has no test
    /// sends. Every attempt is audited, the refused ones too. The sandbox only says where it would go.
    /// </summary>
    public async Task<TestSendResult> TestSendAsync(CampaignStep step, string address, long? customerId, string actor, CancellationToken ct)
    {
        address = (address ?? "").Trim();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var known = CampaignDefinition.TryChannel(step.Channel, out var channel);
        var (to, refusal) = !known ? (null, ServiceMessages.Format(CampaignMessages.NotAChannel, step.Channel))
            : await StaffAddressAsync(db, channel, address, ct);
        TestSendResult result;
        long? rendered = null;
        var sender = to is null ? null : senders.For(channel);
        if (refusal is not null) result = new(TestSendOutcome.Refused, refusal);
        else if (sender is null)
        {
            var preview = await RenderAsync(step with { FallbackChannel = null }, customerId, ct);
            result = new(TestSendOutcome.Sandbox, WouldSend: preview with { Subject = preview.Subject is { } s ? "[TEST] " + s : null });
        }
        else
        {
            // The step's own channel: its fallback goes to another kind of address than the one checked.
            var preview = await RenderAsync(step with { FallbackChannel = null }, customerId, ct);
            if (!preview.NoSuchCustomer) rendered = customerId;
            var sent = await sender.SendAsync(new OutgoingMessage($"test-{Guid.NewGuid():N}", channel, to!, preview.Subject is { } s ? "[TEST] " + s : null,
                preview.Body, customerId ?? 0, "test"), ct);
            result = sent.Outcome == SendOutcome.Accepted ? new(TestSendOutcome.Sent) : new(TestSendOutcome.NotTaken, sent.Error);
        }
        var shown = Clip(to ?? address, 200);
        var channelName = known ? channel.ApiName() : Clip(step.Channel ?? "", 20);
        var details = result.Outcome switch
        {
            TestSendOutcome.Sent => AuditText.Format(AuditText.TestSent, channelName, shown),
            TestSendOutcome.NotTaken => AuditText.Format(AuditText.TestNotTaken, channelName, shown, Clip(result.Message ?? "", 300)),
            TestSendOutcome.Sandbox => AuditText.Format(AuditText.TestSandbox, channelName, shown),
            _ => AuditText.Format(AuditText.TestRefused, channelName, shown),
        };
        // The preview customer's name and points went out in it: the entry names them.
        db.AuditEntries.Add(new AuditEntry { AtUtc = clock.GetUtcNow().UtcDateTime, Actor = actor, Action = AuditAction.CampaignTestSent, CustomerId = rendered, Details = details });
        await db.SaveChangesAsync(ct);
        return result;
    }

    /// <summary>The address normalised when it is a staff account's e-mail (or phone, for the channels that go to a phone); else why not.</summary>
    private async Task<(string? To, string? Refusal)> StaffAddressAsync(OmniConsoleDbContext db, Channel channel, string address, CancellationToken ct)
    {
        switch (channel)
        {
            case Channel.Email:
                if (!IdentifierNormalizer.TryEmail(address, out var email, out _)) return (null, ServiceMessages.Format(CampaignMessages.TestNotAnEmail, Clip(address, 100)));
                var upper = email.ToUpperInvariant(); // as Identity normalises e-mails
                return await db.Users.AnyAsync(u => u.NormalizedEmail == upper, ct) ? (email, null) : (null, CampaignMessages.TestStaffEmailOnly);
            case Channel.Sms or Channel.Viber or Channel.Telegram:
                var normalizer = new IdentifierNormalizer(options);
                if (!normalizer.TryPhone(address, out var phone, out _)) return (null, ServiceMessages.Format(CampaignMessages.TestNotAPhone, Clip(address, 100)));
                // Staff phones are stored as typed: compared in one form (a few dozen accounts). Only a phone its owner
                // confirmed with a code (the account page): anyone can type someone else's number into their account.
                var staffPhones = await db.Users.Where(u => u.PhoneNumber != null && u.PhoneNumberConfirmed).Select(u => u.PhoneNumber!).ToListAsync(ct);
                return staffPhones.Any(p => normalizer.TryPhone(p, out var staff, out _) && staff == phone) ? (phone, null) : (null, CampaignMessages.TestStaffPhoneOnly);
            default:
                return (null, CampaignMessages.TestNoPush);
        }
    }

    private static string Clip(string text, int length) => text.Length <= length ? text : text[..length] + "…";
}
