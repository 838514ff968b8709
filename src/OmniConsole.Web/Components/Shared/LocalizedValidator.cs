using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.Localization;

namespace OmniConsole.Web.Components.Shared;

/// <summary>
/// DataAnnotationsValidator in the user's language: the same attributes, with their messages and the fields' display
/// names read from the string resources (DataAnnotations alone always answer in English in Blazor).
/// </summary>
public sealed class LocalizedValidator : ComponentBase, IDisposable
{
    [CascadingParameter] private EditContext? EditContext { get; set; }
    [Inject] private IStringLocalizer<SharedResource> L { get; set; } = default!;

    private ValidationMessageStore? _messages;
    private EditContext? _subscribed;

    protected override void OnParametersSet()
    {
        if (EditContext is null) throw new InvalidOperationException($"{nameof(LocalizedValidator)} goes inside an EditForm.");
        if (ReferenceEquals(EditContext, _subscribed)) return;
        Unsubscribe();
        _messages = new ValidationMessageStore(EditContext);
        EditContext.OnValidationRequested += ValidateModel;
        EditContext.OnFieldChanged += ValidateField;
        _subscribed = EditContext;
    }

    private void ValidateModel(object? sender, ValidationRequestedEventArgs e)
    {
        _messages!.Clear();
        var model = _subscribed!.Model;
        foreach (var property in model.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
            Validate(model, property);
        _subscribed.NotifyValidationStateChanged();
    }

    private void ValidateField(object? sender, FieldChangedEventArgs e)
    {
        if (e.FieldIdentifier.Model.GetType().GetProperty(e.FieldIdentifier.FieldName) is not { } property) return;
        _messages!.Clear(e.FieldIdentifier);
        Validate(e.FieldIdentifier.Model, property);
        _subscribed!.NotifyValidationStateChanged();
    }

    private void Validate(object model, PropertyInfo property)
    {
        var field = new FieldIdentifier(model, property.Name);
        var context = new ValidationContext(model) { MemberName = property.Name, DisplayName = DisplayName(property) };
        var value = property.GetValue(model);
        // GetCustomAttributes makes new attribute instances, so setting their message here touches nobody else's.
        foreach (var attribute in property.GetCustomAttributes<ValidationAttribute>(inherit: true))
        {
            attribute.ErrorMessage = L[attribute.ErrorMessage ?? DefaultMessage(attribute) ?? ""].Value is { Length: > 0 } message ? message : null;
            if (attribute.GetValidationResult(value, context) is { ErrorMessage: { } error }) _messages!.Add(field, error);
        }
    }

    /// <summary>The [Display] name, else the property's name; the template's bare "Email" properties are labelled "E-mail".</summary>
    private string DisplayName(PropertyInfo property) =>
        L[property.GetCustomAttribute<DisplayAttribute>()?.Name ?? (property.Name == "Email" ? "E-mail" : property.Name)];

    /// <summary>English templates of the attributes the account pages use (the keys of their translations).</summary>
    private static string? DefaultMessage(ValidationAttribute attribute) => attribute switch
    {
        RequiredAttribute => "The {0} field is required.",
        EmailAddressAttribute => "The {0} field is not a valid e-mail address.",
        PhoneAttribute => "The {0} field is not a valid phone number.",
        StringLengthAttribute => "The field {0} must be a string with a maximum length of {1}.",
        CompareAttribute => "'{0}' and '{1}' do not match.",
        _ => null,
    };

    private void Unsubscribe()
    {
        if (_subscribed is null) return;
        _subscribed.OnValidationRequested -= ValidateModel;
        _subscribed.OnFieldChanged -= ValidateField;
        _messages?.Clear();
        _subscribed = null;
    }

    public void Dispose() => Unsubscribe();
}
