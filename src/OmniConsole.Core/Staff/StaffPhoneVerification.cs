using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OmniConsole.Core.Campaigns.Delivery;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.IdentityResolution;

namespace OmniConsole.Core.Staff;

/// <summary>
/// A staff member proves the phone in their account is theirs before test sends go to it: a code by SMS (Identity's
/// change-phone token, bound to the number and the account), typed back on the account page. The sandbox sends nothing,
/// so there the code is shown on the page instead.
/// </summary>
public sealed class StaffPhoneVerification(UserManager<ApplicationUser> users, MessageSenders senders, IOptions<OmniConsoleOptions> options, TimeProvider clock)
{
    public enum Outcome { Sent, Sandbox, NoPhone, NoProvider, Failed }

    /// <param name="Code">the code itself, only where the sandbox sent nothing</param>
    public sealed record CodeResult(Outcome Outcome, string? Code = null, string? Error = null);

    public async Task<CodeResult> SendCodeAsync(ApplicationUser user, CancellationToken ct)
    {
        if (user.PhoneNumber is not { } typed || !new IdentifierNormalizer(options).TryPhone(typed, out var phone, out _)) return new(Outcome.NoPhone);
        var sender = senders.For(Channel.Sms);
        if (ReferenceEquals(sender, MessageSenders.NotConfigured)) return new(Outcome.NoProvider);
        var code = await users.GenerateChangePhoneNumberTokenAsync(user, typed);
        if (sender is null) return new(Outcome.Sandbox, code);
        var messageId = $"staff-phone-{user.Id}-{clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}";
        var result = await sender.SendAsync(new OutgoingMessage(messageId, Channel.Sms, phone, null, $"OmniConsole: {code}", 0, ""), ct);
        return result.Outcome == SendOutcome.Accepted ? new(Outcome.Sent) : new(Outcome.Failed, Error: result.Error);
    }

    /// <summary>True when the code is the one sent for the account's current phone: the phone is confirmed from then on.</summary>
    public async Task<bool> ConfirmAsync(ApplicationUser user, string? code)
    {
        if (user.PhoneNumber is not { } phone || string.IsNullOrWhiteSpace(code)) return false;
        return (await users.ChangePhoneNumberAsync(user, phone, code.Trim())).Succeeded;
    }
}
