using System.Globalization;

namespace Lmis.Statistics.Sdmx;

/// <summary>
/// A moment as every SDMX message writes it, in SDMX-ML and SDMX-JSON alike (when it was prepared, from and until when a
/// data set was valid): UTC to the second with its zone, <c>2026-12-07T05:22:05Z</c>, a date-time both schemas take.
/// </summary>
public static class SdmxTime
{
    public static string Of(DateTimeOffset when) =>
        when.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
