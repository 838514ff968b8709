using Microsoft.Extensions.Localization;
using OmniConsole.Core.Exports;

namespace OmniConsole.Web.Setup;

/// <summary>The segment report's words from the app's English and Russian resources, in the culture the export runs in.</summary>
internal sealed class ResourceExportText(IStringLocalizer<SharedResource> localizer) : IExportText
{
    public string this[string key] => localizer[key] is { ResourceNotFound: false } found ? found.Value : new EnglishExportText()[key];
}
