using System.Globalization;

namespace Lmis.Vacancies.Publishing;

/// <summary>
/// A number as a ministry sent it: typed where the protocol carries it typed (a gRPC message or its JSON form), as
/// text where it arrives as text (a CSV cell). One rule checks either (<see cref="FieldChecks"/>); a typed number is
/// never written out only to be read back.
/// </summary>
public readonly record struct SentNumber
{
    /// <summary>The number as the protocol typed it; null when it came as text or not at all.</summary>
    public double? Typed { get; private init; }

    /// <summary>The text as sent; null when the number came typed or not at all.</summary>
    public string? Text { get; private init; }

    public static SentNumber Of(double number) => new() { Typed = number };

    public static SentNumber FromString(string? text) => new() { Text = text };

    public static implicit operator SentNumber(string? text) => FromString(text);

    /// <summary>A typed number as an error shows it: its shortest exact form.</summary>
    public static string Show(double number) => number.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>A yes/no field as a ministry sent it: typed (a gRPC message or its JSON form) or as text (a CSV cell).</summary>
public readonly record struct SentFlag
{
    /// <summary>The flag as the protocol typed it; null when it came as text or not at all.</summary>
    public bool? Typed { get; private init; }

    /// <summary>The text as sent; null when the flag came typed or not at all.</summary>
    public string? Text { get; private init; }

    public static SentFlag Of(bool flag) => new() { Typed = flag };

    public static SentFlag FromString(string? text) => new() { Text = text };

    public static implicit operator SentFlag(string? text) => FromString(text);
}
