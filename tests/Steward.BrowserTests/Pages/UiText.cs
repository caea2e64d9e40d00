namespace Steward.BrowserTests.Pages;

/// <summary>
/// What people read on the screen, in each language — typed in from the product's wording, not read
/// from the app's string tables, so that a test notices when a visible text changes.
/// </summary>
public sealed record UiText
{
    public static readonly UiText Chinese = new()
    {
        HtmlLang = "zh-CN",
        MainNavigation = "主导航",
        ToggleNavigation = "展开或收起菜单",
        SwitchLanguage = "English",
        SignInHeading = "员工登录",
        Username = "用户名",
        Password = "密码",
        SignInButton = "登录",
        SignOutButton = "退出登录",
        InvalidCredentials = "用户名或密码不正确。",
        LockedOut = "登录失败次数过多，账户已临时锁定",
        WelcomePrefix = "您好，",
        AdminMenu = "系统管理",
        AdminBranches = "分支机构",
        AdminStaff = "员工与角色",
        AuditLog = "审计日志",
        AccessDenied = "无权访问",
        AccessDeniedDetail = "您的角色没有访问此页面的权限。",
        Code = "代码",
        ChineseName = "中文名称",
        EnglishName = "英文名称",
        TimeZone = "时区",
        DisplayName = "显示名称",
        HomeBranch = "所属机构",
        RoleAgent = "前台坐席",
        Save = "保存",
        Saved = "已保存。",
        VerifyChain = "校验哈希链",
        ChainIntact = "哈希链完整",
        WriteCheckpoint = "写入检查点",
        CheckpointWritten = "已写入检查点",
    };

    public static readonly UiText English = new()
    {
        HtmlLang = "en",
        MainNavigation = "Main navigation",
        ToggleNavigation = "Toggle navigation",
        SwitchLanguage = "中文",
        SignInHeading = "Staff sign-in",
        Username = "Username",
        Password = "Password",
        SignInButton = "Sign in",
        SignOutButton = "Sign out",
        InvalidCredentials = "The username or password is not correct.",
        LockedOut = "Too many failed sign-ins: the account is locked",
        WelcomePrefix = "Hello, ",
        AdminMenu = "Administration",
        AdminBranches = "Branches",
        AdminStaff = "Staff and roles",
        AuditLog = "Audit log",
        AccessDenied = "Access denied",
        AccessDeniedDetail = "Your role does not allow you to open this page.",
        Code = "Code",
        ChineseName = "Chinese name",
        EnglishName = "English name",
        TimeZone = "Time zone",
        DisplayName = "Display name",
        HomeBranch = "Home branch",
        RoleAgent = "Front-line agent",
        Save = "Save",
        Saved = "Saved.",
        VerifyChain = "Verify the chain",
        ChainIntact = "The chain is intact",
        WriteCheckpoint = "Write a checkpoint",
        CheckpointWritten = "Checkpoint written",
    };

    public required string HtmlLang { get; init; }
    public required string MainNavigation { get; init; }
    public required string ToggleNavigation { get; init; }

    /// <summary>The label of the button that switches to the other language.</summary>
    public required string SwitchLanguage { get; init; }
    public required string SignInHeading { get; init; }
    public required string Username { get; init; }
    public required string Password { get; init; }
    public required string SignInButton { get; init; }
    public required string SignOutButton { get; init; }
    public required string InvalidCredentials { get; init; }
    public required string LockedOut { get; init; }
    public required string WelcomePrefix { get; init; }
    public required string AdminMenu { get; init; }
    public required string AdminBranches { get; init; }
    public required string AdminStaff { get; init; }
    public required string AuditLog { get; init; }
    public required string AccessDenied { get; init; }
    public required string AccessDeniedDetail { get; init; }
    public required string Code { get; init; }
    public required string ChineseName { get; init; }
    public required string EnglishName { get; init; }
    public required string TimeZone { get; init; }
    public required string DisplayName { get; init; }
    public required string HomeBranch { get; init; }
    public required string RoleAgent { get; init; }
    public required string Save { get; init; }
    public required string Saved { get; init; }
    public required string VerifyChain { get; init; }
    public required string ChainIntact { get; init; }
    public required string WriteCheckpoint { get; init; }
    public required string CheckpointWritten { get; init; }
}
