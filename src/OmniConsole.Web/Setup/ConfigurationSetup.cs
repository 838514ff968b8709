using Microsoft.Extensions.Configuration.Json;

namespace OmniConsole.Web.Setup;

public static class ConfigurationSetup
{
    /// <summary>
    /// In Development, loads the repository's top-level appsettings.Development.json (copied next to the binaries),
    /// with the precedence the project's own would have: above appsettings.json, below environment variables and arguments.
    /// </summary>
    public static void AddRepositoryDevelopmentSettings(this WebApplicationBuilder builder)
    {
        if (!builder.Environment.IsDevelopment()) return;
        var path = Path.Combine(AppContext.BaseDirectory, "appsettings.Development.json");
        var sources = builder.Configuration.Sources;
        var after = sources.ToList().FindLastIndex(s => s is JsonConfigurationSource);
        var source = new JsonConfigurationSource { Path = path, Optional = true, ReloadOnChange = false };
        source.ResolveFileProvider();
        sources.Insert(after + 1, source);
    }
}
