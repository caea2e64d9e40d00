namespace Steward.BrowserTests.Infrastructure;

/// <summary>The demo institution's logins, as listed in the README.</summary>
public static class Demo
{
    public const string Password = "Steward!2026";

    public const string Admin = "admin";
    public const string AdminName = "系统管理员 王磊";

    public const string Compliance = "compliance";
    public const string ComplianceName = "合规官 陈静";

    public const string Agent = "sh.agent1";
    public const string AgentName = "郑伟";

    public const string Lead = "sh.lead";
}
