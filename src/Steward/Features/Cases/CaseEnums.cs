namespace Steward.Features.Cases;

public enum CaseKind
{
    Consultation,
    BusinessHandling,
    Complaint,
    Suggestion,
    Praise,
}

public enum CaseChannel
{
    Counter,
    Phone,
    Email,
    WebForm,
    MobileApp,
    OnlineChat,
    Letter,
}

/// <summary>Lowest first: rules raise a priority by moving to a later member.</summary>
public enum CasePriority
{
    Low,
    Normal,
    High,
    Urgent,
}

/// <summary>The main lifecycle (002 服务请求提交/审核/调查/解决/跟进) plus the end state of a cancelled case.</summary>
public enum CaseStatus
{
    Submitted,
    UnderReview,
    InProgress,
    Resolved,
    FollowUp,
    Closed,
    Cancelled,
}

/// <summary>Sub-state of an <see cref="CaseStatus.InProgress"/> case that waits on someone outside the team.</summary>
public enum CaseWaiting
{
    None,
    WaitingOnCustomer,
    WaitingOnThirdParty,
}

public enum CaseCancelReason
{
    Duplicate,
    Withdrawn,
    Other,
}

/// <summary>Everything a person can do to a case; <see cref="CaseActions.IsTransition"/> tells the lifecycle moves apart.</summary>
public enum CaseAction
{
    Review,
    Start,
    WaitOnCustomer,
    WaitOnThirdParty,
    Resume,
    Resolve,
    FollowUp,
    Close,
    Reopen,
    Cancel,
    Reply,
    Note,
    Attach,
    Pick,
    Release,
    Assign,
    OverridePriority,
    Reclassify,
    Link,
    Merge,
}

public enum CaseEventType
{
    Created,
    Transitioned,
    Assigned,
    PriorityChanged,
    Reclassified,
    ReplyAdded,
    NoteAdded,
    AttachmentAdded,
    Linked,
    MergedInto,
    MergedFrom,

    /// <summary>The customer wrote on their case (the public status page or its API); the message is one of <see cref="MessageVisibility.Customer"/>.</summary>
    CustomerMessageAdded,
}

public enum MessageVisibility
{
    /// <summary>A reply to the customer; shown on the public status page.</summary>
    Public,

    /// <summary>An internal note; never shown to the customer.</summary>
    Internal,

    /// <summary>Written by the customer on the public status page (or its API): shown to staff and back to the customer as theirs.</summary>
    Customer,
}
