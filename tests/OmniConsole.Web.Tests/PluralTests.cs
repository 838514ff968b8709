using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using OmniConsole.Web.Components.Shared;

namespace OmniConsole.Web.Tests;

/// <summary>Counts say their noun in the form the number takes: "64 символа", not "64 символов".</summary>
public sealed class PluralTests
{
    private static IStringLocalizer Localizer(string culture)
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
        var services = new ServiceCollection().AddLogging().AddLocalization(o => o.ResourcesPath = "Resources").BuildServiceProvider();
        return services.GetRequiredService<IStringLocalizer<SharedResource>>();
    }

    [Theory]
    [InlineData(1, "1 символ")]
    [InlineData(2, "2 символа")]
    [InlineData(4, "4 символа")]
    [InlineData(5, "5 символов")]
    [InlineData(11, "11 символов")]
    [InlineData(12, "12 символов")]
    [InlineData(14, "14 символов")]
    [InlineData(21, "21 символ")]
    [InlineData(22, "22 символа")]
    [InlineData(64, "64 символа")]
    [InlineData(111, "111 символов")]
    [InlineData(0, "0 символов")]
    public void RussianCountsTakeTheRightForm(long count, string expected) => Assert.Equal(expected, Localizer("ru-RU").Count(count, "character|characters"));

    [Fact]
    public void EnglishCountsTakeTheRightForm()
    {
        var en = Localizer("en-US");
        Assert.Equal(["1 part", "2 parts", "1,000 characters"], [en.Count(1, "part|parts"), en.Count(2, "part|parts"), en.Count(1000, "character|characters")]);
    }
}
