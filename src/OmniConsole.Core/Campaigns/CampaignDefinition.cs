using System.Xml;
using OmniConsole.Core.Channels;

namespace OmniConsole.Core.Campaigns;

public enum WaitUnless { Opened, Clicked, Purchased }

public enum TriggerKind { CartAbandoned, FirstPurchase, NoPurchase, AfterPurchase, Birthday, BonusActivated, PointsExpiring }

/// <summary>
/// A step of the flow: a send (<see cref="Channel"/> set) or a wait (<see cref="Wait"/> set, an ISO 8601 duration).
/// A send with a <see cref="FallbackChannel"/> goes there with <see cref="Text"/> when the first channel cannot reach
/// the customer (no consent or no identifier).
/// </summary>
public sealed record CampaignStep
{
    public string? Channel { get; init; }
    public string? Subject { get; init; }
    public string? Body { get; init; }
    public string? Text { get; init; }
    public int? PromoCampaignId { get; init; }
    public string? FallbackChannel { get; init; }
    public string? Wait { get; init; }
    public string? Unless { get; init; }

    public bool IsWait => Wait is not null;
}

/// <summary>Starts the flow per customer when something happens, instead of for the whole audience at launch.</summary>
public sealed record CampaignTrigger
{
    public string? Kind { get; init; }
    /// <summary>Cart abandoned that many hours with no purchase.</summary>
    public int? Hours { get; init; }
    /// <summary>No purchase for N days; N days after a purchase; points expiring within N days.</summary>
    public int? Days { get; init; }
}

/// <summary>A campaign as the API and the editor give it (MANAGEMENT-API.md, Campaigns).</summary>
public sealed record CampaignInput
{
    public string? Name { get; init; }
    public int? SegmentId { get; init; }
    public List<int>? ExcludeSegmentIds { get; init; }
    public List<CampaignStep>? Steps { get; init; }
    public CampaignTrigger? Trigger { get; init; }
}

/// <summary>A definition checked and parsed: what the flow and the dispatcher run.</summary>
public sealed record ParsedStep(int Index, Channel? Channel, string? Subject, string? Body, string? Text, int? PromoCampaignId,
    Channel? FallbackChannel, TimeSpan? Wait, WaitUnless? Unless)
{
    public bool IsSend => Channel is not null;
}

public sealed record ParsedTrigger(TriggerKind Kind, int? Hours, int? Days);

public static class CampaignDefinition
{
    public static readonly Channel[] SendChannels = [Channels.Channel.Email, Channels.Channel.Sms, Channels.Channel.Viber, Channels.Channel.Telegram, Channels.Channel.Push];

