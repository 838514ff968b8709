namespace OmniConsole.Web;

/// <summary>Marker for the UI's string resources: Resources/SharedResource.resx (English) and .ru.resx (Russian).</summary>
public sealed class SharedResource;
