using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OmniConsole.Core.Campaigns;
using OmniConsole.Core.Common;
using OmniConsole.Core.Loyalty;
using OmniConsole.Core.Segments;

namespace OmniConsole.Core.Tests;

/// <summary>
/// The services' refusals are English made from templates (the API returns them as they are), and each one can be matched
/// back to its template and values, which is how the UI shows it in its reader's language.
/// </summary>
public sealed class ServiceMessagesTests
{
    [Fact]
    public void TemplatesNumberTheirPlaceholdersOnceEachAndMarkVocabulariesWithADash()
    {
        Assert.True(ServiceMessages.Templates.Count > 100);
        foreach (var template in ServiceMessages.Templates)
        {
            var slots = ServiceMessages.Slots(template);
            Assert.Equal(Enumerable.Range(0, slots.Count), slots.Select(s => s.Index).Order());
            Assert.All(slots.Where(s => s.Vocabulary is not null), s => Assert.EndsWith("-", s.Vocabulary));
            // The matcher reads braces as placeholders only: a literal brace travels as a value.
            Assert.DoesNotMatch(new Regex(@"\{\{|\}\}|\{(?!\d)"), template);
        }
    }

    [Fact]
    public void EveryTemplateIsFoundAgainFromItsMessageWithItsValues()
    {
        foreach (var template in ServiceMessages.Templates)
        {
            var values = ServiceMessages.Slots(template).OrderBy(s => s.Index).Select(s => $"value {s.Index}").ToArray();
            var message = ServiceMessages.Format(template, values);

            var match = ServiceMessages.Match(message);

            Assert.True(match is not null, $"Nothing matches \"{message}\"");
            Assert.Equal(template, match.Value.Template);
            Assert.Equal(values, match.Value.Values);
        }
    }

    [Fact]
    public void OtherTextIsNotAMessageAndStaysAsItIs()
    {
        Assert.Null(ServiceMessages.Match("Something the services never say."));
        Assert.Equal("Something the services never say.", ServiceMessages.Translate("Something the services never say.", _ => "Другое", new("ru-RU")));
    }

    [Fact]
    public void TheApiMessagesAreTheEnglishTheyWere()
    {
        var input = new CampaignInput
        {
            Name = " ", Steps = [new CampaignStep { Channel = "email", Subject = "{{firstname}}", Body = "Hi {{first" }, new CampaignStep { Wait = "3 days" }],
        };
        var messages = CampaignDefinition.Validate(input, new MessagingOptions(), out _, out _).Select(e => e.Message).ToList();

        Assert.Equal(
        [
            "A campaign needs a name.",
            "Choose the audience: a segment.",
            "No provider is configured for email (OmniConsole:Messaging:Email:Provider).",
            "Unknown token {{firstname}} (did you mean {{firstName}}?); the tokens are {{firstName}}, {{lastName}}, {{bonusActive}}, {{promoCode}}, {{unsubscribeUrl}}.",
            "{{first is not closed with }}.",
            "'3 days' is not an ISO 8601 duration between a minute and a year, such as PT24H or P3D.",
        ], messages);
        Assert.Equal("Campaign cmp-1 is running; it cannot be launched.", ServiceMessages.Format(CampaignMessages.CannotLaunch, "cmp-1", "running"));
        Assert.Equal("An empty \"any\" group is not allowed: add at least one condition.",
            SegmentDefinition.Parse("""{"all":[{"any":[]}]}""").Errors.Single().Message);
    }

