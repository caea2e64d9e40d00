using Steward.Platform.Security;
using Steward.Platform.Background;
using System.ComponentModel.DataAnnotations;

namespace Steward.Platform.Audit;

/// <summary>Bound from <c>Audit</c>.</summary>
public sealed class AuditReadingOptions
{
    public const string Section = "Audit";

    /// <summary>The most entries one export may hold; an export that would hold more is refused (narrow the filters).</summary>
    [Range(1, 100_000)]
    public int ExportMaxEntries { get; set; } = 10_000;
}

public static class AuditSetup
{
    /// <summary>The audit log: its keyed chain and checkpoints, and reading it.</summary>
    public static IServiceCollection AddAudit(this IServiceCollection services) => services.AddAuditChain().AddAuditReading();

    /// <summary>Reading the audit log and the sign-in history for people: browsing, revealing, showing and exporting.</summary>
    public static IServiceCollection AddAuditReading(this IServiceCollection services)
    {
        services.AddOptions<AuditReadingOptions>().BindConfiguration(AuditReadingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<AuditBrowser>();
        services.AddScoped<AuditPresenter>();
        services.AddScoped<AuditExporter>();
        services.AddScoped<SignInHistory>();
        return services;
    }

    public static IServiceCollection AddAuditChain(this IServiceCollection services)
    {
        services.AddOptions<AuditKeyOptions>().BindConfiguration(AuditKeyOptions.Section);
        services.AddSingleton<AuditKeyRing>();
        services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AuditCheckpointFile>();
        services.AddScoped<AuditCheckpointer>();
        services.AddScoped<AuditVerifier>();
        services.AddSingleton<IPeriodicJob, AuditCheckpointJob>();
        return services;
    }

    /// <summary>
    /// A checkpoint at start-up, right after the migrations and before anything is appended: it records where the chain
    /// stood when this node started, and so where entries from before keys (legacy SHA-256) must end.
    /// </summary>
    public static async Task CheckpointAuditChainAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AuditCheckpointer>().WriteAsync(onlyIfChanged: false, CancellationToken.None);
    }
}
