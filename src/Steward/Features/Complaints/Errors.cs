using Steward.Platform.Problems;

namespace Steward.Features.Complaints;

// The expected failures of complaint handling, mapped to problem details by Problems.From. Texts "English 中文".

/// <summary>No complaint with that id whose case the caller may see (another branch's is answered the same way).</summary>
public sealed record ComplaintNotFound(long Id) : NotFoundError(
    "complaint-not-found", "No such complaint 投诉不存在", FormattableString.Invariant($"Complaint {Id} does not exist. 投诉不存在。"));

/// <summary>Fields of a complaint request are not valid (an unknown code among them); each message is at its field.</summary>
public sealed record ComplaintInvalid(IReadOnlyDictionary<string, string[]> Errors) : InvalidError(
    "complaint-invalid", "Some fields are not valid 部分字段无效", string.Join(" ", Errors.SelectMany(e => e.Value)), Errors);

/// <summary>The caller's roles do not include handling complaints (or overseeing them, for an override).</summary>
public sealed record ComplaintActionForbidden() : ForbiddenError(
    "forbidden", "Not allowed 无权操作", "Your roles do not allow this on complaints. 您的角色无权进行此操作。");

/// <summary>The case already has its complaint record (one per case).</summary>
public sealed record ComplaintAlreadyRecorded(long ComplaintId) : ConflictError(
    "complaint-exists", "The case is already a complaint 该案件已登记为投诉",
    FormattableString.Invariant($"Complaint {ComplaintId} is recorded on this case. 该案件已有投诉记录。"))
{
    public override IReadOnlyDictionary<string, object?>? Extensions => new Dictionary<string, object?> { ["complaintId"] = ComplaintId };
}

/// <summary>
/// The staff member chosen must recuse themselves (CBIRC 2020 No. 3: 与投诉事项有直接利害关系的人员应当回避): the complaint
/// names them, they manage the one it names, or they sold the product. Only compliance may override, with a reason.
/// </summary>
public sealed record RecusalRequired(RecusalGround Ground) : InvalidError(
    "recusal-required", "This person must not handle the complaint 该员工须回避",
    Message(Ground), new Dictionary<string, string[]> { ["staffId"] = [Message(Ground)] })
{
    private static string Message(RecusalGround ground) => ground switch
    {
        RecusalGround.ComplainedAbout => "The complaint is about this staff member; they must not handle it. 投诉涉及该员工本人，须回避。",
        RecusalGround.LineManager => "This staff member manages the one the complaint is about; they must not handle it. 该员工是被投诉员工的直接主管，须回避。",
        RecusalGround.Seller => "This staff member sold the product complained about; they must not handle it. 该员工是涉诉产品的销售人员，须回避。",
    };
}
