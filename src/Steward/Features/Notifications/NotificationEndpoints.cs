using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Steward.Platform.Background;
using Steward.Platform.Identity;
using Steward.Platform.Localization;
using Steward.Platform.Problems;

namespace Steward.Features.Notifications;

public static class NotificationSetup
{
    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        services.AddScoped<NotificationService>();
        services.AddScoped<Steward.Features.Cases.ICaseLifecycleObserver, AssigneeNotifier>();
        services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IOutboxSender, LoggingOutboxSender>();
        services.AddSingleton<IPeriodicJob, OutboxDeliveryJob>();
        return services;
    }

    public static void MapNotificationEndpoints(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/notifications").WithTags("Notifications");
        group.MapGet("/", async Task<Results<Ok<NotificationPage>, ProblemHttpResult>> (bool? unread, string? cursor, int? limit, CurrentUser user, NotificationService notifications, CancellationToken ct) =>
        {
            long? before = null;
            if (!string.IsNullOrEmpty(cursor))
            {
                if (!long.TryParse(cursor, CultureInfo.InvariantCulture, out var parsed))
                {
                    return Problems.Create(400, "bad-cursor", "The cursor is not valid 游标无效", "Use the nextCursor of a previous page. 请使用上一页返回的 nextCursor。");
                }

                before = parsed;
            }

            var chinese = Cultures.IsChinese(CultureInfo.CurrentUICulture);
            return TypedResults.Ok(await notifications.ListAsync(user.StaffId!.Value, unread ?? false, before, Math.Clamp(limit ?? 20, 1, 100), chinese, ct));
        }).WithSummary("My notifications, newest first, with the unread count.");
        group.MapPost("/{id:long}/read", async Task<Results<NoContent, ProblemHttpResult>> (long id, CurrentUser user, NotificationService notifications, CancellationToken ct) =>
            await notifications.MarkReadAsync(user.StaffId!.Value, id, ct) == 1
                ? TypedResults.NoContent()
                : Problems.From(new NotFoundError("not-found", "No such unread notification 通知不存在或已读", $"Notification {id} is not an unread notification of yours.")));
        group.MapPost("/read-all", async (CurrentUser user, NotificationService notifications, CancellationToken ct) =>
            TypedResults.Ok(new MarkedRead(await notifications.MarkReadAsync(user.StaffId!.Value, null, ct))));
    }
}

/// <summary>How many notifications were marked read.</summary>
public sealed record MarkedRead(int Marked);