    /// <summary>Checks a definition: every problem with the field it is in, as the API's 400 and the editor show them.</summary>
    public static List<FieldError> Validate(CampaignInput input, MessagingOptions messaging, out List<ParsedStep> steps, out ParsedTrigger? trigger)
    {
        var errors = new List<FieldError>();
        steps = [];
        trigger = null;
        var name = input.Name?.Trim();
        if (string.IsNullOrEmpty(name)) errors.Add(new("name", "A campaign needs a name."));
        else if (name.Length > 200) errors.Add(new("name", "A name is at most 200 characters."));
        if (input.SegmentId is null) errors.Add(new("segmentId", "Choose the audience: a segment."));
        if (input.Steps is not { Count: > 0 })
        {
            errors.Add(new("steps", "A campaign needs at least one send step."));
            return errors;
        }
        if (input.Steps.Count > 20) errors.Add(new("steps", "At most 20 steps."));
        for (var i = 0; i < input.Steps.Count && i < 20; i++)
        {
            var step = input.Steps[i];
            var at = $"steps[{i}]";
            if (step is null) { errors.Add(new(at, "A step is a send { channel, … } or a wait { wait, unless }.")); continue; }
            if (step.IsWait)
            {
                if (step.Channel is not null) errors.Add(new($"{at}.channel", "A step either sends or waits, not both."));
                TimeSpan? wait = null;
                try { wait = XmlConvert.ToTimeSpan(step.Wait!.Trim()); } catch (FormatException) { }
                catch (OverflowException) { }
                if (wait is not { } w || w <= TimeSpan.Zero || w > TimeSpan.FromDays(365))
                    errors.Add(new($"{at}.wait", $"'{step.Wait}' is not an ISO 8601 duration between a minute and a year, such as PT24H or P3D."));
                WaitUnless? unless = null;
                if (step.Unless is { } u)
                {
                    if (Enum.TryParse<WaitUnless>(u, ignoreCase: true, out var parsed) && !int.TryParse(u, out _)) unless = parsed;
                    else errors.Add(new($"{at}.unless", "'unless' is opened, clicked or purchased."));
                }
                steps.Add(new ParsedStep(i, null, null, null, null, null, null, wait, unless));
                continue;
            }
            if (!TryChannel(step.Channel, out var channel))
            {
                errors.Add(new($"{at}.channel", $"'{step.Channel}' is not a channel a campaign sends through: email, sms, viber, telegram or push."));
                continue;
            }
            if (messaging.ProviderOf(channel) is not { Length: > 0 })
                errors.Add(new($"{at}.channel", $"No provider is configured for {channel.ApiName()} (OmniConsole:Messaging:{channel}:Provider)."));
            Channel? fallback = null;
            if (step.FallbackChannel is { } f)
            {
                if (!TryChannel(f, out var fc) || fc == Channels.Channel.Email || fc == channel)
                    errors.Add(new($"{at}.fallbackChannel", "A fallback is another of sms, viber, telegram or push, and sends the step's text."));
                else if (messaging.ProviderOf(fc) is not { Length: > 0 })
                    errors.Add(new($"{at}.fallbackChannel", $"No provider is configured for {fc.ApiName()}."));
                else fallback = fc;
            }
            if (channel == Channels.Channel.Email)
            {
                if (string.IsNullOrWhiteSpace(step.Subject)) errors.Add(new($"{at}.subject", "An e-mail needs a subject."));
                else if (step.Subject.Length > 200) errors.Add(new($"{at}.subject", "A subject is at most 200 characters."));
                if (string.IsNullOrWhiteSpace(step.Body)) errors.Add(new($"{at}.body", "An e-mail needs a body (HTML)."));
                else if (step.Body.Length > 100_000) errors.Add(new($"{at}.body", "A body is at most 100,000 characters."));
                CheckTokens(step.Subject, $"{at}.subject");
                CheckTokens(step.Body, $"{at}.body");
            }
            if (channel != Channels.Channel.Email || fallback is not null)
            {
                if (string.IsNullOrWhiteSpace(step.Text)) errors.Add(new($"{at}.text", "The message needs a text."));
                else
                {
                    CheckTokens(step.Text, $"{at}.text");
                    if ((channel == Channels.Channel.Sms || fallback == Channels.Channel.Sms) && Delivery.SmsText.Measure(step.Text).Parts > messaging.SmsMaxParts)
                        errors.Add(new($"{at}.text", $"The SMS is {Delivery.SmsText.Measure(step.Text).Parts} parts; at most {messaging.SmsMaxParts} are allowed (OmniConsole:Messaging:SmsMaxParts)."));
                    else if (step.Text.Length > 4000) errors.Add(new($"{at}.text", "A text is at most 4,000 characters."));
                }
            }
            steps.Add(new ParsedStep(i, channel, step.Subject?.Trim(), step.Body, step.Text?.Trim(), step.PromoCampaignId, fallback, null, null));
        }
        if (!steps.Any(s => s.IsSend)) errors.Add(new("steps", "A campaign needs at least one send step."));
        // By the steps' own indexes: a step that failed its checks is not in the parsed list.
        foreach (var wait in steps.Where(s => s.Unless is WaitUnless.Opened or WaitUnless.Clicked))
            if (steps.FirstOrDefault(s => s.Index == wait.Index - 1) is not { IsSend: true })
                errors.Add(new($"steps[{wait.Index}].unless", "'opened' and 'clicked' look at the send step just before the wait."));
        if (input.Trigger is { } t)
        {
            if (!Enum.TryParse<TriggerKind>(t.Kind?.Replace("_", ""), ignoreCase: true, out var kind) || int.TryParse(t.Kind, out _))
                errors.Add(new("trigger.kind", "A trigger is cartAbandoned, firstPurchase, noPurchase, afterPurchase, birthday, bonusActivated or pointsExpiring."));
            else
            {
                if (kind == TriggerKind.CartAbandoned && t.Hours is not (>= 1 and <= 720)) errors.Add(new("trigger.hours", "Hours after the cart was left: 1 to 720."));
                if (kind is TriggerKind.NoPurchase or TriggerKind.AfterPurchase or TriggerKind.PointsExpiring && t.Days is not (>= 1 and <= 1000))
                    errors.Add(new("trigger.days", "Days: 1 to 1,000."));
                trigger = new ParsedTrigger(kind, t.Hours, t.Days);
            }
        }
        return errors;

        void CheckTokens(string? text, string field)
        {
            if (text is null) return;
            foreach (var e in Delivery.MessageTemplate.Validate(text))
                errors.Add(new(field, e.Kind == Delivery.TemplateErrorKind.Unclosed ? $"{e.Token} is not closed with }}}}."
                    : $"Unknown token {e.Token}{(e.Suggestion is { } s ? $" (did you mean {s}?)" : "")}; the tokens are {{{{firstName}}}}, {{{{lastName}}}}, {{{{bonusActive}}}}, {{{{promoCode}}}}, {{{{unsubscribeUrl}}}}."));
        }
    }

    public static bool TryChannel(string? name, out Channel channel)
    {
        channel = default;
        return ChannelNames.TryParseClient(name?.Trim().ToLowerInvariant(), out channel) && SendChannels.Contains(channel);
    }

    public static List<ParsedStep> Parse(CampaignInput input)
    {
        var steps = new List<ParsedStep>();
        for (var i = 0; i < (input.Steps?.Count ?? 0); i++)
        {
            var s = input.Steps![i];
            if (s.IsWait)
                steps.Add(new ParsedStep(i, null, null, null, null, null, null, XmlConvert.ToTimeSpan(s.Wait!.Trim()),
                    s.Unless is { } u ? Enum.Parse<WaitUnless>(u, ignoreCase: true) : null));
            else
            {
                TryChannel(s.Channel, out var channel);
                Channel? fallback = TryChannel(s.FallbackChannel, out var f) ? f : null;
                steps.Add(new ParsedStep(i, channel, s.Subject?.Trim(), s.Body, s.Text?.Trim(), s.PromoCampaignId, fallback, null, null));
            }
        }
        return steps;
    }

    public static ParsedTrigger? ParseTrigger(CampaignInput input) =>
        input.Trigger is { Kind: { } k } t && Enum.TryParse<TriggerKind>(k.Replace("_", ""), ignoreCase: true, out var kind) ? new(kind, t.Hours, t.Days) : null;
}
