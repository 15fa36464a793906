using System.Diagnostics;
using System.Globalization;
using System.Text;
using Lmis.Statistics.Sdmx;

namespace Lmis.Bench;

/// <summary>
/// Reading an SDMX-CSV 1.0 upload of employment by occupation (11 member states, 3 sexes, about a thousand
/// occupations, 30 quarters) from a file on disk, every row checked; then exporting as many observations in every data
/// message a query can ask for (<see cref="ExportBenchmark"/>). One core, one pass, memory as the process sees it.
/// </summary>
public static class SdmxCsvBenchmark
{
    private static readonly string[] Countries = ["BLZ", "CAN", "CRI", "DOM", "GTM", "HND", "MEX", "NIC", "PAN", "SLV", "USA"];
    private static readonly string[] Sexes = ["SEX_T", "SEX_M", "SEX_F"];
    private const int Quarters = 30;

    public static async Task RunAsync(Options options)
    {
        var rows = options.Number("rows", 1_000_000);
        var occupations = Math.Max(1, rows / (Countries.Length * Sexes.Length * Quarters));
        var file = Path.Combine(Path.GetTempPath(), $"lmis-sdmx-bench-{Environment.ProcessId}.csv");
        try
        {
            var written = await WriteUploadAsync(file, occupations);
            Console.WriteLine($"SDMX-CSV 1.0 upload: {written:N0} rows, {new FileInfo(file).Length / 1e6:N1} MB, {Measurement.Machine()}");

            // The first pass includes compiling the code; the second is the steady state of a long-running service.
            foreach (var pass in new[] { "first", "second" })
            {
                var (valid, invalid, elapsed, peak) = await ReadAsync(file);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"read and check ({pass} pass) {valid + invalid,10:N0} rows  {elapsed.TotalSeconds,6:N2} s  {(valid + invalid) / elapsed.TotalSeconds,10:N0} rows/s  ({invalid} refused)  peak working set {peak / 1e6:N0} MB"));
            }

            // Every data message a query can ask for, from observations made as they are written (the reading is measured above).
            await ExportBenchmark.RunAsync(written);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<int> WriteUploadAsync(string file, int occupations)
    {
        await using var text = new StreamWriter(file, false, new UTF8Encoding(false), 1 << 16);
        await text.WriteAsync("DATAFLOW,REF_AREA,FREQ,SEX,OCU,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,UNIT_MULT,OBS_STATUS,NOTE\n");
        var rows = 0;
        var line = new StringBuilder();
        foreach (var country in Countries)
        {
            foreach (var sex in Sexes)
            {
                for (var o = 0; o < occupations; o++)
                {
                    var occupation = (1000 + (o * 7 % 9000)).ToString(CultureInfo.InvariantCulture);
                    for (var q = 0; q < Quarters; q++)
                    {
                        line.Clear().Append(CultureInfo.InvariantCulture,
                            $"RCM:DF_EMP_OCU(1.0),{country},Q,{sex},OCU_ISCO08_{occupation},{2017 + (q / 4)}-Q{(q % 4) + 1},{(rows % 9973) / 10.0:0.0},PS,3,{(q == Quarters - 1 ? "P" : "A")},\n");
                        await text.WriteAsync(line);
                        rows++;
                    }
                }
            }
        }

        return rows;
    }

    private static async Task<(int Valid, int Invalid, TimeSpan Elapsed, long Peak)> ReadAsync(string file)
    {
        using var text = new StreamReader(file, Encoding.UTF8, false, 1 << 16);
        var reader = new SdmxCsvReader(text);
        int valid = 0, invalid = 0;
        var clock = Stopwatch.StartNew();
        await foreach (var row in reader.ReadAsync())
        {
            if (row.IsValid)
            {
                valid++;
            }
            else
            {
                invalid++;
            }
        }

        clock.Stop();
        using var process = Process.GetCurrentProcess();
        return (valid, invalid, clock.Elapsed, process.PeakWorkingSet64);
    }
}
