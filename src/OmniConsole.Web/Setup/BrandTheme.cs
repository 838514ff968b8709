using System.Text.Json;
using MudBlazor;

namespace OmniConsole.Web.Setup;

/// <summary>The MudBlazor theme, coloured from wwwroot-assets/theme.json so the brand can change without a rebuild.</summary>
public sealed class BrandTheme
{
    public MudTheme Theme { get; }

    private BrandTheme(MudTheme theme) => Theme = theme;

    private sealed record Colors(string Primary = "#5b3cc4", string Secondary = "#f0801a", string AppBarLight = "#ffffff",
        string AppBarDark = "#1e1e2d", string[]? FontFamily = null);

    public static BrandTheme Load(string path)
    {
        var colors = File.Exists(path)
            ? JsonSerializer.Deserialize<Colors>(File.ReadAllText(path), new JsonSerializerOptions(JsonSerializerDefaults.Web)) ?? new Colors()
            : new Colors();
        return new BrandTheme(new MudTheme
        {
            PaletteLight = new PaletteLight
            {
                Primary = colors.Primary, Secondary = colors.Secondary, AppbarBackground = colors.AppBarLight, AppbarText = "#1e1e2d",
            },
            PaletteDark = new PaletteDark
            {
                Primary = colors.Primary, Secondary = colors.Secondary, AppbarBackground = colors.AppBarDark,
            },
            Typography = new Typography { Default = new DefaultTypography { FontFamily = colors.FontFamily ?? ["Segoe UI", "Roboto", "Arial", "sans-serif"] } },
        });
    }
}
