using System.Security.Claims;
using OmniConsole.Core.Customers;
using OmniConsole.Core.Exports;
using OmniConsole.Core.Staff;

namespace OmniConsole.Web.Components.Shared;

/// <summary>
/// What consultants and managers see of a customer's contacts (privacy by role): phones, e-mails and cards masked,
/// except the identifier they typed in full to find the customer. Managers read reports, they do not call customers
/// (their exports are masked too). Marketers and administrators see contacts in full; anyone else sees them masked.
/// </summary>
public static class ContactPrivacy
{
    public static bool Masks(ClaimsPrincipal user) => !user.IsInRole(Roles.Administrator) && !user.IsInRole(Roles.Marketer);

    public static string Show(IdentifierKind kind, string value, bool mask) => kind switch
    {
        IdentifierKind.Phone => mask ? ContactMask.Phone(value)! : DisplayFormat.Phone(value),
        IdentifierKind.Email => mask ? ContactMask.Email(value)! : value,
        _ => mask ? ContactMask.Card(value)! : value,
    };
}
