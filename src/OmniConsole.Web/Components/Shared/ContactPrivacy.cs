using System.Security.Claims;
using OmniConsole.Core.Exports;
using OmniConsole.Core.Customers;
using OmniConsole.Core.Staff;

namespace OmniConsole.Web.Components.Shared;

/// <summary>
/// What a consultant sees of a customer's contacts (issue 16): phones, e-mails and cards masked, except the identifier
/// they found the customer by. Marketers, managers and administrators see them in full.
/// </summary>
public static class ContactPrivacy
{
    public static bool Masks(ClaimsPrincipal user) =>
        user.IsInRole(Roles.Consultant) && !user.IsInRole(Roles.Administrator) && !user.IsInRole(Roles.Marketer) && !user.IsInRole(Roles.Manager);

    public static string Show(IdentifierKind kind, string value, bool mask) => kind switch
    {
        IdentifierKind.Phone => mask ? ContactMask.Phone(value)! : DisplayFormat.Phone(value),
        IdentifierKind.Email => mask ? ContactMask.Email(value)! : value,
        _ => mask ? ContactMask.Card(value)! : value,
    };
}
