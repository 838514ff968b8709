using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using OmniConsole.Web.Components.Shared;

namespace OmniConsole.Web.Tests;

/// <summary>Form validation answers in the user's language, with the fields' labels (the sign-in and account pages use it).</summary>
public sealed class LocalizedValidatorTests : BunitContext
{
    public LocalizedValidatorTests() => Services.AddLocalization(o => o.ResourcesPath = "Resources");

    private sealed class Model
    {
        [Required, EmailAddress] public string Email { get; set; } = "";
        [Required, Display(Name = "Current password")] public string OldPassword { get; set; } = "";
        [Required, StringLength(100, ErrorMessage = "The {0} must be at least {2} and at max {1} characters long.", MinimumLength = 6), Display(Name = "New password")]
        public string NewPassword { get; set; } = "abc";
    }

    private IReadOnlyList<string> Validate(string culture)
    {
        var previous = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
        try
        {
            var context = new EditContext(new Model());
            Render<CascadingValue<EditContext>>(p => p.Add(x => x.Value, context).AddChildContent<LocalizedValidator>());
            Assert.False(context.Validate());
            return context.GetValidationMessages().ToList();
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = previous;
        }
    }

    [Fact]
    public void MessagesAreInRussianForARussianUser()
    {
        var messages = Validate("ru-RU");
        Assert.Contains("Заполните поле «E-mail».", messages);
        Assert.Contains("Заполните поле «Текущий пароль».", messages);
        Assert.Contains("«Новый пароль»: от 6 до 100 знаков.", messages);
    }

    [Fact]
    public void MessagesAreInEnglishForAnEnglishUser()
    {
        var messages = Validate("en-US");
        Assert.Contains("The E-mail field is required.", messages);
        Assert.Contains("The New password must be at least 6 and at max 100 characters long.", messages);
    }
}
