namespace Lmis.Cli.Publishing;

/// <summary>What became of a feed's rows so far (kept in the checkpoint, so a resumed run goes on counting).</summary>
public sealed class FeedCounts
{
    /// <summary>Rows read from the file and answered for (sent and acknowledged, or refused here).</summary>
    public int Rows { get; set; }

    public int Sent { get; set; }

    public int Created { get; set; }

    public int Updated { get; set; }

    public int Unchanged { get; set; }

    public int Closed { get; set; }

    /// <summary>Rows a check found valid (nothing stored).</summary>
    public int Valid { get; set; }

    /// <summary>Rows refused, by the server or here (a value that is not a number, a row that is not CSV).</summary>
    public int Refused { get; set; }

    /// <summary>Rows accepted with a warning to check (an occupation code the title reads otherwise…).</summary>
    public int Warned { get; set; }

    public FeedCounts Copy() => (FeedCounts)MemberwiseClone();
}
