using System.Net;
using System.Net.Sockets;

namespace DiffuGts.Node.Options;

/// <summary>An IP address or CIDR block ("10.1.0.0/16", "::1/128") used by the source-address allow-list.</summary>
public sealed record IpRange(IPAddress Network, int PrefixLength)
{
    public static bool TryParse(string? text, out IpRange? range)
    {
        range = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressText, out var address))
        {
            return false;
        }

        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = bits;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), out prefix) || prefix < 0 || prefix > bits))
        {
            return false;
        }

        range = new IpRange(address, prefix);
        return true;
    }

    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != Network.AddressFamily)
        {
            return false;
        }

        var a = address.GetAddressBytes();
        var n = Network.GetAddressBytes();
        var remaining = PrefixLength;
        for (var i = 0; i < a.Length && remaining > 0; i++, remaining -= 8)
        {
            var mask = remaining >= 8 ? 0xFF : (byte)(0xFF << (8 - remaining));
            if ((a[i] & mask) != (n[i] & mask))
            {
                return false;
            }
        }

        return true;
    }
}
