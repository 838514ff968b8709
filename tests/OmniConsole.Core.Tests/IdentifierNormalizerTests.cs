using OmniConsole.Core.Customers;

namespace OmniConsole.Core.Tests;

public sealed class IdentifierNormalizerTests : IDisposable
{
    private readonly TestDatabase _db = new(o => o.IdentifierBlocklist = ["8 999 999-99-99", "NoEmail@NoEmail.ru"]);

    [Theory]
    [InlineData("8 (999) 123-45-67")]
    [InlineData("+7 999 1234567")]
    [InlineData("79991234567")]
    [InlineData("89991234567")]
    [InlineData("+7(999)123-45-67")]
    public void RussianPhoneFormatsAreOnePhone(string raw)
    {
        Assert.True(_db.Normalizer.TryPhone(raw, out var e164, out _));
        Assert.Equal("+79991234567", e164);
    }

    [Theory]
    [InlineData("12")]
    [InlineData("not a phone")]
    [InlineData("")]
    public void NonPhonesAreRefusedWithAReason(string raw)
    {
        Assert.False(_db.Normalizer.TryPhone(raw, out _, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void EmailsAreTrimmedAndLowerCasedAndCardsLoseTheirSpaces()
    {
        Assert.True(_db.Normalizer.TryNormalize(IdentifierKind.Email, "  Anna.Smirnova@Example.RU ", out var email, out _));
        Assert.Equal("anna.smirnova@example.ru", email);
        Assert.True(_db.Normalizer.TryNormalize(IdentifierKind.Card, "2000 0000 0001 7", out var card, out _));
        Assert.Equal("2000000000017", card);
        Assert.False(_db.Normalizer.TryNormalize(IdentifierKind.Email, "anna@", out _, out _));
    }

    [Fact]
    public void BlocklistIsComparedAfterNormalisation()
    {
        Assert.True(_db.Normalizer.TryPhone("+7 (999) 999 99 99", out var phone, out _));
        Assert.True(_db.Normalizer.IsBlocked(phone));
        Assert.True(_db.Normalizer.IsBlocked("noemail@noemail.ru"));
        Assert.False(_db.Normalizer.IsBlocked("+79991234567"));
    }

    public void Dispose() => _db.Dispose();
}
