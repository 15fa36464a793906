using CsCheck;
using Lmis.BuildingBlocks.Messaging;
using Lmis.Testing;

namespace Lmis.BuildingBlocks.Tests.Messaging;

public sealed class RabbitMqAddressProperties
{
    /// <summary>Printable text for user names, passwords and virtual hosts, reserved URI characters included.</summary>
    private static readonly Gen<string> Part = Hostile.Of("abcXYZ019 -._~!$&'()*+,;=:@/?#[]%\"<>\\^`{|}éñ\u00A0€", 1, 12);

    /// <summary>A URI path of only dots is a dot segment, which URIs drop: such a virtual host cannot be written in one.</summary>
    private static readonly Gen<string> VirtualHost = Part.Where(v => v.Trim('.').Length > 0);

    private static readonly Gen<string> Host = Gen.Frequency(
        (2, Gen.Const("localhost")),
        (3, Hostile.Of("abcdefghijklmnopqrstuvwxyz0123456789", 1, 10).Array[1, 3].Select(labels => string.Join('.', labels) + ".example")),
        (1, Gen.Int[0, 255].Array[4].Select(octets => string.Join('.', octets))));

    private static readonly Gen<string> UriLike = Gen.Frequency(
        (2, Gen.Select(Gen.OneOf("amqp://", "amqps://", "rabbitmq://", "amqp:", "amqp:/", "AMQP://", "http://", ""), Hostile.Text(30), (scheme, rest) => scheme + rest)),
        (1, Hostile.Text(60)));

    [Fact]
    public Task A_broker_address_survives_being_written_as_an_AMQP_URI() =>
        Properties.HoldAsync(
            Gen.Select(Gen.OneOf("amqp", "amqps"), Part, Part, Host, Gen.Int[1, 65535].Array[0, 1], VirtualHost.Array[0, 1]),
            address =>
            {
                var (scheme, user, password, host, port, vhost) = address;
                var uri = $"{scheme}://{Uri.EscapeDataString(user)}:{Uri.EscapeDataString(password)}@{host}"
                    + (port.Length == 0 ? string.Empty : $":{port[0]}")
                    + (vhost.Length == 0 ? "/" : "/" + Uri.EscapeDataString(vhost[0]));

                var parsed = RabbitMqAddress.Parse(uri);

                var defaultPort = scheme == "amqps" ? 5671 : 5672;
                Assert.Equal(
                    new RabbitMqAddress(host, (ushort)(port.Length == 0 ? defaultPort : port[0]), vhost.Length == 0 ? "/" : vhost[0], user, password),
                    parsed);
            }, iter: 3_000);

    [Fact]
    public Task Any_connection_string_gives_a_broker_with_a_host_or_a_configuration_error() =>
        Properties.HoldAsync(UriLike, text =>
        {
            try
            {
                var address = RabbitMqAddress.Parse(text);
                Assert.False(string.IsNullOrEmpty(address.Host), $"no host in '{text}'");
            }
            catch (InvalidOperationException)
            {
                // The documented refusal: the configuration names no AMQP broker.
            }
        }, iter: 3_000);
}
