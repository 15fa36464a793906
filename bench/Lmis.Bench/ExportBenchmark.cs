using System.Diagnostics;
using System.Globalization;
using Lmis.Statistics.Sdmx;
using Lmis.Statistics.Sdmx.Messages;

namespace Lmis.Bench;

/// <summary>
/// Exporting observations of employment by occupation in every data message LMIS offers, as a data query writes them
/// (<see cref="DataMessageFormats.WriteAsync"/>), into a stream that only counts bytes. The observations are made as
/// they are written, so the managed heap measured while writing is the writer's own: flat when the message streams.
/// </summary>
public static class ExportBenchmark
{
    private static readonly string[] Countries = ["BLZ", "CAN", "CRI", "DOM", "GTM", "HND", "MEX", "NIC", "PAN", "SLV", "USA"];
    private static readonly string[] Sexes = ["SEX_T", "SEX_M", "SEX_F"];
    private const int Quarters = 30;

    public static async Task RunAsync(int observations)
    {
        var structure = BuiltInDataflows.EmploymentByOccupation;
        var occupations = Math.Max(1, observations / (Countries.Length * Sexes.Length * Quarters));
        var total = Countries.Length * Sexes.Length * occupations * Quarters;
        var options = DataMessageOptions.Default with { Prepared = DateTimeOffset.UtcNow };
        foreach (var (kind, pass) in DataMessageFormats.Offered.Prepend(DataMessageFormats.SdmxCsv20).Select((k, i) => (k, i == 0 ? " (warm-up)" : string.Empty)))
        {
            var body = new CountingStream();
            GC.Collect();
            var heapBefore = GC.GetTotalMemory(true);
            using var sampling = new CancellationTokenSource();
            var peak = SamplePeakHeapAsync(sampling.Token);
            var clock = Stopwatch.StartNew();
            await DataMessageFormats.WriteAsync(kind, body, structure, Observations(structure, occupations), options, CancellationToken.None);
            clock.Stop();
            await sampling.CancelAsync();
            var peakHeap = await peak;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"export {kind.Name + pass,-40} {total,10:N0} obs  {clock.Elapsed.TotalSeconds,6:N2} s  {total / clock.Elapsed.TotalSeconds,10:N0} obs/s  {body.Length / 1e6,8:N1} MB written  peak heap {Math.Max(0, peakHeap - heapBefore) / 1e6,6:N1} MB above start"));
        }
    }

    /// <summary>Observations sorted as the store answers them: by series key, then period.</summary>
    private static async IAsyncEnumerable<Observation> Observations(DataStructure structure, int occupations)
    {
        var n = 0;
        foreach (var country in Countries)
        {
            foreach (var sex in Sexes.Order(StringComparer.Ordinal))
            {
                foreach (var occupation in Enumerable.Range(0, occupations).Select(o => "OCU_ISCO08_" + (1000 + o).ToString(CultureInfo.InvariantCulture)))
                {
                    string[] key = [country, "Q", sex, occupation];
                    for (var q = 0; q < Quarters; q++)
                    {
                        var period = TimePeriod.Parse($"{2017 + (q / 4)}-Q{(q % 4) + 1}");
                        yield return new Observation(structure, key, period, (n++ % 9973) / 10m, ["PS", "3", q == Quarters - 1 ? "P" : "A", null]);
                    }
                }
            }

            await Task.Yield();
        }
    }

    private static async Task<long> SamplePeakHeapAsync(CancellationToken stop)
    {
        var peak = 0L;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(false));
                await Task.Delay(10, stop);
            }
        }
        catch (OperationCanceledException)
        {
            // sampling ends with the export
        }

        return Math.Max(peak, GC.GetTotalMemory(false));
    }

    /// <summary>A response body that keeps nothing: it only counts what it is given.</summary>
    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => _length += count;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _length += buffer.Length;
            return ValueTask.CompletedTask;
        }
    }
}
