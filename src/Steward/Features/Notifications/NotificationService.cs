using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Steward.Platform.Database;

namespace Steward.Features.Notifications;

public sealed record NotificationDto(long Id, string Kind, string Text, string? Link, DateTimeOffset CreatedAt, bool Read);

public sealed record NotificationPage(IReadOnlyList<NotificationDto> Items, int Unread, string? NextCursor);

/// <summary>
/// Raising and reading notifications. <see cref="Raise"/> only adds rows to the caller's unit of work:
/// they are saved with the change that caused them, or not at all.
/// </summary>
public sealed class NotificationService(StewardDbContext db, TimeProvider time)
{
    public void Raise(IEnumerable<long> staffIds, string kind, string textZh, string textEn, string? link = null)
    {
        var now = time.GetUtcNow();
        foreach (var staffId in staffIds.Distinct())
        {
            db.Add(new Notification { StaffId = staffId, Kind = kind, TextZh = textZh, TextEn = textEn, Link = link, CreatedAt = now });
        }
    }

    /// <summary>Adds a message to the outbox in the caller's unit of work; it is not delivered before <paramref name="notBefore"/> (default: now).</summary>
    public OutboxMessage Send(OutboxChannel channel, string recipient, string subject, string body, DateTimeOffset? notBefore = null)
    {
        var now = time.GetUtcNow();
        var first = notBefore is { } later && later > now ? later : now;
        var message = new OutboxMessage { Channel = channel, Recipient = recipient, Subject = subject, Body = body, CreatedAt = now, NextAttemptAt = first };
        db.Add(message);
        return message;
    }

    public Task<int> UnreadCountAsync(long staffId, CancellationToken ct = default) =>
        db.Set<Notification>().CountAsync(n => n.StaffId == staffId && n.ReadAt == null, ct);

    /// <summary>Newest first; <paramref name="beforeId"/> is the cursor (exclusive).</summary>
    public async Task<NotificationPage> ListAsync(long staffId, bool unreadOnly, long? beforeId, int limit, bool chinese, CancellationToken ct = default)
    {
        var query = db.Set<Notification>().AsNoTracking().Where(n => n.StaffId == staffId);
        if (unreadOnly)
        {
            query = query.Where(n => n.ReadAt == null);
        }

        if (beforeId is { } cursor)
        {
            query = query.Where(n => n.Id < cursor);
        }

        var rows = await query.OrderByDescending(n => n.Id).Take(limit).ToListAsync(ct);
        var items = rows.Select(n => new NotificationDto(n.Id, n.Kind, chinese ? n.TextZh : n.TextEn, n.Link, n.CreatedAt, n.ReadAt is not null)).ToList();
        var next = rows.Count == limit ? rows[^1].Id.ToString(CultureInfo.InvariantCulture) : null;
        return new NotificationPage(items, await UnreadCountAsync(staffId, ct), next);
    }

    /// <summary>Marks one (or, with null, every) unread notification of the staff member as read; returns how many.</summary>
    public async Task<int> MarkReadAsync(long staffId, long? id, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var query = db.Set<Notification>().Where(n => n.StaffId == staffId && n.ReadAt == null);
        if (id is { } one)
        {
            query = query.Where(n => n.Id == one);
        }

        return await query.ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
    }
}
