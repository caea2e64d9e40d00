using Steward.Features.Cases;
using Steward.Features.Notifications;
using Steward.Features.Sla;
using Steward.Features.Sla.Calendars;
using Steward.Features.Sla.Clocks;
using Steward.Platform.Database;

namespace Steward.Features.Demo;

/// <summary>
/// A clock the demo history moves by hand: the app's own services run "in the past" with it, so that every row they
/// write (cases, events, SLA clocks, audit entries, notifications) carries the instant the story says. It never goes
/// backwards: a step earlier than the current instant happens at the current instant.
/// </summary>
public sealed class DemoClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset now = start;

    public override DateTimeOffset GetUtcNow() => now;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public void MoveTo(DateTimeOffset at)
    {
        if (at > now)
        {
            now = at;
        }
    }
}

/// <summary>
/// A service scope whose time is a <see cref="DemoClock"/>. Every Steward class asked for whose constructor needs the
/// time or the database context (directly or through another such class) is built here with the demo clock and the
/// one shared database context; everything else (options, keys, the personal-data protector, caches, the HTTP
/// context accessor) comes from the real scope. Built classes are new on every request (case services remember the
/// signed-in person), except the context and the few services that only cache look-ups.
/// </summary>
public sealed class DemoScope : IServiceProvider, IAsyncDisposable
{
    // One instance per scope: the shared context, and services whose state is only a cache of look-ups.
    private static readonly Type[] Shared =
        [typeof(StewardDbContext), typeof(CaseSearchIndex), typeof(StandardService), typeof(CalendarService), typeof(SlaClockService), typeof(NotificationService)];

    private static readonly Dictionary<Type, bool> Decided = [];

    private readonly AsyncServiceScope inner;
    private readonly Dictionary<Type, object> instances = [];
    private readonly Type[] observerTypes;
    private readonly Type[] guardTypes;
    private readonly Type[] visitObserverTypes;

    public DemoScope(IServiceProvider root, DemoClock clock)
    {
        inner = root.CreateAsyncScope();
        Clock = clock;
        // The observers the app registers (the SLA clocks today; later features add theirs), rebuilt on this clock.
        observerTypes = [.. inner.ServiceProvider.GetServices<ICaseLifecycleObserver>().Select(o => o.GetType())];
        // The same for the rules that may refuse a case's move (a survey follow-up's record) and the queue-visit observers.
        guardTypes = [.. inner.ServiceProvider.GetServices<ICaseTransitionGuard>().Select(o => o.GetType())];
        visitObserverTypes = [.. inner.ServiceProvider.GetServices<Queues.IQueueVisitObserver>().Select(o => o.GetType())];
    }

    public DemoClock Clock { get; }

    public StewardDbContext Db => this.GetRequiredService<StewardDbContext>();

    public object? GetService(Type serviceType)
    {
        if (serviceType == typeof(TimeProvider))
        {
            return Clock;
        }

        if (serviceType == typeof(IServiceProvider))
        {
            return this;
        }

        if (serviceType == typeof(IEnumerable<ICaseLifecycleObserver>))
        {
            return observerTypes.Select(t => (ICaseLifecycleObserver)ActivatorUtilities.CreateInstance(this, t)).ToArray();
        }

        if (serviceType == typeof(IEnumerable<ICaseTransitionGuard>))
        {
            return guardTypes.Select(t => (ICaseTransitionGuard)ActivatorUtilities.CreateInstance(this, t)).ToArray();
        }

        if (serviceType == typeof(IEnumerable<Queues.IQueueVisitObserver>))
        {
            return visitObserverTypes.Select(t => (Queues.IQueueVisitObserver)ActivatorUtilities.CreateInstance(this, t)).ToArray();
        }

        if (Array.IndexOf(Shared, serviceType) >= 0)
        {
            if (!instances.TryGetValue(serviceType, out var instance))
            {
                instances[serviceType] = instance = ActivatorUtilities.CreateInstance(this, serviceType);
            }

            return instance;
        }

        if (serviceType.IsInterface && serviceType.Assembly == typeof(DemoScope).Assembly)
        {
            // A seam of Steward's own (the assignment policy the team queues provide): its implementation is built here too.
            var real = inner.ServiceProvider.GetService(serviceType);
            return real is not null && BuiltHere(real.GetType()) ? ActivatorUtilities.CreateInstance(this, real.GetType()) : real;
        }

        return BuiltHere(serviceType) ? ActivatorUtilities.CreateInstance(this, serviceType) : inner.ServiceProvider.GetService(serviceType);
    }

    /// <summary>A Steward class whose constructor needs the time or the context, or another such class.</summary>
    private static bool BuiltHere(Type type)
    {
        lock (Decided)
        {
            return Decide(type, []);
        }
    }

    private static bool Decide(Type type, HashSet<Type> seen)
    {
        if (Decided.TryGetValue(type, out var known))
        {
            return known;
        }

        if (type == typeof(TimeProvider) || type == typeof(StewardDbContext))
        {
            return true;
        }

        if (type.Assembly != typeof(DemoScope).Assembly || !type.IsClass || type.IsAbstract || !seen.Add(type))
        {
            return false;
        }

        var result = type.GetConstructors().SelectMany(c => c.GetParameters()).Any(p => Decide(p.ParameterType, seen));
        Decided[type] = result;
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        if (instances.TryGetValue(typeof(StewardDbContext), out var db))
        {
            await ((StewardDbContext)db).DisposeAsync();
        }

        await inner.DisposeAsync();
    }
}
