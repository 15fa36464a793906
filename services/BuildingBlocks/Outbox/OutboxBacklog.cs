namespace Lmis.BuildingBlocks.Outbox;

/// <summary>What an outbox holds at one moment: how many events wait, and when the oldest of them occurred.</summary>
public sealed record OutboxBacklog(long Pending, DateTimeOffset? OldestOccurredAt)
{
    public static OutboxBacklog Empty { get; } = new(0, null);

    /// <summary>How long the oldest pending event has waited at <paramref name="now"/>; zero when nothing waits.</summary>
    public TimeSpan OldestAge(DateTimeOffset now) =>
        OldestOccurredAt is { } oldest && now > oldest ? now - oldest : TimeSpan.Zero;
}
