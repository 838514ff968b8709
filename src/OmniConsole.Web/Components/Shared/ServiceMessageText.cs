using System.Globalization;
using Microsoft.Extensions.Localization;
using OmniConsole.Core.Common;

namespace OmniConsole.Web.Components.Shared;

/// <summary>
/// How every page shows what a Core service answered when it refused something (a validation error's message, a refused
/// change's exception message): in the user's language, from the resource of the message's template, with its values.
/// </summary>
public static class ServiceMessageText
{
    /// <summary>The message in the current UI culture; a message from no known template is shown as it came.</summary>
    public static string Message(this IStringLocalizer localizer, string? message) =>
        ServiceMessages.Translate(message, key => localizer[key] is { ResourceNotFound: false } text ? text.Value : null, CultureInfo.CurrentCulture);
}
