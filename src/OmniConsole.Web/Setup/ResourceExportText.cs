using Microsoft.Extensions.Localization;
using OmniConsole.Core.Common;
using OmniConsole.Core.Exports;

namespace OmniConsole.Web.Setup;

/// <summary>The segment report's words from the app's English and Russian resources, in the culture the export runs in.</summary>
internal sealed class ResourceExportText : IExportText
{
    private readonly IStringLocalizer _localizer;

    public ResourceExportText(IStringLocalizer<SharedResource> localizer) => _localizer = localizer;

    private ResourceExportText(IStringLocalizer localizer) => _localizer = localizer;

    /// <summary>The words of a page's localizer (a segment's definition in words on the audit page).</summary>
    public static IExportText Of(IStringLocalizer localizer) => new ResourceExportText(localizer);

    public string this[string key] => _localizer[key] is { ResourceNotFound: false } found ? found.Value : new EnglishExportText()[key];
}
