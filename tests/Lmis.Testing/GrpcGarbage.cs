using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Lmis.BuildingBlocks.Security;
using Microsoft.Data.Sqlite;

namespace Lmis.Testing;

/// <summary>
/// gRPC requests no client library would send, as raw HTTP/2 <c>application/grpc</c> bytes: bodies with no framing,
/// frames whose payload is not the request message, frames announcing more than is sent or more than a service
/// accepts, a compressed flag without an encoding, encodings nobody offers. Every method of a service gets its
/// share, from the generated descriptors, so a new method is covered without a test naming it. The generator is
/// seeded (<see cref="SeedVariable"/> replays a run); every case names itself so a failure can be read and resent.
/// </summary>
public static class GrpcGarbage
{
    /// <summary>Set to an integer to replay a run; the seed in use is printed with every failure.</summary>
    public const string SeedVariable = "LMIS_GRPC_GARBAGE_SEED";

    /// <summary>The default limit on one message (<c>Lmis:Limits:MessageMaxBytes</c>).</summary>
    public const int MessageMaxBytes = 4 * 1024 * 1024;

    public static int Seed { get; } = int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed)
        ? seed
        : 20261201;

    /// <summary>The statuses that tell a caller what was wrong with its request.</summary>
    public static IReadOnlySet<string> GracefulStatuses { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "3", // INVALID_ARGUMENT
        "5", // NOT_FOUND
        "7", // PERMISSION_DENIED
        "8", // RESOURCE_EXHAUSTED
        "12", // UNIMPLEMENTED
        "16", // UNAUTHENTICATED
    };

    /// <summary>a: no framing; b: a frame of garbage; c: a frame announcing too much; d: compressed, no encoding; e: an encoding nobody offers.</summary>
    public enum Kind
    {
        NoFraming,
        GarbagePayload,
        LengthBeyondBody,
        LengthBeyondLimit,
        CompressedWithoutEncoding,
        UnknownEncoding,
    }

    public sealed record Case(Kind Kind, string Description, byte[] Body, string? Encoding)
    {
        /// <summary>
        /// Bytes a server may read as a request after all: a truncated gzip stream decompresses to nothing, which is
        /// an empty message (Grpc.AspNetCore's own decompression reads it so too), and a read may then succeed.
        /// </summary>
        public bool MayBeValid { get; init; }

        public override string ToString() =>
            $"{Kind}: {Description} [{Body.Length} bytes{(Encoding is null ? string.Empty : ", grpc-encoding " + Encoding)}: {Convert.ToHexString(Body.AsSpan(0, Math.Min(Body.Length, 24)))}…]";
    }

    /// <summary>What came back: the HTTP status, grpc-status and grpc-message (trailers or trailers-only headers), or how the call failed.</summary>
    public sealed record Answer(int HttpStatus, string? GrpcStatus, string? GrpcMessage, string? Failure)
    {
        public bool IsSuccess => Failure is null && HttpStatus == 200 && GrpcStatus == "0";

        public bool IsGraceful => Failure is null && HttpStatus == 200 && GrpcStatus is not null
            && GracefulStatuses.Contains(GrpcStatus) && !string.IsNullOrWhiteSpace(GrpcMessage);

        public override string ToString() => Failure is not null
            ? "failed: " + Failure
            : $"HTTP {HttpStatus}, grpc-status {GrpcStatus ?? "(none)"}, grpc-message '{GrpcMessage}'";
    }

    /// <summary>One message in a gRPC frame: flag byte, big-endian length (<paramref name="claimed"/> if given), payload.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> payload, byte flag = 0, uint? claimed = null)
    {
        var frame = new byte[5 + payload.Length];
        frame[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1, 4), claimed ?? (uint)payload.Length);
        payload.CopyTo(frame.AsSpan(5));
        return frame;
    }

    /// <summary>
    /// <paramref name="count"/> hostile requests for a method taking <paramref name="request"/>, spread over the kinds:
    /// half of them the two commonest (no framing, a frame of garbage), the rest shared by the others.
    /// </summary>
    public static IReadOnlyList<Case> CasesFor(MessageDescriptor request, Random random, int count = 120)
    {
        var cases = new List<Case>(count);
        for (var i = 0; i < count; i++)
        {
            var kind = (i % 10) switch
            {
                0 or 1 or 2 => Kind.NoFraming,
                3 or 4 or 5 => Kind.GarbagePayload,
                6 => Kind.LengthBeyondBody,
                7 => Kind.LengthBeyondLimit,
                8 => Kind.CompressedWithoutEncoding,
                _ => Kind.UnknownEncoding,
            };
            cases.Add(Make(kind, request, random));
        }

        return cases;
    }

    public static Case Make(Kind kind, MessageDescriptor request, Random random)
    {
        switch (kind)
        {
            case Kind.NoFraming:
                while (true)
                {
                    var body = Bytes(random, random.Next(1, 64));
                    if (random.Next(4) == 0)
                    {
                        // A plausible first byte, so the length is what does not add up.
                        body[0] = (byte)random.Next(2);
                    }

                    if (!IsWellFramed(body))
                    {
                        return new(kind, "random bytes", body, null);
                    }
                }

            case Kind.GarbagePayload:
                var payload = NotA(request, random);
                return new(kind, $"a frame of {payload.Length} random bytes that are no {request.Name}", Frame(payload), null);
            case Kind.LengthBeyondBody:
                var sent = NotA(request, random);
                var extra = (uint)random.Next(1, 4096);
                return new(kind, $"a frame announcing {sent.Length + extra} bytes, {sent.Length} sent", Frame(sent, claimed: (uint)sent.Length + extra), null);
            case Kind.LengthBeyondLimit:
                var claimed = random.Next(3) switch
                {
                    0 => (uint)MessageMaxBytes + 1,
                    1 => (uint)random.NextInt64(MessageMaxBytes + 1L, int.MaxValue),
                    _ => (uint)random.NextInt64(int.MaxValue, uint.MaxValue + 1L),
                };
                var some = Bytes(random, random.Next(0, 64));
                return new(kind, $"a frame announcing {claimed} bytes", Frame(some, claimed: claimed), null);
            case Kind.CompressedWithoutEncoding:
                var compressed = Bytes(random, random.Next(0, 64));
                var identity = random.Next(3) == 0;
                return new(kind, identity ? "compressed flag, grpc-encoding identity" : "compressed flag, no grpc-encoding", Frame(compressed, flag: 1), identity ? "identity" : null);
            default:
                return random.Next(3) switch
                {
                    0 => new(kind, "gzip announced, the payload is not gzip", Frame(Bytes(random, random.Next(1, 64)), flag: 1), "gzip") { MayBeValid = true },
                    1 => new(kind, "gzip of random bytes that are no " + request.Name, Frame(Gzip(NotA(request, random)), flag: 1), "gzip"),
                    _ => UnknownEncoding(request, random),
                };
        }
    }

    private static Case UnknownEncoding(MessageDescriptor request, Random random)
    {
        string[] names = ["br", "zstd", "snappy", "x-lmis", "deflate2", "GZIP-9"];
        var encoding = names[random.Next(names.Length)];
        return new(Kind.UnknownEncoding, $"grpc-encoding {encoding}", Frame(NotA(request, random), flag: 1), encoding);
    }

    /// <summary>Random bytes that do not parse as <paramref name="request"/> (most random bytes do not; those that do are drawn again).</summary>
    public static byte[] NotA(MessageDescriptor request, Random random)
    {
        while (true)
        {
            var bytes = Bytes(random, random.Next(1, 200));
            try
            {
                request.Parser.ParseFrom(bytes);
            }
            catch (InvalidProtocolBufferException)
            {
                return bytes;
            }
        }
    }

    private static byte[] Bytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(bytes);
        }

        return output.ToArray();
    }

    /// <summary>Whether <paramref name="body"/> is a sequence of whole, uncompressed frames (then it is no framing case).</summary>
    public static bool IsWellFramed(ReadOnlySpan<byte> body)
    {
        while (body.Length > 0)
        {
            if (body.Length < 5 || body[0] > 1)
            {
                return false;
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(body[1..5]);
            if (length > body.Length - 5)
            {
                return false;
            }

            body = body[(5 + (int)length)..];
        }

        return true;
    }

    /// <summary>Sends <paramref name="body"/> to <paramref name="path"/> as a gRPC call over HTTP/2 (exactly: no fallback).</summary>
    public static async Task<Answer> SendAsync(HttpClient http, string path, byte[] body, string? encoding, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("TE", "trailers");
        if (encoding is not null)
        {
            request.Headers.TryAddWithoutValidation("grpc-encoding", encoding);
        }

        try
        {
            using var response = await http.SendAsync(request, ct);
            await response.Content.ReadAsByteArrayAsync(ct);
            string? Header(string name) =>
                response.TrailingHeaders.TryGetValues(name, out var trailer) ? trailer.First()
                : response.Headers.TryGetValues(name, out var header) ? header.First() : null;
            return new Answer((int)response.StatusCode, Header("grpc-status"), Uri.UnescapeDataString(Header("grpc-message") ?? string.Empty), null);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or InvalidOperationException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return new Answer(0, null, null, $"{e.GetType().Name}: {e.Message}{(e.InnerException is null ? string.Empty : " / " + e.InnerException.Message)}");
        }
    }

    /// <summary>
    /// Sends every case to every method of <paramref name="service"/> (as the client <paramref name="clientFor"/> gives
    /// for the method) and returns each non-graceful answer with its case, and the count of cases sent.
    /// </summary>
    public static async Task<(int Sent, IReadOnlyList<string> NotGraceful)> SendToEveryMethodAsync(
        ServiceDescriptor service, Func<MethodDescriptor, HttpClient> clientFor, CancellationToken ct, int casesPerMethod = 120,
        Func<MethodDescriptor, Case, Answer, string?>? alsoCheck = null)
    {
        var random = new Random(HashCode.Combine(Seed, StableHash(service.FullName)));
        var notGraceful = new List<string>();
        var sent = 0;
        foreach (var method in service.Methods)
        {
            var http = clientFor(method);
            var path = $"/{service.FullName}/{method.Name}";
            foreach (var @case in CasesFor(method.InputType, random, casesPerMethod))
            {
                var answer = await SendAsync(http, path, @case.Body, @case.Encoding, ct);
                sent++;
                var problem = answer.IsSuccess && @case.MayBeValid ? null
                    : !answer.IsGraceful ? "not graceful"
                    : alsoCheck?.Invoke(method, @case, answer) ?? Expected(method, @case, answer);
                if (problem is not null)
                {
                    notGraceful.Add($"{path} ← {@case} → {answer} ({problem}; seed {Seed})");
                }
            }
        }

        return (sent, notGraceful);
    }

    /// <summary>The answers not graceful, counted by kind of case and by what came back ("NoFraming: 36 (grpc-status 2 ×30, …)").</summary>
    public static string Summary(IEnumerable<string> notGraceful) => string.Join("; ", notGraceful
        .Select(line => (Kind: line.Split("← ", 2)[1].Split(':', 2)[0], Answer: line.Split(" → ", 2)[1].Split(", grpc-message", 2)[0]))
        .GroupBy(x => x.Kind)
        .Select(kind => $"{kind.Key}: {kind.Count()} ({string.Join(", ", kind.GroupBy(x => x.Answer).Select(a => $"{a.Key} ×{a.Count()}"))})"));

    /// <summary>What a case must be answered with beyond being graceful: the request message named, the limit given.</summary>
    public static string? Expected(MethodDescriptor method, Case @case, Answer answer) => @case.Kind switch
    {
        Kind.GarbagePayload when answer.GrpcStatus != "3" || !answer.GrpcMessage!.Contains($"not a valid {method.InputType.Name} message", StringComparison.Ordinal) =>
            $"expected INVALID_ARGUMENT naming {method.InputType.Name}",
        Kind.LengthBeyondLimit when answer.GrpcStatus != "8" => "expected RESOURCE_EXHAUSTED",
        Kind.NoFraming or Kind.LengthBeyondBody or Kind.CompressedWithoutEncoding when answer.GrpcStatus is not ("3" or "8") =>
            "expected INVALID_ARGUMENT (or RESOURCE_EXHAUSTED for a length beyond the limit)",
        _ => null,
    };

    /// <summary>The caller a method needs so its request is read at all: its write role's, else the secretariat (who reads everything).</summary>
    public static TestCaller CallerFor(Type serviceImplementation, MethodDescriptor method, string publisherCountry) =>
        serviceImplementation.GetMethod(method.Name, BindingFlags.Public | BindingFlags.Instance)?.GetCustomAttribute<WriteAttribute>()?.Policy == AccessRoles.Publisher
            ? TestCaller.Publisher(publisherCountry)
            : TestCaller.Secretariat;

    private static int StableHash(string text) => (int)BinaryPrimitives.ReadUInt32LittleEndian(
        System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 4));

    /// <summary>
    /// Every row of every table of the SQLite files under <paramref name="directory"/>, but the audit trail and the
    /// outbox (which record attempts and events, not what is stored) and the change feed's read positions.
    /// </summary>
    public static string StoredRows(string directory)
    {
        var dump = new StringBuilder();
        foreach (var file in Directory.GetFiles(directory, "*.db", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            connection.Open();
            var tables = new List<string>();
            using (var list = connection.CreateCommand())
            {
                list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('audit_trail', 'outbox', 'change_feed_position', 'sqlite_sequence') ORDER BY name";
                using var reader = list.ExecuteReader();
                while (reader.Read())
                {
                    tables.Add(reader.GetString(0));
                }
            }

            foreach (var table in tables)
            {
                using var select = connection.CreateCommand();
                select.CommandText = $"SELECT * FROM \"{table}\" ORDER BY 1";
                using var reader = select.ExecuteReader();
                var rows = new List<string>();
                while (reader.Read())
                {
                    var values = new object[reader.FieldCount];
                    reader.GetValues(values);
                    rows.Add(string.Join("|", values.Select(v => v is byte[] b ? Convert.ToHexString(b) : Convert.ToString(v, CultureInfo.InvariantCulture))));
                }

                dump.Append(Path.GetFileName(file)).Append('/').Append(table).Append('\n');
                foreach (var row in rows.Order(StringComparer.Ordinal))
                {
                    dump.Append(row).Append('\n');
                }
            }
        }

        return dump.ToString();
    }
}
