namespace Steward.Platform.Audit;

/// <summary>
/// Marks a staff account's own bookkeeping (last sign-in, failed sign-in count, lockout, language preference): when the
/// staff member changes it on their own account (signing in, switching language) it is not business data and stays out
/// of the audit log; sign-ins are recorded in <see cref="SignInRecord"/> instead. When someone else changes it (an
/// administrator unlocking the account) the change is audited like any other.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class AccountBookkeepingAttribute : Attribute;
