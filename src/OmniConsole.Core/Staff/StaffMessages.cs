using OmniConsole.Core.Common;
namespace OmniConsole.Core.Staff;

/// <summary>
/// Why <see cref="StaffAccounts"/> refuses a change: the templates of its English messages (the create-admin command prints
/// them), which /admin/users shows in its reader's language (see <see cref="Common.ServiceMessages"/>).
/// </summary>
[MessageTemplates]
public static class StaffMessages
{
    public const string GiveEmail = "Give the staff member's e-mail address.";
    /// <summary>{0}: the roles.</summary>
    public const string PickRole = "Pick one of the roles: {0}.";
    public const string HasAccount = "{0} already has an account.";
    public const string CannotLockYourself = "You cannot lock your own account.";
    public const string AdministratorExists = "There is an administrator already; they add staff on /admin/users.";
    public const string LastAdministrator = "This is the last administrator who can sign in; make someone else an administrator first.";
    public const string NoSuchAccount = "There is no such account.";
}
