using Lmis.Access.Keys;
using Lmis.Access.Storage;

namespace Lmis.BuildingBlocks.Tests.Storage;

/// <summary>
/// What every API-key store must do, whichever database holds it: a key is found by its id and by the hash of its
/// secret, with every field as issued; a list is filtered by country and by revocation; a revocation is written once;
/// a rotation adds the replacement and revokes the old key together, or writes nothing.
/// </summary>
public abstract class ApiKeyStoreConformance
{
    // Whole milliseconds: what every store keeps of a moment.
    private static readonly DateTimeOffset Issued = new(2026, 12, 1, 9, 30, 15, 250, TimeSpan.Zero);

    protected abstract IApiKeyStore CreateStore();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ApiKeyRecord Key(string name, string? country, string role = "publisher", int minutes = 0, string? rotatedFrom = null)
    {
        var secret = ApiKeyRecord.NewSecret();
        return new ApiKeyRecord(ApiKeyRecord.NewId(), name, role, country, ApiKeyRecord.HashOf(secret), Issued.AddMinutes(minutes), "key_secretariat", RotatedFrom: rotatedFrom);
    }

    [Fact]
    public async Task An_issued_key_is_found_by_its_id_and_by_its_secret_hash_with_every_field_as_issued()
    {
        var store = CreateStore();
        var key = Key("STPS Mexico vacancy feed", "MEX");
        var secretariat = Key("Secretariat", null, role: "secretariat", minutes: 1);

        var emptyBefore = !await store.AnyAsync(Ct);
        await store.AddAsync(key, Ct);
        await store.AddAsync(secretariat, Ct);

        Assert.True(emptyBefore);
        Assert.True(await store.AnyAsync(Ct));
        Assert.Equal(key, await store.FindAsync(key.Id, Ct));
        Assert.Equal(key, await store.FindByHashAsync(key.SecretHash, Ct));
        Assert.Equal(secretariat, await store.FindByHashAsync(secretariat.SecretHash, Ct));
        Assert.Null(await store.FindAsync("key_unknown", Ct));
        Assert.Null(await store.FindByHashAsync(ApiKeyRecord.HashOf("lmis_not_issued"), Ct));
    }

    [Fact]
    public async Task Keys_are_listed_in_the_order_issued_by_country_and_without_revoked_ones_unless_asked()
    {
        var store = CreateStore();
        var mexico = Key("Mexico", "MEX", minutes: 0);
        var panama = Key("Panama", "PAN", minutes: 1);
        var mexicoOld = Key("Mexico, old", "MEX", minutes: 2);
        foreach (var key in new[] { mexicoOld, panama, mexico })
        {
            await store.AddAsync(key, Ct);
        }

        await store.RevokeAsync(mexicoOld.Id, Issued.AddHours(1), "key_secretariat", Ct);

        Assert.Equal([mexico.Id, panama.Id], (await store.ListAsync(null, false, Ct)).Select(k => k.Id));
        Assert.Equal([mexico.Id, panama.Id, mexicoOld.Id], (await store.ListAsync(null, true, Ct)).Select(k => k.Id));
        Assert.Equal([mexico.Id, mexicoOld.Id], (await store.ListAsync("MEX", true, Ct)).Select(k => k.Id));
        Assert.Equal([mexico.Id], (await store.ListAsync("MEX", false, Ct)).Select(k => k.Id));
        Assert.Empty(await store.ListAsync("GTM", true, Ct));
    }

    [Fact]
    public async Task A_revocation_is_written_once_and_a_second_one_leaves_the_first_as_it_was()
    {
        var store = CreateStore();
        var key = Key("Guatemala", "GTM");
        await store.AddAsync(key, Ct);

        var revoked = await store.RevokeAsync(key.Id, Issued.AddHours(1), "key_secretariat", Ct);
        var again = await store.RevokeAsync(key.Id, Issued.AddHours(2), "key_other", Ct);
        var unknown = await store.RevokeAsync("key_unknown", Issued, "key_secretariat", Ct);

        Assert.Equal(key with { RevokedAt = Issued.AddHours(1), RevokedBy = "key_secretariat" }, revoked);
        Assert.Equal(revoked, again);
        Assert.Equal(revoked, await store.FindByHashAsync(key.SecretHash, Ct));
        Assert.Null(unknown);
    }

    [Fact]
    public async Task A_rotation_adds_the_replacement_and_revokes_the_old_key_together_or_writes_nothing()
    {
        var store = CreateStore();
        var old = Key("Honduras", "HND");
        await store.AddAsync(old, Ct);
        var replacement = Key("Honduras", "HND", minutes: 5, rotatedFrom: old.Id);

        var rotated = await store.RotateAsync(old.Id, replacement, Ct);
        var secondReplacement = Key("Honduras", "HND", minutes: 6, rotatedFrom: old.Id);
        var rotatedAgain = await store.RotateAsync(old.Id, secondReplacement, Ct);

        Assert.True(rotated);
        Assert.Equal(replacement, await store.FindByHashAsync(replacement.SecretHash, Ct));
        Assert.Equal(old with { RevokedAt = replacement.CreatedAt, RevokedBy = replacement.CreatedBy }, await store.FindAsync(old.Id, Ct));
        Assert.False(rotatedAgain);
        Assert.Null(await store.FindAsync(secondReplacement.Id, Ct));
        Assert.Equal([replacement.Id], (await store.ListAsync("HND", false, Ct)).Select(k => k.Id));
    }
}