    /// <summary>Wrong input of every kind the validators check without a database: each message they give is from a template.</summary>
    [Fact]
    public void EveryMessageOfTheValidatorsComesFromATemplate()
    {
        var messaging = new MessagingOptions { Email = { Provider = "Sandbox" }, Sms = { Provider = "Sandbox" } };
        var campaigns = new[]
        {
            new CampaignInput(),
            new CampaignInput { Name = new string('n', 201), Steps = [null!, new CampaignStep { Wait = "P3D", Unless = "opened" }] },
            new CampaignInput
            {
                Name = "Welcome", SegmentId = 1, Trigger = new CampaignTrigger { Kind = "cartAbandoned", Hours = 0 },
                Steps =
                [
                    new CampaignStep { Channel = "fax" },
                    new CampaignStep { Channel = "email", Subject = new string('s', 201), Body = "{{firstname}} {{nope}} {{first", FallbackChannel = "email" },
                    new CampaignStep { Channel = "viber", Text = "", FallbackChannel = "telegram" },
                    new CampaignStep { Channel = "sms", Text = new string('я', 1000) },
                    new CampaignStep { Wait = "3 days", Unless = "maybe", Channel = "sms" },
                ],
            },
            new CampaignInput { Name = "Lapsed", SegmentId = 1, Trigger = new CampaignTrigger { Kind = "noPurchase" }, Steps = [new CampaignStep { Channel = "email" }] },
            new CampaignInput { Name = "Other", SegmentId = 1, Trigger = new CampaignTrigger { Kind = "sometime" }, Steps = [.. Enumerable.Repeat(new CampaignStep { Wait = "PT1H" }, 21)] },
        };
        var messages = campaigns.SelectMany(c => CampaignDefinition.Validate(c, messaging, out _, out _)).Select(e => e.Message).ToList();

        string[] segments =
        [
            "{", "[]", """{"all":[]}""", """{"any":{}}""", """{"all":[],"not":{}}""", """{"not":{},"x":1}""",
            """{"op":"eq","value":1}""", """{"attr":"height","op":"eq","value":1}""",
            """{"attr":"age","withinDays":3,"op":"eq","value":1}""", """{"attr":"purchases","color":"red","op":"gte","value":1}""",
            """{"attr":"events","op":"gte","value":1}""", """{"attr":"events","type":"nope","channel":"fax","withinDays":0,"op":"gte","value":1}""",
            """{"attr":"purchases","storeCode":"","op":"gte","value":1}""",
            """{"attr":"age"}""", """{"attr":"age","op":"like","value":1}""", """{"attr":"age","op":"eq"}""",
            """{"attr":"city","op":"in","value":[]}""", """{"attr":"city","op":"eq","value":""}""", """{"attr":"gender","op":"eq","value":"x"}""",
            """{"attr":"gender","op":"eq","value":1}""", """{"attr":"inSegment","op":"eq","value":"a"}""",
            """{"attr":"age","op":"between","value":[1]}""", """{"attr":"age","op":"between","value":[5,1]}""",
            """{"attr":"age","op":"eq","value":"a"}""", """{"attr":"age","op":"eq","value":1.5}""", """{"attr":"spent","op":"eq","value":1.555}""",
            string.Concat(Enumerable.Repeat("""{"not":""", 40)) + """{"attr":"age","op":"eq","value":1}""" + new string('}', 40),
            """{"any":[""" + string.Join(",", Enumerable.Repeat("""{"attr":"age","op":"eq","value":1}""", 600)) + "]}",
        ];
        messages.AddRange(segments.SelectMany(json => SegmentDefinition.Parse(json).Errors).Select(e => e.Message));

        messages.AddRange(TierService.Validate([new("", 5), null!, new(new string('t', 33), -1), new("Gold", 10), new("gold", 5)]).Select(e => e.Message));

        Assert.True(messages.Count > 50);
        Assert.All(messages, message =>
        {
            var match = ServiceMessages.Match(message);
            Assert.True(match is not null, $"No template makes \"{message}\"");
            Assert.Equal(message, ServiceMessages.Format(match.Value.Template, match.Value.Values));
        });
    }

    [Fact]
    public void WordsOfAVocabularyAreReadFromTheirResourcesAndOtherValuesAreShownAsTheyCame()
    {
        var russian = new Dictionary<string, string>
        {
            [CampaignMessages.CannotLaunch] = "Кампания {0} в статусе «{1:campaign-}»: запустить её нельзя.",
            [CampaignMessages.NotADuration] = "«{0}» — не длительность ISO 8601 от минуты до года, например PT24H или P3D.",
            ["campaign-running"] = "идёт",
            ["running"] = "бежит", // a value is never looked up on its own
        };
        string Translate(string message) => ServiceMessages.Translate(message, key => russian.GetValueOrDefault(key), new("ru-RU"));

        Assert.Equal("Кампания cmp-1 в статусе «идёт»: запустить её нельзя.", Translate(ServiceMessages.Format(CampaignMessages.CannotLaunch, "cmp-1", "running")));
        Assert.Equal("«running» — не длительность ISO 8601 от минуты до года, например PT24H или P3D.", Translate(ServiceMessages.Format(CampaignMessages.NotADuration, "running")));
        // No resource for the template: the English message.
        Assert.Equal("Days: 1 to 1,000.", Translate(CampaignMessages.TriggerDays));
    }
}
