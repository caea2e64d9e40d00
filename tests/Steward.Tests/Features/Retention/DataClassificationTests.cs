using Steward.Features.Customers;
using Steward.Features.Retention;
using Steward.Platform.Audit;
using Steward.Platform.Database;
using Steward.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Steward.Tests.Features.Retention;

/// <summary>Every column of the EF model declares its data class and disposal (decision 0052); a few facts checked by hand.</summary>
public sealed class DataClassificationTests
{
    [Theory, BothDatabases]
    public async Task EveryColumnOfTheModel_DeclaresItsClassAndDisposal(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        await using var scope = app.Services.CreateAsyncScope();
        var gaps = scope.ServiceProvider.GetRequiredService<DataClassification>().Gaps();

        var missing = gaps.Where(g => !g.Stale).Select(g =>
            $"{g.Table}.{g.Column} ({g.Entity}.{g.Property}) has no data class: in src/Steward/Features/Retention/DataClasses.cs add \"{g.Property}\" to a line of " +
            $"Table<{g.Entity}>(…) — (DataClass.Core|Important|GeneralSensitive|General, Disposal.Erase|Mask|Retain, [\"{g.Property}\"]) — or add Table<{g.Entity}>(…) if the type has none. " +
            "Personal data of customers is GeneralSensitive and erased or masked; see docs/decisions/0052.");
        var stale = gaps.Where(g => g.Stale).Select(g =>
            $"DataClasses.cs declares {g.Entity}.{g.Property}, which the model no longer has: remove it (or rename it with the property).");
        Assert.True(gaps.Count == 0, string.Join(Environment.NewLine, missing.Concat(stale)));
    }

    [Fact]
    public void HandCheckedFacts_AboutPersonalDataAndTheAuditChain()
    {
        var sensitiveErased = new DataClasses.Declaration(DataClass.GeneralSensitive, Disposal.Erase);
        Assert.Equal(sensitiveErased, DataClasses.For(typeof(Customer), nameof(Customer.IdNumberCipher)));
        Assert.Equal(sensitiveErased, DataClasses.For(typeof(Customer), nameof(Customer.IdNumberIndex)));
        Assert.Equal(sensitiveErased, DataClasses.For(typeof(Customer), nameof(Customer.PhoneCipher)));
        Assert.Equal(sensitiveErased, DataClasses.For(typeof(Customer), nameof(Customer.PhoneIndex)));
        Assert.Equal(new DataClasses.Declaration(DataClass.GeneralSensitive, Disposal.Mask), DataClasses.For(typeof(Customer), nameof(Customer.Name)));
        Assert.Equal(new DataClasses.Declaration(DataClass.General, Disposal.Retain), DataClasses.For(typeof(Customer), nameof(Customer.Tier)));
        foreach (var property in typeof(AuditEntry).GetProperties())
        {
            Assert.Equal(Disposal.Retain, DataClasses.For(typeof(AuditEntry), property.Name)?.Disposal);
        }

        Assert.Equal(DataClass.Important, DataClasses.For(typeof(AuditEntry), nameof(AuditEntry.Changes))?.Class);
        Assert.Equal(DataClass.Core, DataClasses.For(typeof(DataProtectionKey), nameof(DataProtectionKey.Xml))?.Class);
    }
}
