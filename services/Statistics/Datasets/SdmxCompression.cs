using System.IO.Compression;
using Lmis.Statistics.Sdmx;
using Lmis.Statistics.Sdmx.Rest;
using Lmis.Statistics.Structures;
using Microsoft.AspNetCore.ResponseCompression;

namespace Lmis.Statistics.Datasets;

/// <summary>
/// SDMX answers compressed when the client accepts it (brotli, else gzip): SDMX-CSV and SDMX-JSON repeat the same
/// codes on every line, and a mirror pulls them over the links member states have. Written as it streams, at the
/// fastest level.
/// Only the SDMX and CSV media types; the rest of the service's answers are small.
/// </summary>
public static class SdmxCompression
{
    public static IServiceCollection AddSdmxCompression(this IServiceCollection services)
    {
        services.AddResponseCompression(options =>
        {
            // The data are public and the answers carry no secret beside what the caller sent, so HTTPS is no reason to refuse.
            options.EnableForHttps = true;
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
            options.MimeTypes =
            [
                "application/vnd.sdmx.data+csv", "application/vnd.sdmx.data+json", "application/vnd.sdmx.data+xml",
                "application/vnd.sdmx.genericdata+xml", "application/vnd.sdmx.structurespecificdata+xml",
                StructureMessageFormats.SdmxJson20.Accepts[0], StructureMessageFormats.SdmxMl21.Accepts[0], "text/csv",
            ];
        });
        services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        return services;
    }
}
