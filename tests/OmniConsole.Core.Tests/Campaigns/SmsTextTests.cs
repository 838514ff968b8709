using OmniConsole.Core.Campaigns.Delivery;

namespace OmniConsole.Core.Tests.Campaigns;

public sealed class SmsTextTests
{
    [Theory]
    [InlineData(160, 1)]
    [InlineData(161, 2)]
    [InlineData(306, 2)]
    [InlineData(307, 3)]
    public void Gsm7TextIs160InOnePartAnd153PerConcatenatedPart(int length, int parts)
    {
        var measured = SmsText.Measure(new string('a', length));

        Assert.Equal(new SmsLength(SmsEncoding.Gsm7, length, parts), measured);
    }

    [Theory]
    [InlineData(70, 1)]
    [InlineData(71, 2)]
    [InlineData(134, 2)]
    [InlineData(135, 3)]
    public void CyrillicTextIsUcs2At70InOnePartAnd67PerConcatenatedPart(int length, int parts)
    {
        var measured = SmsText.Measure(new string('ж', length));

        Assert.Equal(new SmsLength(SmsEncoding.Ucs2, length, parts), measured);
    }

    [Theory]
    [InlineData("€")]
    [InlineData("{")]
    [InlineData("}")]
    [InlineData("[")]
    [InlineData("~")]
    [InlineData("\\")]
    [InlineData("^")]
    [InlineData("|")]
    public void ExtensionTableCharacterStaysGsm7AndCountsTwo(string character)
    {
        Assert.Equal(new SmsLength(SmsEncoding.Gsm7, 2, 1), SmsText.Measure(character));
        // 159 + 2 septets no longer fit in one SMS.
        Assert.Equal(new SmsLength(SmsEncoding.Gsm7, 161, 2), SmsText.Measure(new string('a', 159) + character));
    }

    [Fact]
    public void GsmAccentsAndGreekCapitalsAreSingleSeptets()
    {
        Assert.Equal(new SmsLength(SmsEncoding.Gsm7, 8, 1), SmsText.Measure("éèÄΔΩ@£¿"));
    }

    [Fact]
    public void EscapeSequenceIsNotSplitAcrossParts()
    {
        // 152 + '€' would put the ESC in part one and the € in part two: senders move the pair, so the third part starts earlier.
        var text = new string('a', 152) + "€" + new string('a', 152);

        Assert.Equal(new SmsLength(SmsEncoding.Gsm7, 306, 3), SmsText.Measure(text));
    }

    [Fact]
    public void EmojiMakesTheTextUcs2AndCountsTwoCodeUnits()
    {
        Assert.Equal(new SmsLength(SmsEncoding.Ucs2, 2, 1), SmsText.Measure("😀"));
        Assert.Equal(new SmsLength(SmsEncoding.Ucs2, 70, 1), SmsText.Measure(new string('a', 68) + "😀"));
        Assert.Equal(new SmsLength(SmsEncoding.Ucs2, 71, 2), SmsText.Measure(new string('a', 69) + "😀"));
    }

    [Fact]
    public void LatinTextWithOneNonGsmCharacterIsUcs2()
    {
        // 'ç' (lower case) is not in the GSM basic set, only 'Ç' is.
        Assert.Equal(SmsEncoding.Ucs2, SmsText.Measure("Garçon").Encoding);
        Assert.Equal(SmsEncoding.Gsm7, SmsText.Measure("GARÇON").Encoding);
    }

    [Fact]
    public void EmptyTextIsNoParts()
    {
        Assert.Equal(new SmsLength(SmsEncoding.Gsm7, 0, 0), SmsText.Measure(""));
    }
}
