using OmniConsole.Core.Campaigns.Delivery;

namespace OmniConsole.Core.Tests.Campaigns;

public sealed class MessageTemplateTests
{
    private static readonly Dictionary<string, string?> Anna = new()
    {
        [MessageTemplate.FirstName] = "Анна",
        [MessageTemplate.LastName] = "<Smith & Co>",
        [MessageTemplate.BonusActive] = "1 250",
        [MessageTemplate.PromoCode] = "WELCOME-7Q2K",
        [MessageTemplate.UnsubscribeUrl] = "https://omni.example/t/u/abc",
    };

    [Fact]
    public void KnownTokensWithOrWithoutSpacesAreValid()
    {
        var text = "{{firstName}} {{ lastName }} {{bonusActive}} {{  promoCode}} {{unsubscribeUrl }}";

        Assert.Empty(MessageTemplate.Validate(text));
    }

    [Fact]
    public void TokenInOtherCaseIsUnknownWithTheKnownOneSuggested()
    {
        var errors = MessageTemplate.Validate("Hi {{firstname}}, {{ discount }}!");

        Assert.Equal(
            [
                new TemplateError(TemplateErrorKind.UnknownToken, "{{firstname}}", 3, "{{firstName}}"),
                new TemplateError(TemplateErrorKind.UnknownToken, "{{ discount }}", 18),
            ],
            errors);
    }

    [Fact]
    public void OpeningBracesWithoutClosingOnesAreUnclosed()
    {
        var errors = MessageTemplate.Validate("Hi {{firstName, your code {{promoCode}} and {{bonus");

        Assert.Equal(
            [
                new TemplateError(TemplateErrorKind.Unclosed, "{{firstName, your code ", 3),
                new TemplateError(TemplateErrorKind.Unclosed, "{{bonus", 44),
            ],
            errors);
    }

    [Fact]
    public void PlainTextRenderKeepsValuesAsTheyAre()
    {
        var text = MessageTemplate.Render("{{ firstName }} {{lastName}}: {{promoCode}}", Anna, html: false);

        Assert.Equal("Анна <Smith & Co>: WELCOME-7Q2K", text);
    }

    [Fact]
    public void HtmlRenderEncodesValuesSoTheyCannotBecomeMarkup()
    {
        var html = MessageTemplate.Render("<p>{{firstName}} {{lastName}}</p><a href=\"{{unsubscribeUrl}}\">x</a>", Anna, html: true);

        Assert.Equal("<p>Анна &lt;Smith &amp; Co&gt;</p><a href=\"https://omni.example/t/u/abc\">x</a>", html);
    }

    [Fact]
    public void MissingValueRendersEmptyAndUnknownTokensStayAsWritten()
    {
        var text = MessageTemplate.Render("{{firstName}}|{{promoCode}}|{{firstname}}|{{oops",
            new Dictionary<string, string?> { [MessageTemplate.FirstName] = "Vera", [MessageTemplate.PromoCode] = null }, html: false);

        Assert.Equal("Vera||{{firstname}}|{{oops", text);
    }

    [Fact]
    public void UsesTokenFindsTheTokenOnlyWhenItIsReallyThere()
    {
        Assert.True(MessageTemplate.UsesToken("Your code: {{ promoCode }}", MessageTemplate.PromoCode));
        Assert.False(MessageTemplate.UsesToken("Your code: {{promocode}} or promoCode", MessageTemplate.PromoCode));
        Assert.False(MessageTemplate.UsesToken("{{promoCode", MessageTemplate.PromoCode));
    }
}
